import type { ComplianceDecision, ReasonCategory } from '../api/types.ts';
import type { MessageKey } from '../i18n/en.ts';

const CATEGORIES: readonly ReasonCategory[] = [
  'calling_hours', 'day_ban', 'dnc_national', 'dnc_state', 'dnc_internal', 'dnc_stale', 'tps', 'litigator', 'consent',
  'frequency', 'abandon_cooldown', 'abandon_rate', 'objection', 'stop_calling', 'reassigned', 'invalid_number',
];

export function isReasonCategory(value: unknown): value is ReasonCategory {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}

export interface RefusalReason {
  key: MessageKey;
  rule: string;
  jurisdiction: string;
}

/** The reasons of a refused manual dial, from the error's `details.decision`, as catalog keys plus rule ids. */
export function refusalReasons(details: unknown): RefusalReason[] {
  const decision = (details as { decision?: Partial<ComplianceDecision> } | null | undefined)?.decision;
  const reasons = Array.isArray(decision?.reasons) ? decision.reasons : [];
  return reasons.map((r) => ({
    key: isReasonCategory(r.category) ? (`reason.${r.category}` as const) : 'reason.other',
    rule: typeof r.rule === 'string' ? r.rule : '',
    jurisdiction: typeof r.jurisdiction === 'string' ? r.jurisdiction : '',
  }));
}
