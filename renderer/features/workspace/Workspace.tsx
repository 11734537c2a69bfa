import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, Spin } from 'antd';
import { CalendarOutlined, PlusOutlined, SettingOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ApplicationSummary } from '../../../shared';
import { useActor, useSession } from '../../session/SessionContext';
import { useLockTriggers } from '../../session/useLockTriggers';
import { LockScreen } from '../lock/LockScreen';
import { DraftProvider } from '../application/drafts/DraftStore';
import { BranchSettingsProvider } from './BranchSettings';
import { FirstRunGuide } from './FirstRunGuide';
import { NavigationContext, type Navigation, type WorkspaceView } from './navigation';
import { useRegisterWalkIn } from './useRegisterWalkIn';
import { AccountNotices } from './AccountNotices';

// Each screen is its own chunk: the board does not pull the form, the form does not pull the settings.
const QueueBoard = lazy(() => import('../board/QueueBoard'));
const ApplicationScreen = lazy(() => import('../application/ApplicationScreen'));
const SettingsScreen = lazy(() => import('../settings/SettingsScreen'));
const DayCloseScreen = lazy(() => import('../dayclose/DayCloseScreen'));

function ScreenLoading() {
  return (
    <div className="screen-loading" role="status">
      <Spin />
    </div>
  );
}

/** The desk itself: navigation, F2, the lock triggers, and the screen in view. */
function Desk() {
  const { t } = useTranslation();
  const session = useSession();
  const actor = useActor();
  const locked = session.state?.locked ?? false;
  const [view, setView] = useState<WorkspaceView>({ screen: 'board' });
  const [lastRegisteredId, setLastRegisteredId] = useState<number | null>(null);

  useLockTriggers({ lock: session.lock, idleMinutes: session.state?.idleLockMinutes ?? 5, active: !locked });

  const onRegistered = useCallback((summary: ApplicationSummary) => setLastRegisteredId(summary.id), []);
  const register = useRegisterWalkIn(onRegistered);

  useEffect(() => {
    if (locked) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'F2' || event.repeat) return;
      event.preventDefault();
      void register();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [register, locked]);

  const navigation = useMemo<Navigation>(() => ({ view, go: setView, lastRegisteredId }), [view, lastRegisteredId]);

  return (
    <NavigationContext.Provider value={navigation}>
      <div className="workspace">
        <nav className="workspace-nav" aria-label={t('nav.label')}>
          <Button
            type={view.screen === 'board' ? 'primary' : 'default'}
            icon={<UnorderedListOutlined />}
            onClick={() => setView({ screen: 'board' })}
            aria-current={view.screen === 'board' ? 'page' : undefined}
          >
            {t('nav.board')}
          </Button>
          {actor.role !== 'teller' && (
            <Button
              type={view.screen === 'dayclose' ? 'primary' : 'default'}
              icon={<CalendarOutlined />}
              onClick={() => setView({ screen: 'dayclose' })}
              aria-current={view.screen === 'dayclose' ? 'page' : undefined}
              data-testid="nav-dayclose"
            >
              {t('dayClose.nav')}
            </Button>
          )}
          {actor.role === 'admin' && (
            <Button
              type={view.screen === 'settings' ? 'primary' : 'default'}
              icon={<SettingOutlined />}
              onClick={() => setView({ screen: 'settings' })}
              aria-current={view.screen === 'settings' ? 'page' : undefined}
              data-testid="nav-settings"
            >
              {t('nav.settings')}
            </Button>
          )}
          <span className="nav-spacer" />
          <Button icon={<PlusOutlined />} onClick={() => void register()} data-testid="register-walk-in">
            {t('board.register')} <kbd>F2</kbd>
          </Button>
        </nav>
        <FirstRunGuide />
        <AccountNotices />
        <div hidden={view.screen !== 'board'} className="workspace-screen">
          <Suspense fallback={<ScreenLoading />}>
            <QueueBoard visible={view.screen === 'board' && !locked} />
          </Suspense>
        </div>
        {view.screen === 'application' && (
          <Suspense fallback={<ScreenLoading />}>
            <ApplicationScreen key={view.id} applicationId={view.id} />
          </Suspense>
        )}
        {view.screen === 'settings' && (
          <Suspense fallback={<ScreenLoading />}>
            <SettingsScreen />
          </Suspense>
        )}
        {view.screen === 'dayclose' && (
          <Suspense fallback={<ScreenLoading />}>
            <DayCloseScreen />
          </Suspense>
        )}
      </div>
      {locked && <LockScreen />}
    </NavigationContext.Provider>
  );
}

/**
 * The logged-in teller's desk: the queue board, the request being handled, the settings for an admin,
 * the day close for a supervisor or admin.
 * The board stays mounted under a request (its selection and scroll survive); the lock screen covers
 * everything without unmounting it. antd's App (messages, confirm dialogs) lives here rather than at the
 * root, because the login screen needs none of it.
 */
export default function Workspace() {
  return (
    <AntApp component={false}>
      <BranchSettingsProvider>
        <DraftProvider>
          <Desk />
        </DraftProvider>
      </BranchSettingsProvider>
    </AntApp>
  );
}
