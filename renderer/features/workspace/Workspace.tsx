import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, Spin } from 'antd';
import { CalendarOutlined, PhoneOutlined, PlusOutlined, SettingOutlined, SwapOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ApplicationSummary } from '../../../shared';
import { useActor, useSession } from '../../session/SessionContext';
import { useLockTriggers } from '../../session/useLockTriggers';
import { LockScreen } from '../lock/LockScreen';
import { DraftProvider, useDrafts } from '../application/drafts/DraftStore';
import { modalDialogOpen } from '../../app/modalDialog';
import { BranchSettingsProvider } from './BranchSettings';
import { FirstRunGuide } from './FirstRunGuide';
import { NavigationContext, type Navigation, type WorkspaceView } from './navigation';
import { useRegisterWalkIn } from './useRegisterWalkIn';
import { AccountNotices } from './AccountNotices';
import { useDueCallCount } from './useDueCallCount';

// Each screen is its own chunk: the board does not pull the form, the form does not pull the settings.
const QueueBoard = lazy(() => import('../board/QueueBoard'));
const ApplicationScreen = lazy(() => import('../application/ApplicationScreen'));
const SettingsScreen = lazy(() => import('../settings/SettingsScreen'));
const DayCloseScreen = lazy(() => import('../dayclose/DayCloseScreen'));
const CallTasksScreen = lazy(() => import('../calls/CallTasksScreen'));
const HandoffScreen = lazy(() => import('../handoff/HandoffScreen'));

/** Where passing messages go: just below the header bar, whose height grows when a narrow window wraps it. */
function useBelowHeader(): number {
  const [top, setTop] = useState(80);
  useEffect(() => {
    const header = document.querySelector('.app-header');
    if (!header) return;
    const measure = () => setTop(Math.ceil(header.getBoundingClientRect().bottom) + 8);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(header);
    return () => observer.disconnect();
  }, []);
  return top;
}

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
  const drafts = useDrafts();
  const { askBeforeLeaving } = session;
  const { modal } = AntApp.useApp();
  const locked = session.state?.locked ?? false;
  const [view, setView] = useState<WorkspaceView>({ screen: 'board' });
  const screen = view.screen;
  const [lastRegisteredId, setLastRegisteredId] = useState<number | null>(null);

  useLockTriggers({ lock: session.lock, idleMinutes: session.state?.idleLockMinutes ?? 5, active: !locked });

  const onRegistered = useCallback((summary: ApplicationSummary) => setLastRegisteredId(summary.id), []);
  const register = useRegisterWalkIn(onRegistered);
  const dueCalls = useDueCallCount(screen, locked);

  useEffect(() => {
    if (locked) return;
    const onKey = (event: KeyboardEvent) => {
      if ((event.key !== 'F2' && event.key !== 'F7') || event.repeat) return;
      event.preventDefault();
      // A dialog is answered first: a ticket taken behind it would go unseen.
      if (modalDialogOpen()) return;
      if (event.key === 'F7') setView({ screen: 'calls' });
      else void register();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [register, locked]);

  // Esc with no dialog open goes back to the board (drafts keep what was typed). Read in the capture phase,
  // before a dialog's own Esc closes it, so the Esc that closes a dialog does not also leave the screen.
  useEffect(() => {
    if (locked || screen === 'board') return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.isComposing || event.repeat) return;
      if (modalDialogOpen()) return;
      const active = document.activeElement;
      // An open drop-down (a select, a date picker) takes its own Esc.
      if (active?.getAttribute('aria-expanded') === 'true' || document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden), .ant-picker-dropdown:not(.ant-picker-dropdown-hidden)')) return;
      event.preventDefault();
      setView({ screen: 'board' });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [locked, screen]);

  // 退出登录 with a half-typed request asks first, as the lock screen's 换人登录 says: the draft would be lost.
  useEffect(
    () =>
      askBeforeLeaving(() => {
        const count = drafts.unsent().length;
        if (count === 0) return Promise.resolve(true);
        return new Promise<boolean>((answer) => {
          modal.confirm({
            title: t('logout.unsentTitle'),
            content: t('logout.unsent', { count }),
            okText: t('logout.anyway'),
            okButtonProps: { danger: true },
            cancelText: t('logout.stay'),
            autoFocusButton: 'cancel',
            onOk: () => answer(true),
            onCancel: () => answer(false),
          });
        });
      }),
    [askBeforeLeaving, drafts, modal, t],
  );

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
          <Button
            type={view.screen === 'calls' ? 'primary' : 'default'}
            icon={<PhoneOutlined />}
            onClick={() => setView({ screen: 'calls' })}
            aria-current={view.screen === 'calls' ? 'page' : undefined}
            aria-label={dueCalls > 0 ? t('calls.navDue', { count: dueCalls }) : undefined}
            data-testid="nav-calls"
          >
            {t('calls.nav')}
            {dueCalls > 0 && (
              <span className="nav-count" data-testid="nav-calls-due">
                {dueCalls}
              </span>
            )}{' '}
            <kbd>F7</kbd>
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
          {actor.role !== 'teller' && (
            <Button
              type={view.screen === 'handoff' ? 'primary' : 'default'}
              icon={<SwapOutlined />}
              onClick={() => setView({ screen: 'handoff' })}
              aria-current={view.screen === 'handoff' ? 'page' : undefined}
              data-testid="nav-handoff"
            >
              {t('handoff.nav')}
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
        {view.screen === 'calls' && (
          <Suspense fallback={<ScreenLoading />}>
            <CallTasksScreen />
          </Suspense>
        )}
        {view.screen === 'handoff' && (
          <Suspense fallback={<ScreenLoading />}>
            <HandoffScreen />
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
  const messageTop = useBelowHeader();
  return (
    // Passing messages appear below the header, never over the business date and the teller's name.
    <AntApp component={false} message={{ top: messageTop }}>
      <BranchSettingsProvider>
        <DraftProvider>
          <Desk />
        </DraftProvider>
      </BranchSettingsProvider>
    </AntApp>
  );
}
