import { Input } from 'antd';
import type { ComponentProps } from 'react';

/**
 * A password box whose eye (show the password) works with the mouse but is no Tab stop: from the keyboard,
 * Tab goes from the password straight on to the next field or the button, as a teller expects.
 */
export function PasswordInput(props: ComponentProps<typeof Input.Password>) {
  return <Input.Password visibilityToggle={{ tabIndex: -1 }} {...props} />;
}
