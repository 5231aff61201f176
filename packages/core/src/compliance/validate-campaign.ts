import type { CampaignSettings } from '../campaign/types.ts';
import { parsePhone } from '../geo/phone-number.ts';

/** One problem with a campaign's settings, tied to the field an editor should highlight. */
export interface CampaignIssue {
  field: string;
  code:
    | 'abandon_message_missing'
    | 'ring_timeout_too_short'
    | 'caller_id_withheld'
    | 'caller_id_invalid'
    | 'caller_id_premium'
    | 'abandon_target_too_high'
    | 'dnc_disposition_redials'
    | 'no_dnc_disposition'
    | 'retry_after_block'
    | 'redial_within_cooldown'
    | 'amd_false_positives_exceed_limit'
    | 'amd_false_positive_estimate_missing'
    | 'calling_window_invalid'
    | 'calling_window_wider_than_law'
    | 'prerecorded_needs_written_consent'
    | 'max_attempts_invalid'
    | 'seller_missing';
  severity: 'error' | 'warning';
  message: string;
}

export interface CampaignValidation {
  /** No errors (warnings may remain). */
  ok: boolean;
  issues: CampaignIssue[];
}

export interface CampaignValidationContext {
  /** Measured or vendor-stated share of live answers the AMD classifies as machines (0..1). */
  amdFalsePositiveRate?: number;
}

const WITHHELD = /^(|anonymous|private|withheld|restricted|unknown|unavailable|blocked|0+)$/i;
const DNC_WORDS = /\b(dnc|do[\s_-]*not[\s_-]*call|don'?t[\s_-]*call|no[\s_-]*call|remove|stop|opt[\s_-]*out|unsubscribe|revoke)\b/i;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function minutes(value: string): number {
  const [h = '0', m = '0'] = value.split(':');
  return Number(h) * 60 + Number(m);
}

/**
 * Checks a campaign at save time against the rules a setting can break by itself (the pre-dial decision still
 * checks every call). Errors make the campaign unlawful to run; warnings are likely mistakes.
 */
export function validateCampaign(settings: CampaignSettings, context: CampaignValidationContext = {}): CampaignValidation {
  const issues: CampaignIssue[] = [];
  const error = (field: string, code: CampaignIssue['code'], message: string) => issues.push({ field, code, severity: 'error', message });
  const warning = (field: string, code: CampaignIssue['code'], message: string) => issues.push({ field, code, severity: 'warning', message });
  const uk = settings.regime === 'uk24h';

  if (!settings.seller || settings.seller.trim() === '') error('seller', 'seller_missing', 'Name the seller on whose behalf the calls are made: consent, do-not-call and frequency rules are kept per seller.');
  if (!settings.abandonMessagePromptId) {
    error('abandonMessagePromptId', 'abandon_message_missing', uk
      ? 'Choose an information message: when no agent is free within 2 seconds, Ofcom requires a recorded message naming the company and a number to call.'
      : 'Choose an abandon message: when no agent is free within 2 seconds, TSR 310.4(b)(4)(iii) and 47 CFR 64.1200(a)(7) require a recorded message with the seller\'s name and telephone number.');
  }
  if (!(settings.ringTimeoutSeconds >= 15)) {
    error('ringTimeoutSeconds', 'ring_timeout_too_short', `Ring at least 15 seconds before treating a call as unanswered (now ${settings.ringTimeoutSeconds} s): TSR 310.4(b)(4)(ii), 47 CFR 64.1200(a)(6), Ofcom.`);
  }
  if (WITHHELD.test(settings.callerId.trim())) {
    error('callerId', 'caller_id_withheld', 'Present a caller ID the person can call back: withheld or anonymous numbers break TSR 310.4(a)(8), 47 CFR 64.1601(e) and PECR reg 21(A1).');
  } else {
    const parsed = parsePhone(settings.callerId, uk ? 'GB' : 'US');
    if (!parsed.ok && /premium|personal-numbering/.test(parsed.reason)) {
      error('callerId', 'caller_id_premium', 'A premium-rate number may not be the caller ID: a call back must not cost the person a premium rate (47 CFR 64.1200(b)(2); Ofcom CLI guidance).');
    } else if (!parsed.ok) {
      error('callerId', 'caller_id_invalid', `The caller ID must be a valid, dialable number (${parsed.reason}).`);
    }
  }
  if (!(settings.abandonTarget <= 0.03)) {
    error('abandonTarget', 'abandon_target_too_high', `The abandonment target may not exceed 3 % (now ${(settings.abandonTarget * 100).toFixed(2)} %).`);
  }
  if (!(Number.isInteger(settings.maxAttempts) && settings.maxAttempts >= 1)) {
    error('maxAttempts', 'max_attempts_invalid', 'Allow at least one attempt per contact.');
  }

  // Dispositions and retries that could call back someone who asked not to be called.
  settings.dispositions.forEach((disposition, index) => {
    if (disposition.action !== 'dnc' && disposition.action !== 'final' && (DNC_WORDS.test(disposition.code) || DNC_WORDS.test(disposition.label))) {
      error(`dispositions[${index}].action`, 'dnc_disposition_redials', `"${disposition.label}" sounds like a do-not-call request but is set to ${disposition.action}: it would call the person again. Set its action to dnc.`);
    }
  });
  if (!settings.dispositions.some((disposition) => disposition.action === 'dnc')) {
    error('dispositions', 'no_dnc_disposition', 'Add a disposition with the dnc action so agents can record a request not to be called (TSR 310.4(b)(1)(iii)(A); 47 CFR 64.1200(d)).');
  }
  settings.retryRules.forEach((rule, index) => {
    if (rule.action !== 'retry') return;
    if (rule.outcome === 'blocked') {
      error(`retryRules[${index}].outcome`, 'retry_after_block', 'Do not retry calls the compliance check blocked: a block means waiting cannot make the call lawful (do-not-call, consent, objection). Deferred calls are rescheduled at their notBefore.');
    }
    if (uk && rule.outcome === 'abandoned' && rule.delayMinutes < 72 * 60) {
      warning(`retryRules[${index}].delayMinutes`, 'redial_within_cooldown', 'Ofcom: a number whose call was abandoned may be called again within 72 hours only with a guaranteed agent; the pre-dial check will defer these calls.');
    }
    if (uk && (rule.outcome === 'machine' || rule.outcome === 'amd_hangup') && rule.delayMinutes < 24 * 60) {
      warning(`retryRules[${index}].delayMinutes`, 'redial_within_cooldown', 'Ofcom: a call classified as an answering machine may be repeated within 24 hours only with a guaranteed agent.');
    }
  });

  if (settings.amd && uk) {
    const rate = context.amdFalsePositiveRate;
    if (rate === undefined) {
      warning('amd', 'amd_false_positive_estimate_missing', 'Under the UK regime the abandoned-call rate includes an estimate of AMD false positives: record the measured false-positive rate before running this campaign.');
    } else if (rate >= settings.abandonTarget || rate >= 0.03) {
      error('amd', 'amd_false_positives_exceed_limit', `With an AMD false-positive rate of ${(rate * 100).toFixed(1)} % the abandoned-call rate cannot stay under ${(Math.min(settings.abandonTarget, 0.03) * 100).toFixed(1)} % (Ofcom counts false positives as abandoned). Turn AMD off or use a guaranteed agent.`);
    }
  }

  const window = settings.callingWindow;
  if (window) {
    if (!HHMM.test(window.start) || !HHMM.test(window.end) || minutes(window.start) >= minutes(window.end) || (window.days ?? []).some((d) => !Number.isInteger(d) || d < 0 || d > 6)) {
      error('callingWindow', 'calling_window_invalid', 'The calling window needs a start before its end ("HH:MM") and days 0 (Sunday) to 6.');
    } else if (!uk && (minutes(window.start) < 8 * 60 || minutes(window.end) > 21 * 60)) {
      warning('callingWindow', 'calling_window_wider_than_law', 'The window reaches outside 08:00-21:00 local time; the pre-dial check will still defer calls outside the legal window.');
    }
  }
  if (settings.prerecorded && settings.purpose === 'telemarketing') {
    warning('prerecorded', 'prerecorded_needs_written_consent', 'Prerecorded telemarketing messages need each person\'s prior express written consent (TSR 310.4(b)(1)(v), 47 CFR 64.1200(a)(2)-(3)); contacts without it will be blocked.');
  }
  return { ok: !issues.some((issue) => issue.severity === 'error'), issues };
}
