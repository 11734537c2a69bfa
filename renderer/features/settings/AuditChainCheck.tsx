import { useState } from 'react';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';

/** 审计链校验: recomputes the hash chain of the audit log and says whether any row was altered. */
export function AuditChainCheck() {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const [result, setResult] = useState<MethodOutput<'audit.verify'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    const answer = await call('audit.verify', {});
    setBusy(false);
    if (answer.ok) {
      setResult(answer.value);
      setError(null);
    } else setError(refusalText(answer.error));
  };
  return (
    <div>
      <p className="section-hint">{t('audit.intro')}</p>
      <Button onClick={() => void verify()} loading={busy}>
        {t('audit.verify')}
      </Button>
      {result && (
        <Alert
          className="form-alert"
          type={result.ok ? 'success' : 'error'}
          showIcon
          title={result.ok ? t('audit.ok', { rows: result.rows }) : result.firstBadSeq !== null ? t('audit.broken', { seq: result.firstBadSeq, reason: result.reason ?? '' }) : t('audit.differs', { count: result.differences.length })}
          description={
            result.head ? (
              t('audit.head', { seq: result.head.seq, hash: result.head.hash.slice(0, 16) })
            ) : result.differences.length > 0 ? (
              <>
                {t('audit.differs', { count: result.differences.length })}
                <ul>
                  {result.differences.map((d, i) => (
                    <li key={i}>
                      {t(`audit.difference.${d.code.replace(/^audit\./, '')}`, { seq: d.seq ?? '—', subject: d.subject ?? '—', expected: d.expected ?? '—', found: d.found ?? '—' })}
                    </li>
                  ))}
                </ul>
              </>
            ) : undefined
          }
        />
      )}
      {error && <Alert className="form-alert" type="error" showIcon title={error} />}
    </div>
  );
}
