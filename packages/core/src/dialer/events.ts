import type { AgentState } from '../agent/agent-state.ts';
import type { AttemptOutcome, DispositionAction } from '../campaign/types.ts';
import type { ComplianceDecision } from '../compliance/types.ts';
import type { AmdVerdict, CallOutcome } from '../telephony/driver.ts';

/**
 * Everything the dialer engine reports, as one discriminated union. The host persists and broadcasts these; tests
 * and the pacing benchmark compute their figures from them. All times are epoch ms from the engine's clock.
 */

export type DialKind = 'predictive' | 'progressive' | 'preview' | 'manual';

/** Contact status, as stored (packages/store schema `contacts.status`). */
export type ContactStatus = 'dialable' | 'callback' | 'done' | 'dnc' | 'invalid';

/** One dial, as placed: everything needed to store the attempt row, including the compliance decision. */
export interface AttemptRecord {
  /** The attempt id is the call id handed to the driver. */
  attemptId: string;
  campaignId: string;
  contactId: string;
  phone: string;
  attemptNo: number;
  kind: DialKind;
  /** The agent who owns the call (preview and manual dials); null for pooled calls. */
  agentId: string | null;
  callerId: string;
  dialedAt: number;
  ringTimeoutMs: number;
  amd: boolean;
  /** Pacing policy that placed it (pooled calls) or the dial kind. */
  policy: string;
  nodeId: string | null;
  training: boolean;
  /** The gate's decision (verdict allow) with its evidence. */
  decision: ComplianceDecision;
}

/** How a contact changes after an attempt or a disposition. */
export interface ContactUpdate {
  contactId: string;
  campaignId: string;
  status: ContactStatus;
  /** When it may be dialed next (dialable, callback); null when it is closed. */
  nextDialAt: number | null;
  /** Attempts charged to the contact so far. */
  attempts: number;
  lastOutcome: AttemptOutcome | null;
  lastAttemptAt: number | null;
  /** Why: `retry_rule`, `max_attempts`, `disposition`, `compliance_block`, `preview_skip`, ... */
  reason: string;
}

export interface AttemptTimings {
  dialedAt: number;
  answeredAt: number | null;
  /** When the abandonment grace started (greeting start or end, by regime). */
  graceStartedAt: number | null;
  connectedAt: number | null;
  endedAt: number;
  /** Dial → answer, or dial → end when never answered. */
  ringMs: number;
  /** Connected → end, when an agent talked. */
  talkMs: number | null;
}

export interface CampaignStats {
  status: 'draft' | 'running' | 'paused' | 'stopped';
  dialLevel: number;
  agentsSignedIn: number;
  agentsReady: number;
  ringing: number;
  analysing: number;
  waiting: number;
  /** Calls in progress of any kind (pooled and agent-owned). */
  calls: number;
  dialed: number;
  liveAnswers: number;
  connected: number;
  abandoned: number;
  /** abandoned / liveAnswers over the current compliance window (host-seeded plus this run). */
  abandonRate: number;
  windowLiveAnswers: number;
  windowAbandoned: number;
}

export type EngineEvent =
  | { type: 'attempt.dialed'; at: number; attempt: AttemptRecord }
  | { type: 'attempt.answered'; at: number; attemptId: string; campaignId: string; contactId: string }
  | {
      type: 'attempt.amd';
      at: number;
      attemptId: string;
      campaignId: string;
      result: AmdVerdict;
      cause: string;
      decisionMs: number;
    }
  | {
      type: 'attempt.connected';
      at: number;
      attemptId: string;
      campaignId: string;
      contactId: string;
      agentId: string;
      /** From the grace start (or the answer) to the connect. */
      waitMs: number;
      display: Readonly<Record<string, unknown>> | null;
    }
  | {
      type: 'attempt.abandoned';
      at: number;
      attemptId: string;
      campaignId: string;
      contactId: string;
      /** The abandon message started now (at the end of the grace). */
      promptId: string;
      graceStartedAt: number;
      /** `no_agent`: nobody free within the grace. */
      reason: 'no_agent';
    }
  | {
      type: 'attempt.ended';
      at: number;
      attemptId: string;
      campaignId: string;
      contactId: string;
      attemptNo: number;
      outcome: AttemptOutcome;
      callOutcome: CallOutcome;
      sipCode: number | null;
      q850: number | null;
      by: 'remote' | 'local' | 'timeout';
      amd: AmdVerdict | null;
      amdMs: number | null;
      agentId: string | null;
      abandoned: boolean;
      abandonMessagePlayed: boolean;
      /** Live answer as counted for abandonment statistics (human or unknown verdict, or no AMD). */
      liveAnswer: boolean;
      timings: AttemptTimings;
    }
  | { type: 'contact.updated'; at: number; update: ContactUpdate; decision: ComplianceDecision | null }
  | {
      type: 'contact.deferred';
      at: number;
      contactId: string;
      campaignId: string;
      /** Schedule the contact again at this instant; the engine does not poll. */
      notBefore: number;
      decision: ComplianceDecision;
    }
  | {
      type: 'agent.state';
      at: number;
      agentId: string;
      from: AgentState;
      to: AgentState;
      /** Pause reason for `paused`, otherwise the cause (AgentStateCause). */
      reason: string;
      campaignIds: readonly string[];
      callId: string | null;
    }
  | {
      type: 'disposition.saved';
      at: number;
      agentId: string;
      attemptId: string;
      campaignId: string;
      contactId: string;
      code: string;
      action: DispositionAction;
      notes: string | null;
      callbackAt: number | null;
      callbackScope: 'agent' | 'campaign' | null;
      /** The contact change this disposition implies (also emitted as `contact.updated`). */
      contact: ContactUpdate;
      wrapMs: number;
      /** The agent heard an answering machine (the disposition says so): the attempt is no live answer. */
      machine: boolean;
    }
  | {
      type: 'preview.offered';
      at: number;
      agentId: string;
      campaignId: string;
      contactId: string;
      phone: string;
      attemptNo: number;
      display: Readonly<Record<string, unknown>> | null;
    }
  | { type: 'campaign.stats'; at: number; campaignId: string; stats: CampaignStats };

export type EngineEventType = EngineEvent['type'];
