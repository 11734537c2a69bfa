import type { ReactNode } from 'react';
import { Checkbox } from 'antd';
import type { Control, FieldPath, FieldValues } from 'react-hook-form';
import { FieldFrame } from './FieldFrame';

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
  return (
    <FieldFrame control={props.control} name={props.name}>
      {(field, { id, aria }) => (
        <Checkbox
          id={id}
          ref={field.ref}
          checked={field.value === true}
          onChange={(event) => {
            const checked = event.target.checked;
            field.onChange(checked ? true : props.plainBoolean ? false : undefined);
            // Like a choice: checked when ticked or unticked, not when tabbed past.
            field.onBlur();
            props.onChecked?.(checked);
          }}
          {...aria}
        >
          {props.children}
        </Checkbox>
      )}
    </FieldFrame>
  );
}
