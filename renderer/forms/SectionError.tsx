import { Alert } from 'antd';
import { get, useFormState, type Control, type FieldPath, type FieldValues } from 'react-hook-form';
import { useCodeText } from '../i18n/codeText';
import { fieldId } from './fieldIds';

/** An error about a group of fields as a whole (e.g. "merchant and terminal number, or the SN"). */
export function SectionError<T extends FieldValues>(props: { control: Control<T>; name: FieldPath<T> }) {
  const { codeText } = useCodeText();
  const { errors } = useFormState({ control: props.control, name: props.name });
  const message = (get(errors, props.name) as { message?: unknown } | undefined)?.message;
  if (typeof message !== 'string') return null;
  return <Alert type="error" showIcon className="section-error" title={<span id={fieldId(props.name)} data-field-help={props.name}>{codeText(message)}</span>} />;
}
