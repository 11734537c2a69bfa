import { Modal, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFocusReturn } from '../../app/useFocusReturn';

// Every shortcut the desk answers to, in the order a teller meets them.
const SHORTCUTS = [
  { keys: ['F1'], what: 'help' },
  { keys: ['F2'], what: 'register' },
  { keys: ['F3'], what: 'search' },
  { keys: ['F7'], what: 'calls' },
  { keys: ['↑', '↓', 'PgUp', 'PgDn'], what: 'move' },
  { keys: ['Enter'], what: 'enter' },
  { keys: ['F4'], what: 'readCard' },
  { keys: ['F6'], what: 'onlineCheck' },
  { keys: ['Tab', 'Shift+Tab'], what: 'tab' },
  { keys: ['Esc'], what: 'escape' },
  { keys: ['F12', 'Ctrl+L'], what: 'lock' },
] as const;

/** F1: the keyboard shortcuts, everywhere, also before login. */
export default function HelpOverlay(props: { onClose: () => void }) {
  const { t } = useTranslation();
  useFocusReturn();
  return (
    <Modal open title={t('help.title')} onCancel={props.onClose} footer={null} width={720} destroyOnHidden>
      <Table
        size="middle"
        pagination={false}
        rowKey="what"
        dataSource={[...SHORTCUTS]}
        data-testid="help-shortcuts"
        columns={[
          {
            key: 'keys',
            title: t('help.keys'),
            width: 220,
            render: (_: unknown, row) => (
              <span className="help-keys">
                {row.keys.map((key) => (
                  <kbd key={key}>{key}</kbd>
                ))}
              </span>
            ),
          },
          { key: 'what', title: t('help.what'), render: (_: unknown, row) => t(`help.shortcut.${row.what}`) },
        ]}
      />
      <p className="section-hint">{t('help.idle')}</p>
    </Modal>
  );
}
