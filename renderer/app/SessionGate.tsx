import { lazy, Suspense, useEffect, useState } from 'react';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCodeText } from '../i18n/codeText';
import { LoginScreen } from '../features/login/LoginScreen';
import { useSession } from '../session/SessionContext';
import { useSystemInfo } from './SystemInfo';

// Everything behind the login is loaded on demand: the first screen of the day must be quick.
const SetupScreen = lazy(() => import('../features/setup/SetupScreen'));
const DeskScreen = lazy(() => import('../features/setup/DeskScreen'));
const ChangePasswordScreen = lazy(() => import('../features/login/ChangePasswordScreen'));
const Workspace = lazy(() => import('../features/workspace/Workspace'));

function Loading() {
  const { t } = useTranslation();
  return (
    // A CSS spinner, not antd's: nothing heavier than needed before the first screen.
    <div className="screen-loading" role="status">
      <span className="css-spinner" aria-hidden />
      <span>{t('app.loading')}</span>
    </div>
  );
}

/** Which screen this window shows: first-run setup, login, the forced password change, or the work. */
export function SessionGate() {
  const { refusalText } = useCodeText();
  const { info, error, refresh } = useSystemInfo();
  const session = useSession();
  // The admin just created at setup: the login screen says where to go next and has the number filled in.
  const [setUpAdmin, setSetUpAdmin] = useState<string | null>(null);
  const loggedIn = Boolean(session.state?.actor);
  useEffect(() => {
    if (loggedIn) setSetUpAdmin(null);
  }, [loggedIn]);
  if (error && !info) return <Alert type="error" showIcon title={refusalText(error)} />;
  if (!info || !session.state) return <Loading />;
  const { actor, mustChangePassword } = session.state;
  let screen;
  if (!info.setupDone)
    screen = (
      <SetupScreen
        onDone={(adminEmployeeNo) => {
          setSetUpAdmin(adminEmployeeNo);
          refresh();
        }}
      />
    );
  else if (!actor) screen = <LoginScreen afterSetupAdmin={setUpAdmin} />;
  else if (mustChangePassword) screen = <ChangePasswordScreen />;
  // Set up before desks were numbered: the admin gives the desk number first (once); tellers are refused new
  // requests until then (desk.required) and can still finish the ones already numbered.
  else if (info.branch && info.branch.desk === null && actor.role === 'admin') screen = <DeskScreen branchCode={info.branch.code} onDone={refresh} />;
  else screen = <Workspace key={actor.tellerId} />;
  return <Suspense fallback={<Loading />}>{screen}</Suspense>;
}
