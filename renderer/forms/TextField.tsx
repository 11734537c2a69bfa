import type { ReactNode } from 'react';
import { Input } from 'antd';
import type { Control, FieldPath, FieldValues } from 'react-hook-form';
import { FieldFrame } from './FieldFrame';
import { PasswordInput } from './PasswordInput';
import { typedValueTidying } from './typedValueTidying';

export interface TextFieldProps<T extends FieldValues> {
  control: Control<T>;
  name: FieldPath<T>;
  label: ReactNode;
  type?: 'text' | 'password';
  /** An error code found while typing, shown until the form's own validation has something to say. */
  liveError?: string | null;
  /** A second entry must be typed, not pasted from the first. */
  blockPaste?: boolean;
  /** A warning code or text to show when there is no error (unknown region, virtual operator…). */
  warning?: string | null;
  /** Shown under the field when there is nothing else to say. */
  hint?: ReactNode;
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'tel' | 'email';
  maxLength?: number;
  disabled?: boolean;
  autoFocus?: boolean;
  placeholder?: string;
  required?: boolean;
  /** Applied when the teller is done with the field (on leaving it, and on Enter): e.g. 20300101 → 2030-01-01. */
  normalize?: (value: string) => string;
  className?: string;
  /** Rendered after the input, inside the same row (e.g. the 长期 switch of an expiry date). */
  addon?: ReactNode;
}

/**
 * One text field of a react-hook-form form, laid out by antd: label above (no clipping in either
 * language), the error translated from its code beside the field, a warning or hint otherwise.
 */
export function TextField<T extends FieldValues>(props: TextFieldProps<T>) {
  const InputKind = props.type === 'password' ? PasswordInput : Input;
  return (
    <FieldFrame
      control={props.control}
      name={props.name}
      label={props.label}
      required={props.required}
      className={props.className}
      liveError={props.liveError}
      warning={props.warning}
      hint={props.hint}
    >
      {(field, { id, aria }) => {
        const tidying = typedValueTidying(field, props.normalize);
        return (
          <div className="field-with-addon">
            <InputKind
              id={id}
              ref={field.ref}
              name={field.name}
              value={typeof field.value === 'string' ? field.value : ''}
              onChange={(event) => field.onChange(event.target.value)}
              onBlur={() => {
                tidying.tidy();
                field.onBlur();
              }}
              onKeyDown={tidying.onKeyDown}
              disabled={props.disabled}
              autoFocus={props.autoFocus}
              autoComplete={props.autoComplete ?? 'off'}
              inputMode={props.inputMode}
              maxLength={props.maxLength}
              placeholder={props.placeholder}
              {...aria}
              spellCheck={false}
              onPaste={props.blockPaste ? (event) => event.preventDefault() : undefined}
            />
            {props.addon}
          </div>
        );
      }}
    </FieldFrame>
  );
}
