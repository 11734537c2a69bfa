import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IdDocumentType } from '../../../../shared';
import { useCodeText } from '../../../i18n/codeText';
import type { DocumentReading } from './documentReading';

/**
 * Beside the number: what it says (birth date, age, sex, where it was issued) so the teller can compare
 * it with the card and the person in front of them, or the problem with it as soon as it is known.
 */
export function DocumentFacts(props: { type: IdDocumentType | undefined; reading: DocumentReading; testId: string }) {
  const { t } = useTranslation();
  const { codeText } = useCodeText();
  const { reading } = props;
  if (reading.state === 'empty') return <div className="document-facts document-facts-empty" data-testid={props.testId}>{t('reading.empty')}</div>;
  if (reading.state === 'typing') {
    return (
      <div className="document-facts" data-testid={props.testId} aria-live="polite">
        {t('reading.typing', { length: reading.length, expected: reading.expected })}
      </div>
    );
  }
  // The problem itself is said once, under the field; here only that nothing can be read from it.
  if (reading.state === 'problem') {
    return (
      <div className="document-facts document-facts-problem" data-testid={props.testId}>
        {t('reading.unreadable')}
      </div>
    );
  }
  return (
    <div className="document-facts document-facts-read" data-testid={props.testId} aria-live="polite">
      <dl>
        <div>
          <dt>{t('reading.kind')}</dt>
          <dd>
            {props.type ? t(`documentType.${props.type}`) : '—'}
            {reading.edition && ` · ${t(`reading.edition.${reading.edition}`)}`}
          </dd>
        </div>
        {reading.birthDate && (
          <div>
            <dt>{t('reading.birthDate')}</dt>
            <dd data-fact="birthDate">{reading.birthDate}</dd>
          </div>
        )}
        {reading.age !== undefined && (
          <div>
            <dt>{t('reading.age')}</dt>
            <dd data-fact="age">{t('reading.years', { count: reading.age })}</dd>
          </div>
        )}
        {reading.sex && (
          <div>
            <dt>{t('reading.sex')}</dt>
            <dd data-fact="sex">{t(`sex.${reading.sex}`)}</dd>
          </div>
        )}
        {props.type !== 'foreign_permanent_resident' && reading.birthDate && (
          <div>
            <dt>{t('reading.region')}</dt>
            <dd data-fact="region">
              {reading.region ? reading.region.name : t('reading.regionUnknown')}
              {reading.region && !reading.region.current && <Tag className="fact-tag">{t('reading.regionFormer')}</Tag>}
            </dd>
          </div>
        )}
      </dl>
      {reading.warnings.map((code) => (
        <div key={code} className="document-facts-warning" role="status">
          {codeText(code)}
        </div>
      ))}
    </div>
  );
}
