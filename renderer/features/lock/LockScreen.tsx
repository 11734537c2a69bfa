import { useEffect, useRef, useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import { Alert, Button, Space, Typography, type InputRef } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCodeText } from '../../i18n/codeText';
import { useActor, useSession } from '../../session/SessionContext';
import { PasswordInput } from '../../forms/PasswordInput';

/**
 * While the screen is locked nothing underneath may take focus or clicks: every other child of <body>
 * (the work, and any dialog portal) is made inert, and given back as it was on unlock.
 */
function useInertSiblings(host: HTMLElement): void {
  useEffect(() => {
    const changed: Element[] = [];
    for (const element of Array.from(document.body.children)) {
      if (element === host || element.hasAttribute('inert')) continue;
      element.setAttribute('inert', '');
      changed.push(element);
    }
    return () => {
      for (const element of changed) element.removeAttribute('inert');
    };
  }, [host]);
}

/**
 * 锁屏: an opaque layer over the work, which stays mounted underneath — half-typed forms and open requests
 * are exactly as they were after the password is entered again. Only the teller of the session can unlock;
 * anyone else can only log that teller out (losing the unsaved work), e.g. at a change of shift.
 */
export function LockScreen() {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const session = useSession();
  const actor = useActor();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<InputRef>(null);
  const [host] = useState(() => {
    const element = document.createElement('div');
    element.className = 'lock-screen-host';
    return element;
  });

  useEffect(() => {
    document.body.appendChild(host);
    return () => host.remove();
  }, [host]);
  useInertSiblings(host);
  useEffect(() => {
    const focus = requestAnimationFrame(() => input.current?.focus());
    return () => cancelAnimationFrame(focus);
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || password === '') return;
    setBusy(true);
    const result = await session.unlock(password);
    setBusy(false);
    setPassword('');
    if (!result.ok) {
      setError(refusalText(result.error));
      input.current?.focus();
    }
  };

  return createPortal(
    <div className="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title" data-testid="lock-screen">
      <form className="lock-panel" onSubmit={(event) => void submit(event)}>
        <LockOutlined className="lock-icon" aria-hidden />
        <Typography.Title level={3} id="lock-title">
          {t('lock.title')}
        </Typography.Title>
        <Typography.Paragraph>{t('lock.who', { name: actor.name, employeeNo: actor.employeeNo })}</Typography.Paragraph>
        <Space orientation="vertical" size="middle" className="lock-fields">
          <label htmlFor="unlock-password">{t('lock.password')}</label>
          <PasswordInput
            id="unlock-password"
            ref={input}
            value={password}
            autoComplete="current-password"
            onChange={(event) => setPassword(event.target.value)}
            status={error ? 'error' : undefined}
            aria-describedby={error ? 'unlock-error' : undefined}
          />
          {error && <Alert type="error" showIcon title={<span id="unlock-error">{error}</span>} />}
          <Button type="primary" htmlType="submit" block loading={busy} disabled={password === ''}>
            {t('lock.unlock')}
          </Button>
          <Button type="link" onClick={() => void session.logout()}>
            {t('lock.logout')}
          </Button>
        </Space>
        <Typography.Paragraph type="secondary" className="lock-hint">
          {t('lock.hint')}
        </Typography.Paragraph>
      </form>
    </div>,
    host,
  );
}
