import type { ReactNode } from 'react';
import { Select } from 'antd';
import type { Control, FieldPath, FieldValues } from 'react-hook-form';
import type { Choice } from './ChoiceField';
import { FieldFrame } from './FieldFrame';

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
  return (
    <FieldFrame control={props.control} name={props.name} label={props.label} required={props.required}>
      {(field, { id, aria }) => (
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
          {...aria}
          popupMatchSelectWidth={false}
        />
      )}
    </FieldFrame>
  );
}
