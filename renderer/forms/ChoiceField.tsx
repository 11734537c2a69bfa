import type { ReactNode } from 'react';
import { Radio } from 'antd';
import type { Control, FieldPath, FieldValues } from 'react-hook-form';
import { FieldFrame } from './FieldFrame';

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
  return (
    <FieldFrame control={props.control} name={props.name} label={props.label} labelledGroup required={props.required} hint={props.hint}>
      {(field, { id, aria }) => (
        <Radio.Group
          id={id}
          // One name per group: the group is one Tab stop and ←/→ choose within it, as the comment above says.
          name={field.name}
          value={field.value}
          onChange={(event) => {
            field.onChange(event.target.value);
            // Checked when chosen, not when passed: tabbing through a group not yet answered marks nothing
            // in red; 下一步 names whatever is still open.
            field.onBlur();
            props.onChosen?.(event.target.value as V);
          }}
          optionType="button"
          buttonStyle="solid"
          aria-labelledby={`${id}-label`}
          {...aria}
          className="choice-group"
        >
          {props.choices.map((choice, index) => (
            <Radio.Button key={String(choice.value)} value={choice.value} ref={index === 0 ? field.ref : undefined} data-value={String(choice.value)}>
              {choice.label}
            </Radio.Button>
          ))}
        </Radio.Group>
      )}
    </FieldFrame>
  );
}
