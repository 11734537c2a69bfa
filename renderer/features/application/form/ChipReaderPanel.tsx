import { Alert, Button, Descriptions } from 'antd';
import { useTranslation } from 'react-i18next';
import { useChipReader } from './useChipReader';

/**
 * The document step's reader panel: what the chip said (address, nation, issuing authority — read-only),
 * the photo when the reader's library can decode it, the read's evidence, and each reader error in plain
 * words. The form itself is filled by the hook; nothing here changes what the teller typed on an error.
 */
export function ChipReaderPanel(props: { active: boolean; applicationId?: number | undefined }) {
  const { t } = useTranslation();
  const { status, applied, readAgain } = useChipReader(props.active, props.applicationId);
  if (status === null) return null;
  if (!status.configured) {
    return (
      <div className="chip-reader chip-reader-none" data-testid="chip-reader" role="note">
        {t('reader.notConfigured')}
      </div>
    );
  }
  const f = applied?.facts;
  const error = status.error;
  return (
    <div className="chip-reader" data-testid="chip-reader">
      <div className="chip-reader-head">
        <span data-testid="chip-reader-state">{applied ? t('reader.readDone') : t('reader.waiting')}</span>
        <Button size="small" onClick={() => void readAgain()} data-testid="chip-read-again">
          {t('reader.readAgain')} <kbd>F4</kbd>
        </Button>
      </div>
      {error && error !== 'not_configured' && (
        <Alert type="warning" showIcon className="chip-reader-error" title={<span role="alert" data-testid="chip-reader-error">{t(`reader.error.${error}`)}</span>} />
      )}
      {applied && f && (
        <div className="chip-reader-read" data-testid="chip-facts">
          <div className="chip-photo" data-testid="chip-photo">
            {applied.photoDataUrl ? <img src={applied.photoDataUrl} alt={t('reader.photoAlt')} width={102} height={126} /> : <span>{t('reader.photoNotShown')}</span>}
          </div>
          <Descriptions size="small" column={1} bordered>
            {f.englishName && <Descriptions.Item label={t('reader.englishName')}>{f.englishName}</Descriptions.Item>}
            {f.nation && <Descriptions.Item label={t('reader.nation')}>{f.nation.name}</Descriptions.Item>}
            {f.nationality && <Descriptions.Item label={t('reader.nationality')}>{f.nationality}</Descriptions.Item>}
            {f.address && <Descriptions.Item label={t('reader.address')}>{f.address}</Descriptions.Item>}
            <Descriptions.Item label={t('reader.issuingAuthority')}>{f.issuingAuthority}</Descriptions.Item>
            <Descriptions.Item label={t('reader.validity')}>
              {f.validFrom} — {f.validTo === 'long_term' ? t('reader.longTerm') : f.validTo}
            </Descriptions.Item>
            {f.passNumber && <Descriptions.Item label={t('reader.passNumber')}>{f.passNumber}</Descriptions.Item>}
            <Descriptions.Item label={t('reader.evidence')}>
              <span data-testid="chip-evidence">
                {t(`reader.kind.${applied.evidence.readerKind}`)} · SAM {applied.evidence.samId}
              </span>
            </Descriptions.Item>
          </Descriptions>
        </div>
      )}
    </div>
  );
}
