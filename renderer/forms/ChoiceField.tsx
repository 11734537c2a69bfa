import type { ReactNode } from 'react';
import { Form, Radio } from 'antd';
import { Controller, type Control, type FieldPath, type FieldValues } from 'react-hook-form';
import { useCodeText } from '../i18n/codeText';
import { fieldHelpId, fieldId } from './fieldIds';

export interface Choice<V> {
  value: V;
  label: ReactNode;
}

/**
 * One of a few choices, as a row of radio buttons: every option visible at once, ←/→ to move, no
 * dropdown to open. Nothing is chosen until the teller chooses — a verification result is never assumed.
 */
export function ChoiceField<T extends FieldValues, V extends string | boolean>(props: {
  control: Control<T>;
  name: FieldPath<T>;
  label: ReactNode;
  choices: readonly Choice<V>[];
  required?: boolean;
  hint?: ReactNode;
  /** Called after the value changes (e.g. to clear fields that no longer apply). */
  onChosen?: (value: V) => void;
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
        const help = error ? codeText(error) : props.hint;
        return (
          <Form.Item
            label={<span id={`${id}-label`}>{props.label}</span>}
            required={props.required}
            validateStatus={error ? 'error' : undefined}
            help={help ? <span id={helpId} data-field-help={props.name}>{help}</span> : undefined}
          >
            <Radio.Group
              id={id}
              value={field.value}
              onChange={(event) => {
                field.onChange(event.target.value);
                props.onChosen?.(event.target.value as V);
              }}
              optionType="button"
              buttonStyle="solid"
              aria-labelledby={`${id}-label`}
              aria-invalid={error ? true : undefined}
              aria-describedby={help ? helpId : undefined}
              className="choice-group"
            >
              {props.choices.map((choice, index) => (
                <Radio.Button
                  key={String(choice.value)}
                  value={choice.value}
                  ref={index === 0 ? field.ref : undefined}
                  onBlur={field.onBlur}
                  data-value={String(choice.value)}
                >
                  {choice.label}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
        );
      }}
    />
  );
}
