import { useEffect, useRef } from 'react';
import { Input, type InputRef } from 'antd';
import { useTranslation } from 'react-i18next';
import { PasswordInput } from '../../forms/PasswordInput';

export interface Credentials {
  employeeNo: string;
  password: string;
}

export const NO_CREDENTIALS: Credentials = { employeeNo: '', password: '' };

/**
 * 主管授权: the supervisor types their own employee number and password on the teller's screen. The
 * browser is told not to remember them.
 */
export function SupervisorCredentials(props: { value: Credentials; onChange: (value: Credentials) => void; idPrefix: string; autoFocus?: boolean }) {
  const { t } = useTranslation();
  const first = useRef<InputRef>(null);
  useEffect(() => {
    if (!props.autoFocus) return;
    const frame = requestAnimationFrame(() => first.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, [props.autoFocus]);
  return (
    <div className="supervisor-credentials">
      <div className="credential-field">
        <label htmlFor={`${props.idPrefix}-employeeNo`}>{t('authorize.supervisorNo')}</label>
        <Input
          id={`${props.idPrefix}-employeeNo`}
          ref={first}
          value={props.value.employeeNo}
          autoComplete="off"
          maxLength={20}
          onChange={(event) => props.onChange({ ...props.value, employeeNo: event.target.value })}
        />
      </div>
      <div className="credential-field">
        <label htmlFor={`${props.idPrefix}-password`}>{t('authorize.supervisorPassword')}</label>
        <PasswordInput
          id={`${props.idPrefix}-password`}
          value={props.value.password}
          autoComplete="new-password"
          onChange={(event) => props.onChange({ ...props.value, password: event.target.value })}
        />
      </div>
    </div>
  );
}
