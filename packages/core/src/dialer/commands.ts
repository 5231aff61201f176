import type { AgentState } from '../agent/agent-state.ts';
import type { ComplianceDecision } from '../compliance/types.ts';
import type { CampaignStats, ContactUpdate, DialKind } from './events.ts';
import type { DialTarget } from './ports.ts';

/** Expected refusals of engine commands: typed, never thrown. */
export type CommandError =
  | 'unknown_agent'
  | 'unknown_campaign'
  | 'not_in_campaign'
  | 'wrong_state'
  | 'campaign_not_running'
  | 'wrong_mode'
  | 'no_contact'
  | 'unknown_disposition'
  | 'callback_time_required'
  | 'compliance_refused'
  | 'no_call';

export type CommandResult<T = undefined> =
  | { ok: true; value: T }
  | { ok: false; error: CommandError; detail?: string; state?: AgentState; decision?: ComplianceDecision };

export interface DispositionInput {
  code: string;
  notes?: string;
  /** Required for callback dispositions (epoch ms, in the future). */
  callbackAt?: number;
  callbackScope?: 'agent' | 'campaign';
}

export interface ManualDialOptions {
  /** Campaign the call belongs to; default the agent's first campaign. */
  campaignId?: string;
  /** The stored contact, when the agent dials one; default `manual:<phone>`. */
  contactId?: string;
  attemptNo?: number;
  compliance?: DialTarget['compliance'];
}

export interface AgentView {
  agentId: string;
  state: AgentState;
  since: number;
  reason: string;
  campaignIds: readonly string[];
  /** Current call, if any. */
  callId: string | null;
  contactId: string | null;
  /** Pause requested while busy: applied after the disposition. */
  pendingPause: string | null;
}

export interface CampaignView extends CampaignStats {
  campaignId: string;
  mode: DialKind;
  policy: string;
}

export interface EngineSnapshot {
  at: number;
  agents: AgentView[];
  campaigns: CampaignView[];
}

export type { ContactUpdate };
