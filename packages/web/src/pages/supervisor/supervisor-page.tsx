import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { api, ApiError } from '../../api/api-client.ts';
import type { CallbacksOverview, FloorView, StreamEvent } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { useEventStream } from '../../api/use-event-stream.ts';
import { LineChart } from '../../components/line-chart.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { applyFloorEvent, floorFromSnapshot } from '../../lib/floor-reducer.ts';
import type { FloorState } from '../../lib/floor-reducer.ts';
import { useNow } from '../../lib/use-now.ts';
import { AgentsTable } from './agents-table.tsx';
import { CallbacksTable } from './callbacks-table.tsx';
import { CampaignsTable } from './campaigns-table.tsx';

export function SupervisorPage(): ReactNode {
  const { t, fmt } = useI18n();
  const [floor, setFloor] = useState<FloorState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const reloading = useRef(false);
  // events apply in order against the latest state, outside React's deferred updaters
  const floorRef = useRef<FloorState | null>(null);
  const now = useNow(1000);
  const callbacks = useApiData<CallbacksOverview>('/api/v1/callbacks');
  const callbackContacts = useRef(new Set<string>());
  callbackContacts.current = new Set((callbacks.data?.callbacks ?? []).map((c) => c.contactId));
  const reloadCallbacks = callbacks.reload;

  const loadSnapshot = useCallback(async () => {
    if (reloading.current) return;
    reloading.current = true;
    try {
      const view = await api.get<FloorView>('/api/v1/floor');
      floorRef.current = floorFromSnapshot(view, floorRef.current?.history ?? {});
      setFloor(floorRef.current);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('common.networkError'));
    } finally {
      reloading.current = false;
    }
  }, [t]);

  useEffect(() => {
    void loadSnapshot();
  }, [loadSnapshot]);

  const onEvent = useCallback(
    (event: StreamEvent) => {
      const current = floorRef.current;
      if (current === null) return;
      const update = applyFloorEvent(current, event);
      floorRef.current = update.state;
      if (update.state !== current) setFloor(update.state);
      // an agent who just signed in or a new campaign: fetch the snapshot once (event-driven, not a poll)
      if (update.needsSnapshot) void loadSnapshot();
      if (changesCallbacks(event, callbackContacts.current)) reloadCallbacks();
    },
    [loadSnapshot, reloadCallbacks],
  );
  const streamStatus = useEventStream(onEvent, true, () => void loadSnapshot());

  async function campaignAction(id: string, run: () => Promise<unknown>): Promise<void> {
    setBusyId(id);
    setError(null);
    try {
      await run();
      await loadSnapshot();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('common.networkError'));
    } finally {
      setBusyId(null);
    }
  }

  const agents = floor?.agents ?? [];
  const counts = {
    ready: agents.filter((a) => a.state === 'ready').length,
    onCall: agents.filter((a) => a.state === 'on_call' || a.state === 'reserved').length,
    wrapUp: agents.filter((a) => a.state === 'wrap_up').length,
    paused: agents.filter((a) => a.state === 'paused').length,
  };

  return (
    <main className="page supervisor-page">
      <div className="page-head">
        <h1>{t('supervisor.title')}</h1>
        <span className={`stream stream-${streamStatus}`}>{t(`stream.${streamStatus}`)}</span>
      </div>
      {error !== null && (
        <div role="alert" className="alert">
          {error}
        </div>
      )}
      <div className="tiles">
        <div className="tile tile-ready"><span className="tile-value">{counts.ready}</span><span className="tile-label">{t('status.ready')}</span></div>
        <div className="tile tile-oncall"><span className="tile-value">{counts.onCall}</span><span className="tile-label">{t('status.onCall')}</span></div>
        <div className="tile tile-wrapup"><span className="tile-value">{counts.wrapUp}</span><span className="tile-label">{t('status.wrapUp')}</span></div>
        <div className="tile tile-paused"><span className="tile-value">{counts.paused}</span><span className="tile-label">{t('status.paused')}</span></div>
      </div>
      {floor === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : (
        <>
          <section className="card" aria-labelledby="sv-campaigns">
            <h2 id="sv-campaigns" className="visually-hidden">{t('supervisor.campaigns')}</h2>
            <CampaignsTable
              campaigns={floor.campaigns}
              busyId={busyId}
              onPause={(id) => void campaignAction(id, () => api.post(`/api/v1/campaigns/${id}/pause`))}
              onResume={(id) => void campaignAction(id, () => api.post(`/api/v1/campaigns/${id}/resume`))}
              onPatch={(id, patch) => void campaignAction(id, () => api.patch(`/api/v1/campaigns/${id}`, patch))}
            />
          </section>
          <section className="card" aria-labelledby="sv-agents">
            <h2 id="sv-agents" className="visually-hidden">{t('supervisor.agents')}</h2>
            <AgentsTable agents={floor.agents} campaigns={floor.campaigns} now={now} />
          </section>
          <section className="card" aria-labelledby="sv-callbacks">
            <h2 id="sv-callbacks" className="visually-hidden">{t('callbacks.title')}</h2>
            {callbacks.data === null ? (
              <p className="muted">{callbacks.error ?? t('common.loading')}</p>
            ) : (
              <CallbacksTable
                overview={callbacks.data}
                now={now}
                busyId={busyId}
                onAssign={(id, agentId) => void campaignAction(id, async () => {
                  await api.patch(`/api/v1/callbacks/${id}`, { agentId });
                  reloadCallbacks();
                })}
              />
            )}
          </section>
          <section className="card" aria-labelledby="sv-chart">
            <h2 id="sv-chart">{t('supervisor.chartTitle')}</h2>
            <div className="chart-grid-2">
              {floor.campaigns.map((c) => {
                const points = floor.history[c.id] ?? [];
                const peakLevel = Math.max(2, ...points.map((p) => p.dialLevel));
                return (
                  <div key={c.id} className="chart-block">
                    <h3>{c.name}</h3>
                    {points.length === 0 ? (
                      <p className="muted small">{t('supervisor.chartWaiting')}</p>
                    ) : (
                      <>
                        <LineChart
                          title={t('supervisor.chartDialLevel', { name: c.name })}
                          series={[{ label: t('supervisor.colDialLevel'), className: 'series-a', points: points.map((p) => ({ x: p.at, y: p.dialLevel })) }]}
                          yMax={Math.ceil(peakLevel)}
                          formatY={(v) => fmt.number(v, 1)}
                          formatX={(v) => fmt.time(v)}
                          height={150}
                        />
                        <LineChart
                          title={t('supervisor.chartAbandon', { name: c.name })}
                          series={[{ label: t('supervisor.windowAbandon'), className: 'series-b', points: points.map((p) => ({ x: p.at, y: p.windowAbandonRate })) }]}
                          yMax={Math.max(0.06, ...points.map((p) => p.windowAbandonRate))}
                          formatY={(v) => fmt.percent(v, 0)}
                          formatX={(v) => fmt.time(v)}
                          threshold={{ value: 0.03, label: t('supervisor.limit3', { value: fmt.percent(0.03, 0) }) }}
                          height={150}
                        />
                      </>
                    )}
                  </div>
                );
              })}
            </div>
          </section>
        </>
      )}
    </main>
  );
}

/** A callback was saved, moved, or its contact dialed (which completes it): the table is fetched again. */
function changesCallbacks(event: StreamEvent, contacts: ReadonlySet<string>): boolean {
  if (event.type === 'callback.updated') return true;
  if (event.type === 'disposition.saved') return event.payload['callbackAt'] !== null && event.payload['callbackAt'] !== undefined;
  if (event.type === 'attempt.dialed') return contacts.has(String(event.payload['contactId']));
  return false;
}
