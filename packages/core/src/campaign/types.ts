import type { CampaignPurpose, DialMode } from '../compliance/types.ts';

/** What a call attempt ended as, as stored and reported (snake_case, the compliance contract's vocabulary+). */
export type AttemptOutcome =
  | 'answered'
  | 'abandoned'
  | 'machine'
  | 'voicemail'
  | 'amd_hangup'
  | 'no_answer'
  | 'busy'
  | 'unavailable'
  | 'rejected'
  | 'invalid'
  | 'blocked'
  | 'congestion'
  | 'failed'
  | 'cancelled'
  /** In progress when the server died; closed by reconciliation at start. */
  | 'interrupted';

export type DispositionAction = 'final' | 'retry' | 'dnc' | 'callback';

export interface DispositionDef {
  code: string;
  label: string;
  action: DispositionAction;
  /** For `retry`: how long before the contact may be dialed again. */
  retryAfterMinutes?: number;
  /** Counts as a conversion in reports. */
  sale?: boolean;
  /**
   * The agent heard an answering machine, not a person: the attempt leaves the live answers (abandonment rates count
   * people only) and the pacer learns the machine share. Unset: guessed from the code or label (isMachineDisposition).
   */
  machine?: boolean;
}

export interface RetryRule {
  outcome: AttemptOutcome;
  action: 'retry' | 'final';
  delayMinutes: number;
}

export interface CallingWindow {
  /** Local time of the called person, "HH:MM", half-open [start, end). */
  start: string;
  end: string;
  /** 0 = Sunday .. 6 = Saturday; omitted = every day. */
  days?: number[];
}

export type CampaignStatus = 'draft' | 'running' | 'paused' | 'stopped';

export interface CampaignSettings {
  id: string;
  name: string;
  status: CampaignStatus;
  purpose: CampaignPurpose;
  seller: string;
  subject: string;
  dialMode: Exclude<DialMode, 'manual'>;
  /** Pacing policy name (`progressive`, `outdial`, ...) with optional settings, as in the pacing bench. */
  pacingPolicy: string;
  /** Abandonment target as a fraction, at most 0.03. */
  abandonTarget: number;
  regime: 'us30d' | 'uk24h';
  callerId: string;
  scriptTemplate: string;
  dispositions: DispositionDef[];
  retryRules: RetryRule[];
  maxAttempts: number;
  callingWindow: CallingWindow | null;
  abandonMessagePromptId: string | null;
  ringTimeoutSeconds: number;
  amd: boolean;
  prerecorded: boolean;
  /** Practice campaigns (training mode) are kept out of real statistics and reports. */
  training: boolean;
  /** Segmentation filter over contact fields and custom attributes; null = every contact of the lists. */
  filter: string | null;
  listIds: string[];
}
