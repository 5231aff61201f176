import type { ContextAttempt, DecisionContext, HeldConsent } from '../engine/context.ts';
import { heldConsent } from '../engine/context.ts';
import type { RuleDef, RulePack, StaticOutcome } from '../engine/rule.ts';
import type { TimeConstraint } from '../engine/time-constraints.ts';
import { localDayCountConstraint, rollingCountConstraint, windowConstraints } from '../engine/time-constraints.ts';
import type { ConsentKind } from '../types.ts';
import { DAY_MS, ebrUntil, events, everyDay, isUs, systemDials } from './rule-helpers.ts';

/** FCC revoke-all (64.1200(a)(10)) in force from 31 Jan 2027 (DA 26-12); before that only by operator option. */
const REVOKE_ALL_EFFECTIVE = Date.UTC(2027, 0, 31);

export function usConsent(ctx: DecisionContext, kinds: readonly ConsentKind[]): HeldConsent | null {
  return heldConsent(ctx, kinds, ctx.at >= REVOKE_ALL_EFFECTIVE);
}

/** Pass while the consent holds; fail without one. */
export function requireConsent(ctx: DecisionContext, kinds: readonly ConsentKind[]): StaticOutcome {
  const held = usConsent(ctx, kinds);
  if (!held) return { pass: false, detail: { needed: kinds.join(' or '), found: ctx.consents.length === 0 ? 'none' : 'none in force for this purpose' } };
  return Number.isFinite(held.validUntil)
    ? { pass: true, validUntil: held.validUntil, detail: { consent: `consents[${held.consent.index}]` } }
    : { pass: true, detail: { consent: `consents[${held.consent.index}]` } };
}

function liftedByTimeConsent(ctx: DecisionContext): boolean {
  return usConsent(ctx, ['time']) !== null;
}

const FEDERAL_WINDOW = everyDay('08:00', '21:00');

function hoursConstraints(ctx: DecisionContext): readonly TimeConstraint[] {
  return windowConstraints(ctx.zones, FEDERAL_WINDOW);
}

/** Written agreement or EBR: the exemptions from the national registry. */
function ndncExemption(ctx: DecisionContext): { until: number; basis: string } | null {
  const written = usConsent(ctx, ['written']);
  const ebr = ebrUntil(ctx, 18, 3);
  if (!written && ebr === null) return null;
  const until = Math.max(written?.validUntil ?? Number.NEGATIVE_INFINITY, ebr ?? Number.NEGATIVE_INFINITY);
  return { until, basis: written && (ebr === null || written.validUntil >= ebr) ? 'written agreement' : 'established business relationship' };
}

/** Earlier calls about this debt (or, without a debt id, from this collector): Reg F counts per person + debt. */
function debtAttempts(ctx: DecisionContext): ContextAttempt[] {
  // Memo on the context itself, not a WeakMap keyed by it: a WeakMap entry per decision is work for the GC.
  let attempts = ctx.debtAttempts;
  if (!attempts) {
    attempts = ctx.history.filter((attempt) =>
      ctx.debtId !== null ? attempt.debtId === ctx.debtId || (attempt.debtId === null && attempt.seller === ctx.seller) : attempt.seller === ctx.seller,
    );
    ctx.debtAttempts = attempts;
  }
  return attempts;
}

function abandonRate(ctx: DecisionContext): number {
  const window = ctx.campaignWindow;
  if (!window) return 0;
  const fp = window.amdFalsePositiveEstimate;
  const denominator = window.liveAnswers + fp;
  return denominator > 0 ? (window.abandoned + fp) / denominator : 0;
}

const telemarketing = (ctx: DecisionContext) => isUs(ctx) && ctx.purpose === 'telemarketing';

const rules: RuleDef[] = [
  {
    id: 'US-TSR-TCPA-HOURS',
    citation: 'TSR 16 CFR 310.4(c); 47 CFR 64.1200(c)(1)',
    jurisdiction: 'US',
    category: 'calling_hours',
    applies: (ctx) => telemarketing(ctx) && !liftedByTimeConsent(ctx),
    constraints: hoursConstraints,
  },
  {
    id: 'US-QUIET-HOURS',
    citation: 'federal 08:00-21:00 window applied to non-solicitation calls (conservative practice)',
    jurisdiction: 'US',
    category: 'calling_hours',
    applies: (ctx) => isUs(ctx) && (ctx.purpose === 'informational' || ctx.purpose === 'survey') && !liftedByTimeConsent(ctx),
    constraints: hoursConstraints,
  },
  {
    id: 'US-REGF-HOURS',
    citation: '12 CFR 1006.6(b)(1)(i), comment 6(b)(1)(i)-2',
    jurisdiction: 'US',
    category: 'calling_hours',
    applies: (ctx) => isUs(ctx) && ctx.purpose === 'debt_collection' && !liftedByTimeConsent(ctx),
    constraints: hoursConstraints,
  },
  {
    id: 'US-NDNC',
    citation: 'TSR 16 CFR 310.4(b)(1)(iii)(B); 47 CFR 64.1200(c)(2)',
    jurisdiction: 'US',
    category: 'dnc_national',
    applies: (ctx) => telemarketing(ctx) && ctx.consumer && ctx.lists.nationalDnc,
    check(ctx) {
      const exemption = ndncExemption(ctx);
      if (!exemption) return { pass: false, detail: { registry: 'national', exemption: 'none (no written agreement, no EBR)' } };
      return Number.isFinite(exemption.until) ? { pass: true, validUntil: exemption.until, detail: { exemption: exemption.basis } } : { pass: true, detail: { exemption: exemption.basis } };
    },
  },
  {
    id: 'US-NDNC-31-DAYS',
    citation: 'TSR 16 CFR 310.4(b)(3)(iv); 47 CFR 64.1200(c)(2)(i)(D)',
    jurisdiction: 'US',
    category: 'dnc_stale',
    applies: (ctx) => telemarketing(ctx) && ctx.consumer && ndncExemption(ctx) === null,
    check(ctx) {
      const synced = ctx.lists.nationalDncSyncedDay;
      if (synced === null) return { pass: false, detail: { registryCopy: 'none covers this number' } };
      const age = Math.floor(ctx.at / DAY_MS) - synced;
      if (age > 31) return { pass: false, detail: { registryCopyAgeDays: age, maxDays: 31 } };
      return { pass: true, validUntil: (synced + 32) * DAY_MS, detail: { registryCopyAgeDays: age } };
    },
  },
  {
    id: 'US-TCPA-AUTODIALED-WIRELESS',
    citation: '47 U.S.C. 227(b)(1)(A); 47 CFR 64.1200(a)(1)(iii), (a)(2)',
    jurisdiction: 'US',
    category: 'consent',
    applies: (ctx) => isUs(ctx) && ctx.wireless && (systemDials(ctx) || ctx.prerecorded),
    check: (ctx) => requireConsent(ctx, ctx.purpose === 'telemarketing' ? ['written'] : ['written', 'express']),
  },
  {
    id: 'US-TCPA-PRERECORDED-RESIDENTIAL',
    citation: '47 CFR 64.1200(a)(3)(ii)',
    jurisdiction: 'US',
    category: 'consent',
    applies: (ctx) => telemarketing(ctx) && !ctx.wireless && ctx.prerecorded,
    check: (ctx) => requireConsent(ctx, ['written']),
  },
  {
    id: 'US-TSR-PRERECORDED',
    citation: 'TSR 16 CFR 310.4(b)(1)(v)',
    jurisdiction: 'US',
    category: 'consent',
    applies: (ctx) => telemarketing(ctx) && ctx.prerecorded,
    check: (ctx) => requireConsent(ctx, ['written']),
  },
  {
    id: 'US-TCPA-EXEMPT-PRERECORDED-CAP',
    citation: '47 CFR 64.1200(a)(3)(ii)-(iv): at most 3 exempt prerecorded calls per 30 days',
    jurisdiction: 'US',
    category: 'frequency',
    effectiveFrom: '2023-07-20',
    applies: (ctx) => isUs(ctx) && !ctx.wireless && ctx.prerecorded && ctx.purpose !== 'telemarketing',
    constraints: (ctx) => [
      rollingCountConstraint(events(ctx.history.filter((a) => a.prerecorded && a.seller === ctx.seller && a.outcome !== 'failed')), 3, 30 * DAY_MS, 'prerecorded calls in 30 days'),
    ],
  },
  {
    id: 'US-TCPA-REASSIGNED',
    citation: '47 CFR 64.1200(m) (Reassigned Numbers Database)',
    jurisdiction: 'US',
    category: 'reassigned',
    applies: (ctx) => isUs(ctx) && usConsent(ctx, ['written', 'express']) !== null,
    check: (ctx) => (ctx.reassigned === 'yes' ? { pass: false, detail: { rnd: 'yes: disconnected since the consent date' } } : { pass: true, detail: { rnd: ctx.reassigned ?? 'not queried' } }),
  },
  {
    id: 'US-ABANDON-RATE',
    citation: 'TSR 16 CFR 310.4(b)(4)(i); 47 CFR 64.1200(a)(7): at most 3% per 30-day period',
    jurisdiction: 'US',
    category: 'abandon_rate',
    applies: (ctx) => telemarketing(ctx) && ctx.campaignWindow !== null && (ctx.dialMode === 'predictive' || (ctx.dialMode === 'progressive' && !ctx.agentGuaranteed)),
    check(ctx) {
      const rate = abandonRate(ctx);
      const window = ctx.campaignWindow;
      const detail = { liveAnswers: window?.liveAnswers, abandoned: window?.abandoned, amdFalsePositiveEstimate: window?.amdFalsePositiveEstimate, rate: Math.round(rate * 1e6) / 1e6, limit: 0.03 };
      return rate >= 0.03 - 1e-12 ? { pass: false, detail } : { pass: true, detail };
    },
  },
  {
    id: 'US-REGF-7-IN-7',
    citation: '12 CFR 1006.14(b)(2)(i)(A), (b)(3)',
    jurisdiction: 'US',
    category: 'frequency',
    effectiveFrom: '2021-11-30',
    applies: (ctx) => isUs(ctx) && ctx.purpose === 'debt_collection',
    constraints(ctx) {
      const counted = events(debtAttempts(ctx).filter((a) => a.outcome !== 'busy' && a.outcome !== 'failed'));
      return ctx.zones.map((zone) => localDayCountConstraint(zone, counted, 7, 7, 'calls about this debt in 7 days'));
    },
  },
  {
    id: 'US-REGF-AFTER-CONVERSATION',
    citation: '12 CFR 1006.14(b)(2)(i)(B)',
    jurisdiction: 'US',
    category: 'frequency',
    effectiveFrom: '2021-11-30',
    applies: (ctx) => isUs(ctx) && ctx.purpose === 'debt_collection',
    constraints(ctx) {
      const conversations = events(debtAttempts(ctx).filter((a) => a.conversation));
      return ctx.zones.map((zone) => localDayCountConstraint(zone, conversations, 1, 7, 'conversation about this debt in 7 days'));
    },
  },
];

export const US_FEDERAL_PACK: RulePack = {
  id: 'us-federal',
  version: 'us-federal-2026.11.27',
  covers: (jurisdictions) => jurisdictions.has('US'),
  rules,
};

export { abandonRate };
