import { useState } from 'react';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/timeFormat';
import { useTimeZone } from '../../app/SystemInfo';
import { useSession } from '../../session/SessionContext';

/**
 * 账户变动提示: told to a supervisor at login — accounts that can authorize or administer which an admin
 * created, reset or promoted since a supervisor last looked. The supervisor can ask about any they did not expect.
 */
export function AccountNotices() {
  const { t } = useTranslation();
  const timeZone = useTimeZone();
  const notices = useSession().state?.notices ?? [];
  const [dismissed, setDismissed] = useState(false);
  if (dismissed || notices.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      closable={{ onClose: () => setDismissed(true), 'aria-label': t('accountNotices.dismiss') }}
      className="account-notices"
      data-testid="account-notices"
      title={t('accountNotices.title')}
      description={
        <ul>
          {notices.map((notice, index) => (
            <li key={index}>
              {t(`accountNotices.${notice.kind}`, {
                time: formatDateTime(notice.at, timeZone),
                by: t('common.withCode', { name: notice.by.name, code: notice.by.employeeNo }),
                subject: t('common.withCode', { name: notice.subject.name, code: notice.subject.employeeNo }),
                role: t(`role.${notice.role}`),
              })}
            </li>
          ))}
        </ul>
      }
    />
  );
}
