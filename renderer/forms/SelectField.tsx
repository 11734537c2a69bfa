import type { ReactNode } from 'react';
import { Form, Select } from 'antd';
import { Controller, type Control, type FieldPath, type FieldValues } from 'react-hook-form';
import { useCodeText } from '../i18n/codeText';
import { fieldHelpId, fieldId } from './fieldIds';
import type { Choice } from './ChoiceField';

/** A choice among more options than fit in a row (document types, outcome reasons). */
export function SelectField<T extends FieldValues, V extends string>(props: {
  control: Control<T>;
  name: FieldPath<T>;
  label: ReactNode;
  choices: readonly Choice<V>[];
  required?: boolean;
  placeholder?: string;
  onChosen?: (value: V) => void;
  autoFocus?: boolean;
}) {
  const { codeText } = useCodeText();
  const id = fieldId(props.name);
  const helpId = fieldHelpId(props.name);
  return (
    <Controller
      control={props.control}
      name={props.name}
      render={({ field, fieldState }) => {
        const error = fieldState.error?.message;
        return (
          <Form.Item
            label={props.label}
            htmlFor={id}
            required={props.required}
            validateStatus={error ? 'error' : undefined}
            help={error ? <span id={helpId} data-field-help={props.name}>{codeText(error)}</span> : undefined}
          >
            <Select<V>
              id={id}
              ref={field.ref}
              value={field.value as V | undefined}
              onChange={(value) => {
                field.onChange(value);
                props.onChosen?.(value);
              }}
              onBlur={field.onBlur}
              options={props.choices.map((choice) => ({ value: choice.value, label: choice.label }))}
              placeholder={props.placeholder}
              autoFocus={props.autoFocus}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? helpId : undefined}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
        );
      }}
    />
  );
}
