import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Descriptions } from 'antd';
import { IdcardOutlined } from '@ant-design/icons';
import { useFormContext, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { checkPersonName, validateIdNumber, type ApplicationFormValues, type IdentityCheckResult } from '../../../../shared';
import { call } from '../../../api/client';
import { useCodeText } from '../../../i18n/codeText';
import { useBranchSettings } from '../../workspace/BranchSettings';

/** Asked for by the F6 key and by the button in the verification step. */
export const RUN_ONLINE_CHECK_EVENT = 'counter:online-check';
const AUTO_DELAY_MS = 500;

/** The last answer of each request on this desk, so a look at another request does not lose it (never the photo). */
const shown = new Map<number, { subject: string; result: IdentityCheckResult }>();

function subjectOf(values: { name?: string; documentType?: string; documentNumber?: string }, businessDate: string): string | null {
  const { name, documentType, documentNumber } = values;
  if (!name || !documentType || !documentNumber) return null;
  if (!checkPersonName(name).ok) return null;
  const number = validateIdNumber(documentType as never, documentNumber, { today: businessDate });
  return number.ok ? `${documentType}|${number.value}|${name.normalize('NFC').trim()}` : null;
}

/**
 * 联网核查 on the form: once the name and number are complete the core asks the bank's middleware (or F6
 * asks again); the answer fills the online-check field with the core's record of it, and a 00 shows the
 * registered photo beside the form for the teller's comparison. A change to the name or number afterwards
 * drops the result: it was for someone else. Nothing shows when no middleware is configured.
 */
export function OnlineCheckPanel(props: { applicationId: number; businessDate: string }) {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const { settings } = useBranchSettings();
  const configured = settings?.identityCheck != null;
  const { control, setValue, getValues, clearErrors } = useFormContext<ApplicationFormValues>();
  const name = useWatch({ control, name: 'applicant.name' });
  const documentType = useWatch({ control, name: 'applicant.documentType' });
  const documentNumber = useWatch({ control, name: 'applicant.documentNumber' });
  const subject = subjectOf({ name, documentType, documentNumber }, props.businessDate);
  const [state, setState] = useState<{ subject: string; result: IdentityCheckResult } | null>(() => shown.get(props.applicationId) ?? null);
  const [photo, setPhoto] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const inFlight = useRef(false);

  const run = useCallback(
    async (wanted: string | null) => {
      if (!configured || wanted === null || inFlight.current) return;
      inFlight.current = true;
      setRunning(true);
      setRefusal(null);
      const values = getValues('applicant');
      const answer = await call('identityCheck.run', {
        id: props.applicationId,
        name: values.name ?? '',
        documentType: values.documentType,
        documentNumber: values.documentNumber ?? '',
      });
      inFlight.current = false;
      setRunning(false);
      if (!answer.ok) {
        setRefusal(refusalText(answer.error));
        return;
      }
      const result = answer.value;
      const next = { subject: wanted, result: { ...result, photoBase64: null } };
      shown.set(props.applicationId, next);
      setState(next);
      setPhoto(result.photoBase64);
      setValue('verification.onlineCheck', result.onlineCheck, { shouldDirty: true });
      setValue('verification.onlineCheckId', result.checkId, { shouldDirty: true });
      clearErrors('verification.onlineCheck');
    },
    [configured, getValues, props.applicationId, refusalText, setValue, clearErrors],
  );

  // Complete name and number, not yet checked: ask once, shortly after the typing stops.
  const current = state?.subject === subject ? state : null;
  useEffect(() => {
    if (!configured || subject === null || current !== null || refusal !== null) return;
    const timer = setTimeout(() => void run(subject), AUTO_DELAY_MS);
    return () => clearTimeout(timer);
  }, [configured, subject, current, refusal, run]);

  // A result for another name or number is not this applicant's: the field goes back to empty.
  useEffect(() => {
    if (state === null || state.subject === subject) return;
    if (getValues('verification.onlineCheckId') !== undefined) {
      setValue('verification.onlineCheckId', undefined);
      setValue('verification.onlineCheck', undefined as never);
    }
    setPhoto(null);
  }, [state, subject, getValues, setValue]);

  useEffect(() => {
    if (!configured) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'F6' || event.repeat) return;
      event.preventDefault();
      setRefusal(null);
      void run(subjectOf(getValues('applicant'), props.businessDate));
    };
    const onAsk = () => {
      setRefusal(null);
      void run(subjectOf(getValues('applicant'), props.businessDate));
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener(RUN_ONLINE_CHECK_EVENT, onAsk);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(RUN_ONLINE_CHECK_EVENT, onAsk);
    };
  }, [configured, run, getValues, props.businessDate]);

  if (!configured) return null;
  const result = current?.result ?? null;
  const stale = state !== null && current === null;
  const ok = result?.onlineCheck === 'match';
  const headline = running
    ? t('identityCheck.running')
    : result === null
      ? stale
        ? t('identityCheck.stale')
        : null
      : result.code !== null && result.outcome === 'answered' && result.onlineCheck !== 'not_checked'
        ? t('identityCheck.result', { code: result.code, text: t(`identityCheck.code.${result.code}`) })
        : t('identityCheck.notChecked', { reason: result.code ? `${result.code} ${t(`identityCheck.code.${result.code}`)}` : t(`identityCheck.reason.${result.notCheckedReason ?? 'unreachable'}`) });

  return (
    <section className="online-check-panel" aria-label={t('identityCheck.run')} data-testid="online-check-panel" data-result={result?.onlineCheck ?? ''}>
      <div className="online-check-body">
        {(headline || refusal) && (
          <Alert
            type={refusal ? 'error' : running || result === null ? 'info' : ok ? 'success' : 'warning'}
            showIcon
            title={<span role="status" data-testid="online-check-status">{refusal ?? headline}</span>}
            description={
              result && !running ? (
                <Descriptions size="small" column={1} className="online-check-facts">
                  {result.serial && <Descriptions.Item label={t('identityCheck.label.serial')}>{result.serial}</Descriptions.Item>}
                  <Descriptions.Item label={t('identityCheck.label.transactionNo')}>{result.transactionNo}</Descriptions.Item>
                  {result.issuingAuthority && <Descriptions.Item label={t('identityCheck.label.issuingAuthority')}>{result.issuingAuthority}</Descriptions.Item>}
                </Descriptions>
              ) : undefined
            }
          />
        )}
        <Button icon={<IdcardOutlined />} onClick={() => void run(subject)} disabled={subject === null || running} data-testid="online-check-run">
          {result ? t('identityCheck.rerun') : t('identityCheck.run')} <kbd>{t('identityCheck.keyHint')}</kbd>
        </Button>
      </div>
      {photo && result?.code === '00' && (
        <figure className="online-check-photo">
          <img src={`data:${photo.startsWith('iVBOR') ? 'image/png' : 'image/jpeg'};base64,${photo}`} alt={t('identityCheck.photoAlt')} data-testid="online-check-photo" />
          <figcaption>{t('identityCheck.photoNote')}</figcaption>
        </figure>
      )}
    </section>
  );
}
