import type { AgentState, AgentView, CampaignFloorView, ContactView, FloorView, StreamEvent } from '../api/types.ts';

export interface StatsPoint {
  at: number;
  dialLevel: number;
  abandonRate: number;
  windowAbandonRate: number;
}

export interface FloorState extends FloorView {
  /** Recent campaign.stats points per campaign, oldest first, for the live chart. */
  history: Record<string, StatsPoint[]>;
}

export interface FloorUpdate {
  state: FloorState;
  /** The event names an agent or campaign the snapshot does not have: reload the snapshot once. */
  needsSnapshot: boolean;
}

export const HISTORY_POINTS = 120;

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

interface StatsFields {
  status?: string;
  dialLevel?: unknown;
  abandonRate?: unknown;
  calls?: unknown;
  answered?: unknown;
  abandoned?: unknown;
  ringing?: unknown;
  waiting?: unknown;
  windowAbandonRate?: unknown;
}

/**
 * campaign.stats comes flat ({dialLevel, calls, answered, ...}) or with the engine's counters nested under `stats`
 * ({dialed, liveAnswers, windowLiveAnswers, windowAbandoned, ...}); both read the same way.
 */
export function statsOf(payload: Record<string, unknown>): StatsFields {
  const nested = payload['stats'];
  if (typeof nested !== 'object' || nested === null) return payload as StatsFields;
  const s = nested as Record<string, unknown>;
  const windowLive = s['windowLiveAnswers'];
  const windowAbandoned = s['windowAbandoned'];
  const windowRate = typeof windowLive === 'number' && typeof windowAbandoned === 'number'
    ? (windowLive === 0 ? 0 : windowAbandoned / windowLive)
    : s['abandonRate'];
  return {
    ...(typeof s['status'] === 'string' ? { status: s['status'] } : {}),
    dialLevel: s['dialLevel'],
    abandonRate: s['abandonRate'],
    calls: s['dialed'],
    answered: s['liveAnswers'],
    abandoned: s['abandoned'],
    ringing: s['ringing'],
    waiting: s['waiting'],
    windowAbandonRate: windowRate,
  };
}

function updateAgent(state: FloorState, agentId: unknown, change: (a: AgentView) => AgentView): FloorUpdate {
  const index = state.agents.findIndex((a) => a.agentId === agentId);
  const current = state.agents[index];
  if (current === undefined) return { state, needsSnapshot: typeof agentId === 'string' };
  const agents = state.agents.slice();
  agents[index] = change(current);
  return { state: { ...state, agents }, needsSnapshot: false };
}

function updateCampaign(state: FloorState, campaignId: unknown, change: (c: CampaignFloorView) => CampaignFloorView): FloorUpdate {
  const index = state.campaigns.findIndex((c) => c.id === campaignId);
  const current = state.campaigns[index];
  if (current === undefined) return { state, needsSnapshot: typeof campaignId === 'string' };
  const campaigns = state.campaigns.slice();
  campaigns[index] = change(current);
  return { state: { ...state, campaigns }, needsSnapshot: false };
}

export function floorFromSnapshot(view: FloorView, history: Record<string, StatsPoint[]> = {}): FloorState {
  return { agents: view.agents, campaigns: view.campaigns, history };
}

/** Applies one stream event to the supervisor's floor: the tables move with the events, never by polling. */
export function applyFloorEvent(state: FloorState, event: StreamEvent): FloorUpdate {
  const p = event.payload;
  switch (event.type) {
    case 'agent.state':
      return updateAgent(state, p['agentId'], (a) => {
        const to = (typeof p['to'] === 'string' ? p['to'] : a.state) as AgentState;
        const keepsCall = to === 'on_call' || to === 'wrap_up' || to === 'reserved';
        const reason = to === 'paused' && typeof p['reason'] === 'string' && p['reason'] !== 'signed_in' ? p['reason'] : null;
        return { ...a, state: to, since: event.at, reason, call: keepsCall ? a.call : null };
      });
    case 'attempt.connected': {
      const contact = p['contact'] as ContactView | undefined;
      const attemptId = p['attemptId'];
      if (contact === undefined || typeof attemptId !== 'string') return { state, needsSnapshot: false };
      const campaignId = typeof p['campaignId'] === 'string' ? p['campaignId'] : (event.campaignId ?? '');
      return updateAgent(state, p['agentId'], (a) => ({
        ...a,
        call: { attemptId, campaignId, contact, state: 'connected', connectedAt: event.at },
      }));
    }
    case 'attempt.ended': {
      const agent = state.agents.find((a) => a.call?.attemptId === p['attemptId']);
      if (agent === undefined) return { state, needsSnapshot: false };
      return updateAgent(state, agent.agentId, (a) => (a.call ? { ...a, call: { ...a.call, state: 'wrap_up' } } : a));
    }
    case 'campaign.stats': {
      const campaignId = p['campaignId'] ?? event.campaignId;
      const stats = statsOf(p);
      const update = updateCampaign(state, campaignId, (c) => ({
        ...c,
        status: stats.status ?? c.status,
        dialLevel: num(stats.dialLevel, c.dialLevel),
        abandonRate: num(stats.abandonRate, c.abandonRate),
        calls: num(stats.calls, c.calls),
        answered: num(stats.answered, c.answered),
        abandoned: num(stats.abandoned, c.abandoned),
        ringing: num(stats.ringing, c.ringing),
        waiting: num(stats.waiting, c.waiting),
      }));
      if (typeof campaignId !== 'string' || update.needsSnapshot) return update;
      const current = update.state.campaigns.find((c) => c.id === campaignId);
      const point: StatsPoint = {
        at: event.at,
        dialLevel: current?.dialLevel ?? 0,
        abandonRate: current?.abandonRate ?? 0,
        windowAbandonRate: num(stats.windowAbandonRate, current?.abandonRate ?? 0),
      };
      const previous = update.state.history[campaignId] ?? [];
      const points = [...previous, point].slice(-HISTORY_POINTS);
      return { state: { ...update.state, history: { ...update.state.history, [campaignId]: points } }, needsSnapshot: false };
    }
    case 'campaign.updated': {
      const campaignId = p['campaignId'] ?? p['id'] ?? event.campaignId;
      return updateCampaign(state, campaignId, (c) => ({
        ...c,
        status: typeof p['status'] === 'string' ? p['status'] : c.status,
        dialMode: typeof p['dialMode'] === 'string' ? p['dialMode'] : c.dialMode,
        abandonTarget: num(p['abandonTarget'], c.abandonTarget),
        name: typeof p['name'] === 'string' ? p['name'] : c.name,
      }));
    }
    default:
      return { state, needsSnapshot: false };
  }
}

/** The campaign an agent works for now: the call's, or the campaigns they are assigned to. */
export function agentCampaignNames(agent: AgentView, campaigns: readonly CampaignFloorView[]): string {
  const nameOf = (id: string) => campaigns.find((c) => c.id === id)?.name ?? id;
  if (agent.call !== null) return nameOf(agent.call.campaignId);
  return agent.campaignIds.map(nameOf).join(', ');
}
