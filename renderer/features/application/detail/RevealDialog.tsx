import { useState } from 'react';
import { Alert, Button, Descriptions, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MethodOutput, RpcError } from '../../../../shared';
import { call } from '../../../api/client';
import { SupervisorGrantDialog } from '../../authorization/SupervisorGrantDialog';
import { useFocusReturn } from '../../../app/useFocusReturn';

type Revealed = MethodOutput<'applications.reveal'>;

/**
 * 查看完整信息: with a supervisor's grant the core opens the request (and writes an audit row); the full
 * values live in this dialog's state only and are gone when it closes.
 */
export function RevealDialog(props: { applicationId: number; number: string; onClose: () => void; onRevealed: () => void }) {
  const { t } = useTranslation();
  useFocusReturn();
  const [revealed, setRevealed] = useState<Revealed | null>(null);

  const reveal = async (grantId: number): Promise<RpcError | null> => {
    const result = await call('applications.reveal', { id: props.applicationId, grantId });
    if (!result.ok) return result.error;
    setRevealed(result.value);
    props.onRevealed();
    return null;
  };

  if (!revealed) {
    return (
      <SupervisorGrantDialog
        action="unmasked_view"
        scope={{ applicationId: props.applicationId }}
        title={t('reveal.title', { number: props.number })}
        confirmLabel={t('reveal.confirm')}
        onGranted={reveal}
        onClose={props.onClose}
      />
    );
  }
  const close = () => {
    setRevealed(null);
    props.onClose();
  };
  return (
    <Modal open title={t('reveal.title', { number: props.number })} onCancel={close} footer={<Button type="primary" onClick={close}>{t('reveal.done')}</Button>} width={720} destroyOnHidden>
      <Alert type="warning" showIcon title={t('reveal.warning')} className="form-alert" />
      <Descriptions
        bordered
        column={1}
        size="middle"
        data-testid="revealed-values"
        items={[
          { key: 'name', label: t('form.name'), children: revealed.applicantName },
          { key: 'document', label: t('form.documentNumber'), children: <span className="revealed-number">{revealed.documentNumber}</span> },
          { key: 'mobile', label: t('form.boundMobile'), children: <span className="revealed-number">{revealed.mobile}</span> },
          { key: 'newMobile', label: t('detail.newMobile'), children: revealed.newMobile ?? '—' },
          ...(revealed.agentName ? [{ key: 'agent', label: t('form.section.agent'), children: `${revealed.agentName} ${revealed.agentDocumentNumber ?? ''}` }] : []),
          ...(revealed.email ? [{ key: 'email', label: t('form.email'), children: revealed.email }] : []),
        ]}
      />
    </Modal>
  );
}
