import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { api, ApiError } from '../../api/api-client.ts';
import type { AgentMe, AgentView, ContactView, StreamEvent } from '../../api/types.ts';
import { useEventStream } from '../../api/use-event-stream.ts';
import { KbdHint } from '../../components/kbd-hint.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { agentStatusWord } from '../../lib/agent-status.ts';
import { dialModeKey } from '../../lib/labels.ts';
import { applyAgentEvent } from '../../lib/agent-view-reducer.ts';
import { refusalReasons } from '../../lib/compliance-reasons.ts';
import type { RefusalReason } from '../../lib/compliance-reasons.ts';
import { pauseReasonLabel } from '../../lib/pause-reasons.ts';
import { navigate } from '../../lib/router.tsx';
import { useSession } from '../../lib/session-context.tsx';
import { actionForKey, AGENT_SHORTCUTS, shortcutKeys } from '../../lib/shortcuts.ts';
import type { AgentAction } from '../../lib/shortcuts.ts';
import { useNow } from '../../lib/use-now.ts';
import { CustomerPanel } from './customer-panel.tsx';
import { ManualDialPanel } from './manual-dial-panel.tsx';
import { MyCallbacksPanel } from './my-callbacks-panel.tsx';
import { PreviewPanel } from './preview-panel.tsx';
import { ScriptPanel } from './script-panel.tsx';
import { EMPTY_DRAFT, WrapUpPanel } from './wrap-up-panel.tsx';
import type { WrapUpDraft } from './wrap-up-panel.tsx';

type CommandPath = 'ready' | 'pause' | 'sign-out' | 'hangup' | 'disposition' | 'do-not-call' | 'preview/next' | 'preview/dial' | 'preview/skip' | 'dial';

/** A command's answer: the new AgentView, possibly with the preview contact beside it. */
type CommandAnswer = AgentView & { preview?: AgentMe['preview']; contact?: ContactView };

const CALLBACK_EVENTS = new Set(['disposition.saved', 'attempt.dialed', 'attempt.ended', 'callback.updated']);

export function AgentDesktopPage(): ReactNode {
  const { t, fmt } = useI18n();
  const { user, signOut } = useSession();
  const [me, setMe] = useState<AgentMe | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [pauseReason, setPauseReason] = useState('');
  const [draft, setDraft] = useState<WrapUpDraft>(EMPTY_DRAFT);
  const [manualPhone, setManualPhone] = useState('');
  const [refusal, setRefusal] = useState<{ from: 'manual' | 'preview'; reasons: RefusalReason[] } | null>(null);
  const notesRef = useRef<HTMLTextAreaElement>(null);
  const manualRef = useRef<HTMLInputElement>(null);
  const now = useNow(1000);
  const [callbacksVersion, setCallbacksVersion] = useState(0);

  const load = useCallback(async () => {
    try {
      const view = await api.get<AgentMe>('/api/v1/agent/me');
      setMe(view);
      setLoadError(null);
    } catch (e) {
      setLoadError(e instanceof ApiError ? e.message : t('common.networkError'));
    }
  }, [t]);

  useEffect(() => {
    void load();
  }, [load]);

  // Counts the stream events applied: a command's answer that was overtaken by events (the hang-up's wrap-up
  // arriving first on the WebSocket) must not roll the view back to the state it was computed in.
  const eventsApplied = useRef(0);
  const onEvent = useCallback((event: StreamEvent) => {
    eventsApplied.current += 1;
    setMe((current) => (current === null ? current : applyAgentEvent(current, event)));
    // The agent's stream carries only their own events: any of these may add, complete or move one of their callbacks.
    if (CALLBACK_EVENTS.has(event.type)) setCallbacksVersion((v) => v + 1);
  }, []);
  const streamStatus = useEventStream(onEvent, me !== null, () => void load());

  // a new call starts a fresh wrap-up draft
  const attemptId = me?.call?.attemptId ?? null;
  useEffect(() => {
    setDraft(EMPTY_DRAFT);
  }, [attemptId]);

  const command = useCallback(
    async (path: CommandPath, body: Record<string, unknown> = {}): Promise<CommandAnswer | null> => {
      setBusy(true);
      setActionError(null);
      const eventsBefore = eventsApplied.current;
      try {
        const answer = await api.post<CommandAnswer>(`/api/v1/agent/${path}`, body);
        const overtaken = eventsApplied.current !== eventsBefore;
        setMe((current) => {
          if (current === null) return current;
          const preview = answer.preview !== undefined ? answer.preview : current.preview;
          if (overtaken) return { ...current, preview: current.call === null ? preview : current.preview };
          return { ...current, ...answer, campaigns: current.campaigns, pauseReasons: current.pauseReasons, preview };
        });
        return answer;
      } catch (e) {
        if (e instanceof ApiError && e.code === 'OUTDIAL_ERR_COMPLIANCE_REFUSED') {
          setRefusal({ from: path.startsWith('preview/') ? 'preview' : 'manual', reasons: refusalReasons(e.details) });
        } else setActionError(e instanceof ApiError ? e.message : t('common.networkError'));
        // the engine may have moved on (a refused preview releases the agent): take its view again
        if (path.startsWith('preview/')) void load();
        return null;
      } finally {
        setBusy(false);
      }
    },
    [t, load],
  );

  const campaign = me?.campaigns.find((c) => c.id === (me.call?.campaignId ?? me.preview?.campaignId)) ?? me?.campaigns[0] ?? null;
  // the engine holds a previewed contact only while the agent is reserved for it (a refused dial releases it)
  const previewing = me?.preview !== null && me?.preview !== undefined && me.state === 'reserved';
  const status = me === null ? null : agentStatusWord(me.state, me.call, previewing);
  const inCall = me?.call !== null && me?.call !== undefined;
  const connected = inCall && status === 'onCall';
  const wrapUp = status === 'wrapUp';
  const previewCampaign = me?.campaigns.find((c) => c.dialMode === 'preview') ?? null;
  const isPreview = previewing || previewCampaign !== null;
  const reasons = me?.pauseReasons ?? [];
  const selectedReason = pauseReason === '' ? (reasons[0] ?? '') : pauseReason;

  const saveDisposition = useCallback(() => {
    if (draft.code === null) return;
    const body: Record<string, unknown> = { code: draft.code };
    if (draft.notes.trim() !== '') body['notes'] = draft.notes.trim();
    const disposition = campaign?.dispositions.find((d) => d.code === draft.code);
    if (disposition?.action === 'callback') {
      const at = new Date(draft.callbackAt);
      if (Number.isNaN(at.getTime())) return;
      body['callbackAt'] = at.toISOString();
      body['callbackScope'] = draft.callbackScope;
    }
    void command('disposition', body);
  }, [draft, campaign, command]);

  // The person asked not to be called again. If the server answers before the call has fully ended (agent state
  // conflict), it has already listed the number; asking again once in wrap-up stores the disposition too.
  const doNotCall = useCallback(async () => {
    const first = await command('do-not-call');
    if (first !== null) return;
    await new Promise((resolve) => setTimeout(resolve, 400));
    await command('do-not-call');
  }, [command]);

  const signOutAll = useCallback(async () => {
    await command('sign-out');
    await signOut();
    navigate('/');
  }, [command, signOut]);

  const perform = useCallback(
    (action: AgentAction) => {
      if (me === null || busy) return;
      switch (action.type) {
        case 'ready':
          if (!inCall && !previewing && me.state !== 'ready') void command('ready');
          return;
        case 'pause':
          if (!inCall && !previewing && me.state !== 'paused') void command('pause', { reason: selectedReason });
          return;
        case 'hangup':
          if (connected) void command('hangup');
          return;
        case 'dnc':
          if (connected) void doNotCall();
          return;
        case 'save':
          if (wrapUp) saveDisposition();
          return;
        case 'dial':
          if (previewing) void command('preview/dial');
          return;
        case 'skip':
          if (previewing) void command('preview/skip');
          return;
        case 'notes':
          notesRef.current?.focus();
          return;
        case 'manualDial':
          manualRef.current?.focus();
          return;
        case 'disposition': {
          const d = campaign?.dispositions[action.index];
          if (wrapUp && d !== undefined) setDraft((current) => ({ ...current, code: d.code }));
          return;
        }
      }
    },
    [me, busy, inCall, previewing, connected, wrapUp, campaign, command, saveDisposition, selectedReason, doNotCall],
  );

  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      const action = actionForKey(event);
      if (action === null) return;
      event.preventDefault();
      perform(action);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [perform]);

  if (loadError !== null && me === null) {
    return (
      <main className="page">
        <div role="alert" className="alert">{loadError}</div>
      </main>
    );
  }
  if (me === null || status === null) {
    return (
      <main className="page" aria-busy="true">
        <p className="muted">{t('common.loading')}</p>
      </main>
    );
  }

  const scriptContext = me.call
    ? { contact: me.call.contact, agentName: me.displayName || (user?.displayName ?? ''), campaignName: campaign?.name ?? '' }
    : null;

  return (
    <main className="page agent-page">
      <h1 className="visually-hidden">{t('agent.title')}</h1>
      <div className={`status-bar status-${status}`}>
        <div className="status-main">
          <span className="status-dot" aria-hidden="true" />
          <span role="status" aria-live="polite" className="status-word">
            {t(`status.${status}`)}
          </span>
          <span className="status-time" aria-label={t('agent.timeInState')}>
            {fmt.duration(now - me.since)}
          </span>
          {me.state === 'paused' && me.reason && <span className="chip">{pauseReasonLabel(me.reason, t)}</span>}
        </div>
        <div className="status-side">
          {campaign && (
            <span className="chip chip-outline">
              {campaign.name}
              {dialModeKey(campaign.dialMode) !== null && ` · ${t(dialModeKey(campaign.dialMode) ?? 'dialMode.manual')}`}
            </span>
          )}
          {campaign?.training && <span className="chip chip-training">{t('agent.training')}</span>}
          <span className={`stream stream-${streamStatus}`}>{t(`stream.${streamStatus}`)}</span>
        </div>
      </div>
      {campaign?.training && (
        <p className="banner banner-training">{t('agent.trainingNote')}</p>
      )}

      <div className="agent-grid">
        <div className="agent-side">
          <section aria-labelledby="controls-heading" className="card">
            <h2 id="controls-heading">{t('agent.controls')}</h2>
            <div className="control-buttons">
              <button
                type="button"
                className="btn btn-ready"
                disabled={busy || inCall || previewing || me.state === 'ready'}
                onClick={() => perform({ type: 'ready' })}
                aria-keyshortcuts={shortcutKeys('ready')}
              >
                {t('agent.ready')}
                <KbdHint keys={shortcutKeys('ready')} />
              </button>
              <button
                type="button"
                className="btn btn-pause"
                disabled={busy || inCall || previewing || me.state === 'paused'}
                onClick={() => perform({ type: 'pause' })}
                aria-keyshortcuts={shortcutKeys('pause')}
              >
                {t('agent.pause')}
                <KbdHint keys={shortcutKeys('pause')} />
              </button>
            </div>
            <label className="field">
              <span>{t('agent.pauseReason')}</span>
              <select value={selectedReason} onChange={(e) => setPauseReason(e.target.value)}>
                {reasons.map((r) => (
                  <option key={r} value={r}>
                    {pauseReasonLabel(r, t)}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="btn btn-ghost btn-block" disabled={busy || inCall} onClick={() => void signOutAll()}>
              {t('agent.signOut')}
            </button>
          </section>

          {!inCall && <ManualDialPanel phone={manualPhone} onPhone={(p) => { setManualPhone(p); setRefusal(null); }} onDial={() => void command('dial', { phone: manualPhone.trim() })} disabled={busy} refusal={refusal?.from === 'manual' ? refusal.reasons : null} inputRef={manualRef} />}

          <MyCallbacksPanel version={callbacksVersion} now={now} />

          <section aria-labelledby="shortcuts-heading" className="card shortcuts-card">
            <h2 id="shortcuts-heading">{t('agent.shortcuts')}</h2>
            <ul className="shortcut-list">
              {AGENT_SHORTCUTS.map((s) => (
                <li key={s.keys}>
                  <kbd className="kbd">{s.keys}</kbd> {t(`shortcut.${s.action.type}`)}
                </li>
              ))}
              <li>
                <kbd className="kbd">Alt+1…9</kbd> {t('shortcut.disposition')}
              </li>
            </ul>
          </section>
        </div>

        <div className="agent-main">
          {actionError !== null && (
            <div role="alert" className="alert">
              {actionError}
            </div>
          )}
          {me.call && scriptContext ? (
            <>
              <CustomerPanel contact={me.call.contact} now={now} />
              {connected && (
                <div className="call-actions">
                  <button type="button" className="btn btn-danger" disabled={busy} onClick={() => perform({ type: 'hangup' })} aria-keyshortcuts={shortcutKeys('hangup')}>
                    {t('agent.hangUp')}
                    <KbdHint keys={shortcutKeys('hangup')} />
                  </button>
                  <button type="button" className="btn btn-warn" disabled={busy} onClick={() => perform({ type: 'dnc' })} aria-keyshortcuts={shortcutKeys('dnc')}>
                    {t('agent.doNotCall')}
                    <KbdHint keys={shortcutKeys('dnc')} />
                  </button>
                  {me.call.connectedAt !== null && (
                    <span className="muted">{t('agent.talkTime', { time: fmt.duration(now - me.call.connectedAt) })}</span>
                  )}
                </div>
              )}
              {wrapUp && campaign && (
                <WrapUpPanel
                  dispositions={campaign.dispositions}
                  draft={draft}
                  onChange={setDraft}
                  onSave={saveDisposition}
                  busy={busy}
                  contactTimezone={me.call.contact.timezone}
                  notesRef={notesRef}
                />
              )}
              {campaign && <ScriptPanel template={campaign.scriptTemplate} context={scriptContext} />}
            </>
          ) : isPreview ? (
            <PreviewPanel
              contact={previewing ? (me.preview?.contact ?? null) : null}
              now={now}
              busy={busy}
              refusal={refusal?.from === 'preview' ? refusal.reasons : null}
              onFetch={() => {
                setRefusal(null);
                void command('preview/next');
              }}
              canFetch={me.state === 'ready' || me.state === 'paused'}
              onDial={() => perform({ type: 'dial' })}
              onSkip={() => perform({ type: 'skip' })}
            />
          ) : (
            <div className="card waiting-card">
              <p className="waiting-title">{me.state === 'ready' ? t('agent.waitingReady') : t('agent.waitingPaused')}</p>
              <p className="muted">{me.state === 'ready' ? t('agent.waitingReadyHint') : t('agent.waitingPausedHint')}</p>
            </div>
          )}
        </div>
      </div>
    </main>
  );
}
