import type { AttemptOutcome, CampaignSettings, DispositionDef, RetryRule } from '../campaign/types.ts';
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

/** A contact update as one literal (object spread is slow on V8's generic path, and this runs once per dial). */
function update(
  campaign: CampaignSettings,
  contactId: string,
  attempts: number,
  lastOutcome: AttemptOutcome,
  at: number,
  status: ContactUpdate['status'],
  nextDialAt: number | null,
  reason: string,
): ContactUpdate {
  return { contactId, campaignId: campaign.id, status, nextDialAt, attempts, lastOutcome, lastAttemptAt: at, reason };
}

function retryRuleFor(campaign: CampaignSettings, outcome: AttemptOutcome): { action: 'retry' | 'final'; delayMinutes: number } {
  const rules = campaign.retryRules;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as RetryRule;
    if (r.outcome === outcome) return r;
  }
  return DEFAULT_RETRY[outcome];
}

/** The contact change after an attempt that no agent dispositioned (not answered, abandoned, machine...). */
export function contactAfterAttempt(campaign: CampaignSettings, facts: AttemptFacts): ContactUpdate {
  const outcome = facts.outcome;
  const rule = retryRuleFor(campaign, outcome);
  const attempts = attemptsAfter(facts);
  if (rule.action === 'final') {
    const status = outcome === 'invalid' ? 'invalid' : 'done';
    return update(campaign, facts.contactId, attempts, outcome, facts.at, status, null, 'retry_rule');
  }
  if (attempts >= campaign.maxAttempts) {
    return update(campaign, facts.contactId, attempts, outcome, facts.at, 'done', null, 'max_attempts');
  }
  let next = facts.at + rule.delayMinutes * MINUTE;
  if (campaign.regime === 'uk24h' && outcome === 'abandoned') {
    next = Math.max(next, facts.at + UK_ABANDON_NO_REDIAL_MS);
  }
  return update(campaign, facts.contactId, attempts, outcome, facts.at, 'dialable', next, 'retry_rule');
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
  const { contactId, attemptNo: attempts, at } = facts;
  switch (def.action) {
    case 'final':
      return { ok: true, def, update: update(campaign, contactId, attempts, 'answered', at, 'done', null, 'disposition') };
    case 'dnc':
      return { ok: true, def, update: update(campaign, contactId, attempts, 'answered', at, 'dnc', null, 'disposition') };
    case 'callback':
      if (input.callbackAt === undefined || !(input.callbackAt > at)) {
        return { ok: false, error: 'callback_time_required' };
      }
      return {
        ok: true,
        def,
        update: update(campaign, contactId, attempts, 'answered', at, 'callback', input.callbackAt, 'disposition'),
      };
    case 'retry': {
      if (attempts >= campaign.maxAttempts) {
        return { ok: true, def, update: update(campaign, contactId, attempts, 'answered', at, 'done', null, 'max_attempts') };
      }
      const next = at + (def.retryAfterMinutes ?? 60) * MINUTE;
      return { ok: true, def, update: update(campaign, contactId, attempts, 'answered', at, 'dialable', next, 'disposition') };
    }
  }
}
