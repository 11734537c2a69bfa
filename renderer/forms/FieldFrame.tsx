import type { ReactNode } from 'react';
import { Form } from 'antd';
import { Controller, type Control, type ControllerRenderProps, type FieldPath, type FieldValues } from 'react-hook-form';
import { useCodeText } from '../i18n/codeText';
import { fieldHelpId, fieldId } from './fieldIds';

/** What a control needs from its frame: its id, the error code if any, and the aria attributes that tie it to the help. */
export interface FieldWiring {
  id: string;
  error: string | undefined;
  aria: { 'aria-invalid': true | undefined; 'aria-describedby': string | undefined };
}

/**
 * The wiring every field of a react-hook-form form shares with antd's layout: the Controller, the
 * Form.Item with its label, status and help (the error translated from its code, else a warning, else a
 * hint), and the ids that let a screen reader and the step checks find the help of a field.
 */
export function FieldFrame<T extends FieldValues>(props: {
  control: Control<T>;
  name: FieldPath<T>;
  label?: ReactNode;
  /** A group of controls has no single element to point a <label for> at: it is labelled by id instead. */
  labelledGroup?: boolean;
  required?: boolean;
  className?: string;
  /** An error code found outside the form's validation (while typing), shown until the form has its own. */
  liveError?: string | null;
  /** A warning code to show when there is no error. */
  warning?: string | null;
  /** Shown under the field when there is nothing else to say. */
  hint?: ReactNode;
  children: (field: ControllerRenderProps<T, FieldPath<T>>, wiring: FieldWiring) => ReactNode;
}) {
  const { codeText } = useCodeText();
  const id = fieldId(props.name);
  const helpId = fieldHelpId(props.name);
  const label = props.label === undefined ? undefined : props.labelledGroup ? <span id={`${id}-label`}>{props.label}</span> : props.label;
  return (
    <Controller
      control={props.control}
      name={props.name}
      render={({ field, fieldState }) => {
        const error = fieldState.error?.message ?? props.liveError ?? undefined;
        const help = error ? codeText(error) : props.warning ? codeText(props.warning) : props.hint;
        return (
          <Form.Item
            label={label}
            htmlFor={props.label === undefined || props.labelledGroup ? undefined : id}
            required={props.required}
            className={props.className}
            validateStatus={error ? 'error' : props.warning ? 'warning' : undefined}
            help={help ? <span id={helpId} data-field-help={props.name}>{help}</span> : undefined}
          >
            {props.children(field, { id, error, aria: { 'aria-invalid': error ? true : undefined, 'aria-describedby': help ? helpId : undefined } })}
          </Form.Item>
        );
      }}
    />
  );
}
