import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApplicationStatus } from '../../../shared';

const COLORS: Record<ApplicationStatus, string> = {
  waiting: 'default',
  in_review: 'processing',
  pending_authorization: 'warning',
  approved: 'success',
  completed: 'green',
  rejected: 'error',
  cancelled: 'default',
  forwarded: 'blue',
  unbound: 'cyan',
  unbind_failed: 'volcano',
};

export function StatusTag(props: { status: ApplicationStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[props.status]} className="status-tag" data-status={props.status}>
      {t(`status.${props.status}`)}
    </Tag>
  );
}
