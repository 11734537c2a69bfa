import type { ReactNode } from 'react';
import { Checkbox, Form } from 'antd';
import { Controller, type Control, type FieldPath, type FieldValues } from 'react-hook-form';
import { useCodeText } from '../i18n/codeText';
import { fieldHelpId, fieldId } from './fieldIds';

/**
 * A statement the teller confirms by ticking it (risk warning given, consent obtained). Unticked is
 * "not confirmed": the value is then absent, never false, so the rules can insist on `true`.
 */
export function CheckField<T extends FieldValues>(props: {
  control: Control<T>;
  name: FieldPath<T>;
  children: ReactNode;
  /** A plain boolean field (false when unticked) rather than a confirmation. */
  plainBoolean?: boolean;
  onChecked?: (checked: boolean) => void;
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
            validateStatus={error ? 'error' : undefined}
            help={error ? <span id={helpId} data-field-help={props.name}>{codeText(error)}</span> : undefined}
          >
            <Checkbox
              id={id}
              ref={field.ref}
              checked={field.value === true}
              onChange={(event) => {
                const checked = event.target.checked;
                field.onChange(checked ? true : props.plainBoolean ? false : undefined);
                props.onChecked?.(checked);
              }}
              onBlur={field.onBlur}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? helpId : undefined}
            >
              {props.children}
            </Checkbox>
          </Form.Item>
        );
      }}
    />
  );
}
