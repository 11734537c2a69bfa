import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Spin } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { FINAL_STATUSES, type ApplicationDetail, type ApplicationStatus, type ApplicationInput, type ApplicationSummary, type RpcError } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';
import { useSession } from '../../session/SessionContext';
import { SupervisorDecisionDialog } from '../authorization/SupervisorDecisionDialog';
import { SupervisorGrantDialog } from '../authorization/SupervisorGrantDialog';
import { useNavigation } from '../workspace/navigation';
import { ApplicationDetailView, type DetailAction } from './detail/ApplicationDetailView';
import { OutcomeDialog, type OutcomeKind } from './detail/OutcomeDialog';
import { RevealDialog } from './detail/RevealDialog';
import { WaitingPanel } from './detail/WaitingPanel';
import { useDrafts, type ApplicationDraft } from './drafts/DraftStore';
import { ApplicationForm } from './form/ApplicationForm';
import { StatusTag } from './StatusTag';
import { useNextAction } from './useNextAction';
import { POLL_MS } from '../board/useQueueBoard';

/** Statuses the acquirer's answer may still change: the screen then reads the request again as often as the board. */
const AWAITING_ACQUIRER: readonly ApplicationStatus[] = ['completed', 'forwarded'];

type Dialog =
  | { kind: 'authorize' }
  | { kind: 'outcome'; outcome: OutcomeKind }
  | { kind: 'reveal' }
  | { kind: 'editSource' }
  | { kind: 'editGrant'; request: ApplicationInput; settle: (error: RpcError | null) => void };

/**
 * One request, whatever its status: waiting → 开始受理; in review → the form; submitted → the detail with
 * the supervisor's authorization, signature, history and the actions its status allows. Opened from the
 * board; going back keeps what was typed (drafts).
 */
export default function ApplicationScreen(props: { applicationId: number }) {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const { message } = App.useApp();
  const navigation = useNavigation();
  const drafts = useDrafts();
  const { unlockCount, state: session } = useSession();
  const { applicationId } = props;
  const [application, setApplication] = useState<ApplicationDetail | null>(null);
  const [loadError, setLoadError] = useState<RpcError | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [editing, setEditing] = useState<{ initial?: ApplicationDraft } | null>(null);
  const [starting, setStarting] = useState(false);
  const openAuthorizationAfterLoad = useRef(false);
  const screenRef = useRef<HTMLElement>(null);
  const moveOn = useNextAction(screenRef, application, editing !== null);

  const load = useCallback(async () => {
    const result = await call('applications.get', { id: applicationId });
    if (!result.ok) {
      setLoadError(result.error);
      return;
    }
    setLoadError(null);
    setApplication(result.value);
    // A finished request needs no draft: what was typed is now in the core.
    if (FINAL_STATUSES.includes(result.value.status)) drafts.drop(applicationId);
    if (openAuthorizationAfterLoad.current && result.value.status === 'pending_authorization') setDialog({ kind: 'authorize' });
    openAuthorizationAfterLoad.current = false;
  }, [applicationId, drafts]);

  useEffect(() => {
    void load();
  }, [load, unlockCount]);

  // The acquirer moves a request on (已转收单机构, then 已解绑 or 解绑失败) with nobody at this screen: while it may,
  // the request is read again as often as the board is (not while locked or being edited), and drawn anew only
  // when it changed. A read that fails keeps what is shown; the next one tries again.
  const withAcquirer = application !== null && AWAITING_ACQUIRER.includes(application.status) && editing === null && session?.locked !== true;
  useEffect(() => {
    if (!withAcquirer) return;
    const timer = setInterval(() => {
      void call('applications.get', { id: applicationId }).then((result) => {
        if (result.ok) setApplication((shown) => (shown && shown.id === result.value.id && shown.version === result.value.version ? shown : result.value));
      });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [withAcquirer, applicationId]);

  const back = () => navigation.go({ screen: 'board' });

  const afterChange = (summary: ApplicationSummary, note?: string) => {
    setDialog(null);
    moveOn();
    // Only a step done wears the green tick: a request waiting for a supervisor is a warning, one that
    // ended without being done (refused, cancelled, declined) is news.
    if (note) {
      if (summary.status === 'pending_authorization') void message.warning(note);
      else if (summary.status === 'rejected' || summary.status === 'cancelled') void message.info(note);
      else void message.success(note);
    }
    openAuthorizationAfterLoad.current = summary.status === 'pending_authorization';
    void load();
  };

  const startReview = async () => {
    if (!application) return;
    setStarting(true);
    const result = await call('applications.startReview', { id: application.id, version: application.version });
    setStarting(false);
    if (result.ok) afterChange(result.value);
    else {
      void message.error(refusalText(result.error));
      void load();
    }
  };

  const submit = async (request: ApplicationInput): Promise<RpcError | null> => {
    if (!application) return null;
    const result = await call('applications.submit', { id: application.id, version: application.version, request });
    if (!result.ok) {
      // Someone else moved the request on: show where it is now; the draft is kept.
      if (result.error.code === 'CONFLICT' || result.error.code === 'INVALID_TRANSITION') void load();
      return result.error;
    }
    afterChange(result.value, result.value.status === 'approved' ? t('detail.approvedNote') : t('detail.pendingNote'));
    return null;
  };

  // Editing after submission: the supervisor authorizes when the changed request is sent.
  const sendEdit = (request: ApplicationInput) => new Promise<RpcError | null>((settle) => setDialog({ kind: 'editGrant', request, settle }));

  const runEdit = async (grantId: number, request: ApplicationInput, settle: (error: RpcError | null) => void): Promise<RpcError | null> => {
    if (!application) return null;
    const result = await call('applications.edit', { id: application.id, version: application.version, request, grantId });
    if (!result.ok) {
      // Field problems belong beside the fields; close the dialog and let the form show them.
      if (result.error.code === 'VALIDATION') {
        setDialog(null);
        settle(result.error);
        return null;
      }
      return result.error;
    }
    settle(null);
    setEditing(null);
    afterChange(result.value, t('detail.editedNote'));
    return null;
  };

  const onAction = (action: DetailAction) => {
    if (action === 'authorize') setDialog({ kind: 'authorize' });
    else if (action === 'reject' || action === 'cancel') setDialog({ kind: 'outcome', outcome: action });
    else if (action === 'reveal') setDialog({ kind: 'reveal' });
    else if (drafts.get(applicationId)) setEditing({});
    // Keyed at another desk (or before a log-out): the values to edit are fetched with a supervisor's grant.
    else setDialog({ kind: 'editSource' });
  };

  const loadForEdit = async (grantId: number): Promise<RpcError | null> => {
    const result = await call('applications.reveal', { id: applicationId, grantId });
    if (!result.ok) return result.error;
    setDialog(null);
    setEditing({ initial: result.value.request as ApplicationDraft });
    return null;
  };

  if (loadError && !application) {
    return (
      <div className="application-screen">
        <Button icon={<ArrowLeftOutlined />} onClick={back} data-testid="back-to-board">
          {t('nav.backToBoard')}
        </Button>
        <Alert type="error" showIcon title={refusalText(loadError)} className="form-alert" />
      </div>
    );
  }
  if (!application) {
    return (
      <div className="screen-loading" role="status">
        <Spin />
      </div>
    );
  }

  const a = application;
  const keying = a.status === 'in_review';
  const outcomeButtons = (
    <>
      <Button danger onClick={() => setDialog({ kind: 'outcome', outcome: 'reject' })} data-testid="form-reject">
        {t('detail.reject')}
      </Button>
      <Button danger onClick={() => setDialog({ kind: 'outcome', outcome: 'cancel' })}>
        {t('detail.cancel')}
      </Button>
    </>
  );

  return (
    <section ref={screenRef} className="application-screen" aria-labelledby="application-title">
      <header className="application-header">
        <Button icon={<ArrowLeftOutlined />} onClick={back} data-testid="back-to-board">
          {t('nav.backToBoard')}
        </Button>
        <h2 id="application-title" className="screen-title">
          {t('detail.title', { ticket: a.ticketNo })}
          <span className="screen-subtitle">{a.number}</span>
        </h2>
        <StatusTag status={a.status} />
      </header>

      {keying && (
        <ApplicationForm applicationId={a.id} businessDate={a.businessDate} send={submit} submitLabel={t('form.submit')} extraActions={outcomeButtons} />
      )}
      {!keying && editing && (
        <>
          <Alert type="warning" showIcon className="form-alert" title={t('detail.editingBanner')} action={<Button onClick={() => setEditing(null)}>{t('detail.stopEditing')}</Button>} />
          <ApplicationForm applicationId={a.id} businessDate={a.businessDate} initialValues={editing.initial} send={sendEdit} submitLabel={t('form.submitEdit')} />
        </>
      )}
      {a.status === 'waiting' && (
        <WaitingPanel application={a} busy={starting} onStart={() => void startReview()} onOutcome={(outcome) => setDialog({ kind: 'outcome', outcome })} />
      )}
      {!keying && !editing && a.status !== 'waiting' && (
        <ApplicationDetailView
          application={a}
          onAction={onAction}
          onSigned={(summary) => afterChange(summary)}
          onChanged={() => {
            moveOn();
            void load();
          }}
        />
      )}

      {dialog?.kind === 'authorize' && (
        <SupervisorDecisionDialog
          application={a}
          onClose={() => setDialog(null)}
          onDecided={(summary) => afterChange(summary, summary.status === 'approved' ? t('authorize.approvedNote') : t('authorize.declinedNote'))}
        />
      )}
      {dialog?.kind === 'outcome' && (
        <OutcomeDialog kind={dialog.outcome} application={a} onClose={() => setDialog(null)} onDone={(summary) => afterChange(summary, t(`outcome.doneNote.${summary.status}`))} />
      )}
      {dialog?.kind === 'reveal' && <RevealDialog applicationId={a.id} number={a.number} onClose={() => setDialog(null)} onRevealed={() => void load()} />}
      {dialog?.kind === 'editSource' && (
        <SupervisorGrantDialog action="unmasked_view" scope={{ applicationId: a.id }} title={t('edit.sourceTitle')} confirmLabel={t('edit.sourceConfirm')} onGranted={loadForEdit} onClose={() => setDialog(null)}>
          {t('edit.sourceIntro')}
        </SupervisorGrantDialog>
      )}
      {dialog?.kind === 'editGrant' && (
        <SupervisorGrantDialog
          action="edit_after_submit"
          scope={{ applicationId: a.id }}
          title={t('edit.grantTitle')}
          confirmLabel={t('edit.grantConfirm')}
          onGranted={(grantId) => runEdit(grantId, dialog.request, dialog.settle)}
          onClose={() => {
            dialog.settle(null);
            setDialog(null);
          }}
        />
      )}
    </section>
  );
}
