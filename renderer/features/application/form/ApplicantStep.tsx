import { useFormContext, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { documentCarriesBirthDate, ID_DOCUMENT_TYPES, LONG_TERM, type ApplicationFormValues, type IdDocumentType } from '../../../../shared';
import { CheckField } from '../../../forms/CheckField';
import { ChoiceField } from '../../../forms/ChoiceField';
import { SelectField } from '../../../forms/SelectField';
import { TextField } from '../../../forms/TextField';
import { normalizeDateInput } from '../../../forms/calendarDateInput';
import { DocumentFacts } from './DocumentFacts';
import { readDocument } from './documentReading';
import { ExpiryField } from './ExpiryField';
import { ChipReaderPanel } from './ChipReaderPanel';

/** A document number field with what the number says beside it. */
function DocumentNumberField(props: { prefix: 'applicant' | 'applicant.agent'; businessDate: string }) {
  const { t } = useTranslation();
  const { control } = useFormContext<ApplicationFormValues>();
  const type = useWatch({ control, name: `${props.prefix}.documentType` }) as IdDocumentType | undefined;
  const number = useWatch({ control, name: `${props.prefix}.documentNumber` }) as string | undefined;
  const reading = readDocument(type, number, props.businessDate);
  return (
    <div className="document-number">
      <TextField
        control={control}
        name={`${props.prefix}.documentNumber`}
        label={props.prefix === 'applicant' ? t('form.documentNumber') : t('form.agentDocumentNumber')}
        liveError={reading.state === 'problem' ? reading.code : null}
        maxLength={40}
        required
        normalize={(value) => value.trim().toUpperCase()}
      />
      <DocumentFacts type={type} reading={reading} testId={props.prefix === 'applicant' ? 'document-facts' : 'agent-document-facts'} />
    </div>
  );
}

/** Step 1 — 证件与申请人: the document first (it tells the rest), then the person and any agent. */
export function ApplicantStep(props: {
  businessDate: string;
  /** The step is on screen: the reader is polled only then. */
  active?: boolean;
  /** The request the form is for: a chip read belongs to it. */
  applicationId?: number;
}) {
  const { t } = useTranslation();
  const { control, setValue, getValues, trigger, getFieldState } = useFormContext<ApplicationFormValues>();
  const type = useWatch({ control, name: 'applicant.documentType' });
  const expiry = useWatch({ control, name: 'applicant.documentExpiry' });
  const isAgent = useWatch({ control, name: 'applicant.isAgent' });
  const documentTypes = ID_DOCUMENT_TYPES.map((value) => ({ value, label: t(`documentType.${value}`) }));
  const needsBirthDate = type !== undefined && !documentCarriesBirthDate(type);
  const expired = typeof expiry === 'string' && expiry !== LONG_TERM && /^\d{4}-\d{2}-\d{2}$/.test(expiry) && expiry < props.businessDate;

  const onDocumentType = (next: IdDocumentType) => {
    // Birth date and sex are read from numbers that carry them; typed values would only contradict.
    if (documentCarriesBirthDate(next)) {
      setValue('applicant.birthDate', undefined);
      setValue('applicant.sex', undefined);
    }
    if (getFieldState('applicant.documentNumber').isTouched) void trigger('applicant.documentNumber');
  };

  return (
    <div className="form-step-body">
      <fieldset className="form-section">
        <legend>{t('form.section.document')}</legend>
        <ChipReaderPanel active={props.active ?? false} applicationId={props.applicationId} />
        <div className="field-grid field-grid-document">
          <SelectField control={control} name="applicant.documentType" label={t('form.documentType')} choices={documentTypes} required onChosen={onDocumentType} />
          <DocumentNumberField prefix="applicant" businessDate={props.businessDate} />
        </div>
        <div className="field-grid">
          <TextField control={control} name="applicant.name" label={t('form.name')} maxLength={60} required />
          <ExpiryField control={control} />
        </div>
        {expired && (
          <CheckField control={control} name="applicant.expiredDocumentOverride" plainBoolean>
            {t('form.expiredOverride')}
          </CheckField>
        )}
        {needsBirthDate && (
          <div className="field-grid">
            <TextField
              control={control}
              name="applicant.birthDate"
              label={t('form.birthDate')}
              hint={t('form.dateHint')}
              placeholder="YYYY-MM-DD"
              inputMode="numeric"
              maxLength={12}
              required
              normalize={normalizeDateInput}
            />
            <ChoiceField
              control={control}
              name="applicant.sex"
              label={t('form.sex')}
              choices={[
                { value: 'M', label: t('sex.M') },
                { value: 'F', label: t('sex.F') },
              ]}
            />
          </div>
        )}
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('form.section.agent')}</legend>
        <CheckField
          control={control}
          name="applicant.isAgent"
          plainBoolean
          onChecked={(checked) => {
            if (checked && !getValues('applicant.agent')) setValue('applicant.agent', { name: '', documentType: 'resident_id', documentNumber: '' });
            if (!checked) setValue('applicant.agent', undefined);
          }}
        >
          {t('form.isAgent')}
        </CheckField>
        {isAgent && (
          <div className="field-grid field-grid-document">
            <TextField control={control} name="applicant.agent.name" label={t('form.agentName')} maxLength={60} required />
            <SelectField control={control} name="applicant.agent.documentType" label={t('form.agentDocumentType')} choices={documentTypes} required />
            <DocumentNumberField prefix="applicant.agent" businessDate={props.businessDate} />
          </div>
        )}
      </fieldset>
    </div>
  );
}
