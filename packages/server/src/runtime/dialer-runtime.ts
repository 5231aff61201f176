/**
 * The server's face of the dialer: what routes may ask of the running engine. Implemented over the core's
 * DialerEngine with store-backed ports (runtime/engine-host.ts).
 */
export type AgentState = 'signed_out' | 'ready' | 'reserved' | 'on_call' | 'wrap_up' | 'paused';

export interface ContactView {
  id: string;
  phone: string;
  firstName: string | null;
  lastName: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  timezone: string | null;
  attributes: Record<string, unknown>;
}

export interface CallView {
  attemptId: string;
  campaignId: string;
  contact: ContactView;
  state: 'ringing' | 'connected' | 'wrap_up';
  connectedAt: number | null;
}

export interface AgentView {
  agentId: string;
  username: string;
  displayName: string;
  state: AgentState;
  since: number;
  reason: string | null;
  campaignIds: string[];
  call: CallView | null;
  /** Preview mode: the contact offered to the agent, before they dial or skip. */
  preview?: { campaignId: string; contact: ContactView } | null;
}

export interface CampaignFloorView {
  id: string;
  name: string;
  status: string;
  dialMode: string;
  dialLevel: number;
  abandonTarget: number;
  abandonRate: number;
  calls: number;
  answered: number;
  abandoned: number;
  ringing: number;
  waiting: number;
}

export interface FloorView {
  agents: AgentView[];
  campaigns: CampaignFloorView[];
}

export type AgentCommand =
  | { type: 'ready' }
  | { type: 'pause'; reason: string }
  | { type: 'sign-out' }
  | { type: 'hangup' }
  | { type: 'disposition'; code: string; notes?: string; callbackAt?: number; callbackScope?: 'personal' | 'campaign' }
  | { type: 'do-not-call' }
  | { type: 'preview-next' }
  | { type: 'preview-dial' }
  | { type: 'preview-skip' }
  | { type: 'manual-dial'; phone: string };

export type CommandResult =
  | { ok: true; view: AgentView; detail?: Record<string, unknown> }
  | { ok: false; code: 'agent_state' | 'not_found' | 'compliance_refused' | 'invalid' | 'conflict'; message: string; detail?: Record<string, unknown> };

export interface DialerRuntime {
  floor(): FloorView;
  agentView(userId: string): Promise<AgentView>;
  agentCommand(userId: string, command: AgentCommand): Promise<CommandResult>;
  /** Re-reads a campaign from the store after an edit (pause, resume, settings). */
  campaignChanged(campaignId: string): Promise<void>;
  stop(): Promise<void>;
}
