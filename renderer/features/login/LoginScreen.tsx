import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Input, type InputRef } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCodeText } from '../../i18n/codeText';
import { useSession } from '../../session/SessionContext';
import { PasswordInput } from '../../forms/PasswordInput';

/**
 * 柜员登录: employee number and password, for tellers, supervisors and the admin alike. The first screen of
 * the day, so it loads before anything else. Right after the first-run setup it names the admin's number
 * and says where the admin goes next (系统设置 → 柜员账户).
 */
export function LoginScreen(props: { afterSetupAdmin?: string | null }) {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const session = useSession();
  const [employeeNo, setEmployeeNo] = useState(props.afterSetupAdmin ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<InputRef>(null);
  const second = useRef<InputRef>(null);

  // Once, on the first render.
  useEffect(() => (props.afterSetupAdmin ? second : first).current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (employeeNo.trim() === '') return first.current?.focus();
    if (password === '') return second.current?.focus();
    setBusy(true);
    setError(null);
    const result = await session.login(employeeNo.trim(), password);
    setBusy(false);
    if (!result.ok) {
      setPassword('');
      setError(refusalText(result.error));
      second.current?.focus();
    }
  };

  return (
    <div className="entry-screen">
      {/* Plain markup rather than antd's Card and Typography: this screen is in the first bundle. */}
      <div className="login-panel">
        <h1 className="login-title">{t('login.title')}</h1>
        {props.afterSetupAdmin && (
          <Alert type="info" showIcon className="login-after-setup" title={t('login.afterSetup', { employeeNo: props.afterSetupAdmin })} />
        )}
        <form onSubmit={(event) => void submit(event)} className="entry-form" aria-label={t('login.title')}>
          <label htmlFor="login-employeeNo">{t('login.employeeNo')}</label>
          <Input
            id="login-employeeNo"
            ref={first}
            value={employeeNo}
            autoComplete="username"
            maxLength={20}
            onChange={(event) => setEmployeeNo(event.target.value)}
          />
          <label htmlFor="login-password">{t('login.password')}</label>
          <PasswordInput
            id="login-password"
            ref={second}
            value={password}
            autoComplete="current-password"
            onChange={(event) => setPassword(event.target.value)}
            aria-describedby={error ? 'login-error' : undefined}
          />
          {error && <Alert type="error" showIcon title={<span id="login-error" role="alert">{error}</span>} />}
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>
            {t('login.submit')}
          </Button>
        </form>
      </div>
    </div>
  );
}
