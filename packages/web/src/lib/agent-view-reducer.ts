import type { AgentMe, AgentState, ContactView, StreamEvent } from '../api/types.ts';

const AGENT_STATES: readonly AgentState[] = ['signed_out', 'ready', 'reserved', 'on_call', 'wrap_up', 'paused'];

function isAgentState(value: unknown): value is AgentState {
  return typeof value === 'string' && (AGENT_STATES as readonly string[]).includes(value);
}

/**
 * Applies one stream event to the agent's own view. The screen pop comes straight from attempt.connected (which
 * carries the contact), so it renders without a round trip to the server.
 */
export function applyAgentEvent(view: AgentMe, event: StreamEvent): AgentMe {
  const p = event.payload;
  if (p['agentId'] !== undefined && p['agentId'] !== view.agentId) return view;
  switch (event.type) {
    case 'agent.state': {
      const to = p['to'];
      if (!isAgentState(to)) return view;
      // the event's reason is the transition's (ready, bridged, ...); only a pause keeps it, as the pause reason
      const reason = to === 'paused' && typeof p['reason'] === 'string' && p['reason'] !== 'signed_in' ? p['reason'] : null;
      const keepsCall = to === 'on_call' || to === 'wrap_up' || to === 'reserved';
      const call = keepsCall ? view.call : null;
      const withCallState = call !== null && to === 'wrap_up' ? { ...call, state: 'wrap_up' as const } : call;
      // back to ready, paused or signed out: a previewed contact was dialed, skipped or released
      const preview = to === 'reserved' || to === 'on_call' ? view.preview : null;
      return { ...view, state: to, since: event.at, reason, call: withCallState, preview: preview ?? null };
    }
    case 'attempt.connected': {
      const contact = p['contact'] as ContactView | undefined;
      const attemptId = p['attemptId'];
      if (contact === undefined || typeof attemptId !== 'string') return view;
      const campaignId = typeof p['campaignId'] === 'string' ? p['campaignId'] : (event.campaignId ?? '');
      return {
        ...view,
        state: 'on_call',
        since: view.state === 'on_call' ? view.since : event.at,
        call: { attemptId, campaignId, contact, state: 'connected', connectedAt: event.at },
        preview: null,
      };
    }
    case 'attempt.ended': {
      if (view.call === null || p['attemptId'] !== view.call.attemptId) return view;
      return { ...view, call: { ...view.call, state: 'wrap_up' } };
    }
    case 'attempt.dialed': {
      // a preview (or manual) dial owned by this agent: the call rings with the previewed contact
      const attemptId = p['attemptId'] ?? p['id'];
      if (p['agentId'] !== view.agentId || typeof attemptId !== 'string') return view;
      const campaignId = typeof p['campaignId'] === 'string' ? p['campaignId'] : (event.campaignId ?? '');
      const phone = typeof p['phone'] === 'string' ? p['phone'] : '';
      const contact: ContactView = view.preview?.contact ?? {
        id: typeof p['contactId'] === 'string' ? p['contactId'] : '', phone, firstName: null, lastName: null, city: null, region: null, postalCode: null, timezone: null, attributes: {},
      };
      return { ...view, call: { attemptId, campaignId, contact, state: 'ringing', connectedAt: null }, preview: null };
    }
    case 'preview.offered': {
      const display = (p['display'] ?? {}) as Partial<ContactView>;
      const campaignId = typeof p['campaignId'] === 'string' ? p['campaignId'] : (event.campaignId ?? '');
      const contact: ContactView = {
        id: typeof p['contactId'] === 'string' ? p['contactId'] : '', phone: display.phone ?? (typeof p['phone'] === 'string' ? p['phone'] : ''),
        firstName: display.firstName ?? null, lastName: display.lastName ?? null, city: display.city ?? null, region: display.region ?? null, postalCode: display.postalCode ?? null,
        timezone: display.timezone ?? null, attributes: display.attributes ?? {},
      };
      return { ...view, preview: { campaignId, contact } };
    }
    case 'campaign.updated': {
      const id = p['campaignId'] ?? event.campaignId;
      const dialMode = p['dialMode'];
      if (typeof dialMode !== 'string') return view;
      return { ...view, campaigns: view.campaigns.map((c) => (c.id === id ? { ...c, dialMode } : c)) };
    }
    case 'disposition.saved': {
      if (view.call === null || p['attemptId'] !== view.call.attemptId) return view;
      return { ...view, call: null };
    }
    default:
      return view;
  }
}
