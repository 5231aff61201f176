import type { MessageKey } from '../i18n/en.ts';

/** Catalog keys for values that come from the server as strings (dial modes, campaign statuses, agent states). */
const DIAL_MODES = ['preview', 'progressive', 'predictive', 'power', 'manual'] as const;
const CAMPAIGN_STATUSES = ['draft', 'running', 'paused', 'stopped'] as const;
const AGENT_STATES = ['signed_out', 'ready', 'reserved', 'on_call', 'wrap_up', 'paused'] as const;

export const EDITABLE_DIAL_MODES = ['preview', 'progressive', 'predictive'] as const;

function pick<T extends string>(list: readonly T[], value: string): T | undefined {
  return (list as readonly string[]).includes(value) ? (value as T) : undefined;
}

export function dialModeKey(mode: string): MessageKey | null {
  const m = pick(DIAL_MODES, mode);
  return m === undefined ? null : `dialMode.${m}`;
}

export function campaignStatusKey(status: string): MessageKey | null {
  const s = pick(CAMPAIGN_STATUSES, status);
  return s === undefined ? null : `campaignStatus.${s}`;
}

export function agentStateKey(state: string): MessageKey | null {
  const s = pick(AGENT_STATES, state);
  return s === undefined ? null : `agentState.${s}`;
}
