import { Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { OUTCOME_REASON_CODES, type OutcomeReasonCode } from '../../../shared';

/**
 * Why a request is rejected or cancelled: every reason in view at once (↑/↓ to move) — nine short choices
 * read faster than a dropdown. Used by the request screen and by the day close alike.
 */
export function OutcomeReasonPicker(props: {
  id: string;
  value: OutcomeReasonCode | undefined;
  onChange: (value: OutcomeReasonCode) => void;
  autoFocus?: boolean;
  /** What the reason is for, when plain 原因 / Reason would not say it. */
  legend?: string;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="outcome-reasons">
      <legend>{props.legend ?? t('outcome.reason')}</legend>
      <Radio.Group id={props.id} value={props.value} onChange={(event) => props.onChange(event.target.value as OutcomeReasonCode)} className="outcome-reason-list">
        {OUTCOME_REASON_CODES.map((code, index) => (
          // Focus the chosen reason, or the first when none is chosen yet.
          <Radio key={code} value={code} autoFocus={props.autoFocus === true && (props.value === undefined ? index === 0 : props.value === code)}>
            {t(`outcomeReason.${code}`)}
          </Radio>
        ))}
      </Radio.Group>
    </fieldset>
  );
}
