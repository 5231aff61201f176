import type { AttemptOutcome, CampaignSettings, DispositionDef } from '../campaign/types.ts';
import { chargesAttempt } from '../call/outcome-mapping.ts';
import type { ContactUpdate } from './events.ts';

const MINUTE = 60_000;
/** UK (Ofcom): no repeat call to an abandoned number within 72 hours unless an agent is guaranteed. */
export const UK_ABANDON_NO_REDIAL_MS = 72 * 60 * MINUTE;

/** Used when the campaign has no retry rule for an outcome. */
const DEFAULT_RETRY: Readonly<Record<AttemptOutcome, { action: 'retry' | 'final'; delayMinutes: number }>> = {
  answered: { action: 'retry', delayMinutes: 60 },
  abandoned: { action: 'retry', delayMinutes: 60 },
  machine: { action: 'retry', delayMinutes: 120 },
  voicemail: { action: 'retry', delayMinutes: 240 },
  amd_hangup: { action: 'retry', delayMinutes: 120 },
  no_answer: { action: 'retry', delayMinutes: 120 },
  busy: { action: 'retry', delayMinutes: 15 },
  unavailable: { action: 'retry', delayMinutes: 120 },
  rejected: { action: 'retry', delayMinutes: 1440 },
  invalid: { action: 'final', delayMinutes: 0 },
  blocked: { action: 'retry', delayMinutes: 240 },
  congestion: { action: 'retry', delayMinutes: 5 },
  failed: { action: 'retry', delayMinutes: 5 },
  cancelled: { action: 'retry', delayMinutes: 5 },
  interrupted: { action: 'retry', delayMinutes: 5 },
};

export interface AttemptFacts {
  contactId: string;
  attemptNo: number;
  outcome: AttemptOutcome;
  at: number;
}

/** Attempts charged after this one (local and carrier failures are not the lead's). */
function attemptsAfter(facts: AttemptFacts): number {
  return chargesAttempt(facts.outcome) ? facts.attemptNo : facts.attemptNo - 1;
}

/** The contact change after an attempt that no agent dispositioned (not answered, abandoned, machine...). */
export function contactAfterAttempt(campaign: CampaignSettings, facts: AttemptFacts): ContactUpdate {
  const rule = campaign.retryRules.find((r) => r.outcome === facts.outcome) ?? DEFAULT_RETRY[facts.outcome];
  const attempts = attemptsAfter(facts);
  const base = {
    contactId: facts.contactId,
    campaignId: campaign.id,
    attempts,
    lastOutcome: facts.outcome,
    lastAttemptAt: facts.at,
  };
  if (rule.action === 'final') {
    return { ...base, status: facts.outcome === 'invalid' ? 'invalid' : 'done', nextDialAt: null, reason: 'retry_rule' };
  }
  if (attempts >= campaign.maxAttempts) return { ...base, status: 'done', nextDialAt: null, reason: 'max_attempts' };
  let next = facts.at + rule.delayMinutes * MINUTE;
  if (campaign.regime === 'uk24h' && facts.outcome === 'abandoned') {
    next = Math.max(next, facts.at + UK_ABANDON_NO_REDIAL_MS);
  }
  return { ...base, status: 'dialable', nextDialAt: next, reason: 'retry_rule' };
}

export type DispositionRuleResult =
  | { ok: true; update: ContactUpdate; def: DispositionDef }
  | { ok: false; error: 'unknown_disposition' | 'callback_time_required' };

/** The contact change a disposition implies, by the campaign's definition of the code. */
export function contactAfterDisposition(
  campaign: CampaignSettings,
  facts: { contactId: string; attemptNo: number; at: number },
  input: { code: string; callbackAt?: number },
): DispositionRuleResult {
  const def = campaign.dispositions.find((d) => d.code === input.code);
  if (def === undefined) return { ok: false, error: 'unknown_disposition' };
  const base = {
    contactId: facts.contactId,
    campaignId: campaign.id,
    attempts: facts.attemptNo,
    lastOutcome: 'answered' as const,
    lastAttemptAt: facts.at,
    reason: 'disposition',
  };
  switch (def.action) {
    case 'final':
      return { ok: true, def, update: { ...base, status: 'done', nextDialAt: null } };
    case 'dnc':
      return { ok: true, def, update: { ...base, status: 'dnc', nextDialAt: null } };
    case 'callback':
      if (input.callbackAt === undefined || !(input.callbackAt > facts.at)) {
        return { ok: false, error: 'callback_time_required' };
      }
      return { ok: true, def, update: { ...base, status: 'callback', nextDialAt: input.callbackAt } };
    case 'retry': {
      if (facts.attemptNo >= campaign.maxAttempts) {
        return { ok: true, def, update: { ...base, status: 'done', nextDialAt: null, reason: 'max_attempts' } };
      }
      const delay = (def.retryAfterMinutes ?? 60) * MINUTE;
      return { ok: true, def, update: { ...base, status: 'dialable', nextDialAt: facts.at + delay } };
    }
  }
}
