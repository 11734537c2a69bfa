import { Alert } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useWatch, type Control } from 'react-hook-form';
import type { ApplicationFormValues, AuthorizationPolicy } from '../../../../shared';
import { useCodeText } from '../../../i18n/codeText';
import { useAuthorizationForecast } from './useAuthorizationForecast';

/**
 * Above the form, always in view: every reason a supervisor must authorize, updated as the form changes,
 * so the teller can call the supervisor over before the customer has finished.
 */
export function AuthorizationBanner(props: { control: Control<ApplicationFormValues>; applicationId: number; businessDate: string; policy: AuthorizationPolicy }) {
  const { t } = useTranslation();
  const { codeText } = useCodeText();
  // Watching every field happens here, so a keystroke re-renders the banner, not the whole form.
  const { reasons, complete, recent } = useAuthorizationForecast(props);
  // Checked online (the core holds the answer) or keyed by the teller: said beside the online-check reasons.
  const checkedOnline = useWatch({ control: props.control, name: 'verification.onlineCheckId' }) !== undefined;
  // Where the document's facts came from: the chip (read by the core) or the teller's keys.
  const method = useWatch({ control: props.control, name: 'verification.method' });
  const source =
    method === 'chip' ? (
      <span className="banner-source" data-testid="banner-document-source" data-source="chip">
        {t('banner.chipRead')}
      </span>
    ) : method === 'manual' ? (
      <span className="banner-source" data-testid="banner-document-source" data-source="keyed">
        {t('banner.keyed')}
      </span>
    ) : null;
  if (reasons.length === 0) {
    return (
      <Alert
        className="authorization-banner"
        type={complete ? 'success' : 'info'}
        showIcon
        data-testid="authorization-banner"
        title={
          <>
            {complete ? t('banner.noneComplete') : t('banner.noneYet')}
            {source}
          </>
        }
      />
    );
  }
  return (
    <Alert
      className="authorization-banner"
      type="warning"
      showIcon
      icon={<SafetyCertificateOutlined />}
      data-testid="authorization-banner"
      role="status"
      title={
        <>
          {t('banner.needed', { count: reasons.length })}
          {source}
        </>
      }
      description={
        <ul className="banner-reasons">
          {reasons.map((reason) => (
            <li key={reason} data-reason={reason}>
              {codeText(`authorization.reason.${reason}`)}
              {(reason === 'online_check_exception' || reason === 'online_check_not_checked') && (
                <span className="banner-detail" data-source={checkedOnline ? 'online' : 'keyed'}>
                  {t(`identityCheck.source.${checkedOnline ? 'online' : 'keyed'}`)}
                </span>
              )}
              {reason === 'repeat_request' && recent && (
                <span className="banner-detail">
                  {t('banner.repeatDetail', { days: recent.windowDays, serial: recent.serial, merchant: recent.merchant, mobile: recent.mobile })}
                </span>
              )}
            </li>
          ))}
        </ul>
      }
    />
  );
}
