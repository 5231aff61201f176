/**
 * The compliance check's request and decision, exactly as ../shared/contracts/compliance-check.md defines them.
 * Change only by adding optional fields.
 */

export type CampaignPurpose = 'telemarketing' | 'debt_collection' | 'informational' | 'survey';
export type DialMode = 'predictive' | 'progressive' | 'preview' | 'manual';
export type ConsentKind = 'written' | 'express' | 'time';
export type ConsentScope = 'telemarketing' | 'informational' | 'debt_collection' | 'all';
export type LineType = 'wireless' | 'landline' | 'unknown';
export type HistoryOutcome =
  | 'no_answer'
  | 'busy'
  | 'failed'
  | 'voicemail'
  | 'machine'
  | 'answered'
  | 'abandoned'
  | 'amd_hangup';

export interface ComplianceConsent {
  kind: ConsentKind;
  at: string;
  scope?: ConsentScope;
  revokedAt?: string | null;
}

export interface ComplianceHistoryEntry {
  at: string;
  seller?: string;
  subject?: string;
  debtId?: string | null;
  dialMode?: DialMode;
  prerecorded?: boolean;
  outcome: HistoryOutcome;
  conversation?: boolean;
  /** Optional: the stored attempt this entry comes from, echoed in the evidence. */
  attemptId?: string;
}

export interface ComplianceRequest {
  id: string;
  at: string;
  phone: string;
  country?: string;
  campaign?: {
    purpose?: CampaignPurpose;
    dialMode?: DialMode;
    prerecorded?: boolean;
    seller?: string;
    subject?: string;
    agentGuaranteed?: boolean;
    audience?: 'consumer' | 'business';
  };
  contact?: {
    postalCode?: string | null;
    region?: string | null;
    lineType?: LineType;
    portedToWirelessAt?: string | null;
    consents?: ComplianceConsent[];
    ebr?: { lastTransactionAt?: string | null; lastInquiryAt?: string | null };
    dncRequestAt?: string | null;
    objectedAt?: string | null;
    stopCallingAt?: string | null;
    debtId?: string | null;
    reassigned?: 'yes' | 'no' | 'no_data' | null;
  };
  lists?: {
    nationalDnc?: boolean;
    nationalDncSyncedAt?: string | null;
    stateDnc?: string[];
    tps?: boolean;
    internalDnc?: boolean;
    litigator?: boolean;
  };
  history?: ComplianceHistoryEntry[];
  campaignWindow?: { liveAnswers: number; abandoned: number; amdFalsePositiveEstimate?: number };
  options?: { revokeAll?: boolean; tpsGraceDays?: number };
}

export type Verdict = 'allow' | 'defer' | 'block';

export type ReasonCategory =
  | 'calling_hours'
  | 'day_ban'
  | 'dnc_national'
  | 'dnc_state'
  | 'dnc_internal'
  | 'dnc_stale'
  | 'tps'
  | 'litigator'
  | 'consent'
  | 'frequency'
  | 'abandon_cooldown'
  | 'abandon_rate'
  | 'objection'
  | 'stop_calling'
  | 'reassigned'
  | 'invalid_number';

export interface DecisionReason {
  category: ReasonCategory;
  rule: string;
  jurisdiction: string;
  detail?: Record<string, unknown>;
}

export interface ComplianceDecision {
  id: string;
  verdict: Verdict;
  notBefore: string | null;
  reasons: DecisionReason[];
  evaluated: Array<{ rule: string; outcome: 'pass' | 'fail' | 'not_applicable'; detail?: Record<string, unknown> }>;
  evidence: {
    rulesVersion: string;
    zones: string[];
    jurisdictions: string[];
    [key: string]: unknown;
  };
}

/** What the dialer asks before every dial. There is one implementation of the decision; gates only build requests. */
export interface ComplianceGate {
  check(request: ComplianceRequest): ComplianceDecision;
}
