import type { ReactNode } from 'react';
import { Alert, Button, Modal, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFocusReturn } from '../app/useFocusReturn';

/**
 * The foot of a dialog: the last refusal (read out by screen readers), the dialog's own buttons — the
 * submit button first — and Close (Esc).
 */
export function DialogFooter(props: { error: ReactNode | null; errorTestId?: string; onClose: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      {props.error && <Alert type="error" showIcon className="form-alert" title={<span role="alert" data-testid={props.errorTestId}>{props.error}</span>} />}
      <div className="dialog-footer">
        <Space wrap>
          {props.children}
          <Button onClick={props.onClose}>
            {t('common.close')} <kbd>Esc</kbd>
          </Button>
        </Space>
      </div>
    </>
  );
}

/** A dialog that is one form: Enter submits it, Esc closes it, and nothing typed is kept once it closes. */
export function FormDialog(props: {
  title: ReactNode;
  width: number | string;
  className?: string;
  testId?: string;
  onSubmit: () => void;
  onClose: () => void;
  error: ReactNode | null;
  errorTestId?: string;
  /** The dialog's buttons before Close, the submit button first. */
  actions: ReactNode;
  children: ReactNode;
}) {
  useFocusReturn();
  return (
    <Modal open title={props.title} onCancel={props.onClose} footer={null} destroyOnHidden width={props.width} className={props.className}>
      {/* noValidate: the form's own rules speak, in the teller's language, not the browser's. */}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          props.onSubmit();
        }}
        noValidate
        data-testid={props.testId}
      >
        {props.children}
        <DialogFooter error={props.error} errorTestId={props.errorTestId} onClose={props.onClose}>
          {props.actions}
        </DialogFooter>
      </form>
    </Modal>
  );
}
