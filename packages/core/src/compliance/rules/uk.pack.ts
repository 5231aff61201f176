import type { DecisionContext } from '../engine/context.ts';
import { heldConsent } from '../engine/context.ts';
import type { RuleDef, RulePack } from '../engine/rule.ts';
import { rollingCountConstraint } from '../engine/time-constraints.ts';
import { agentGuaranteed, DAY_MS, events, HOUR_MS } from './rule-helpers.ts';
import { abandonRate } from './us-federal.pack.ts';

const inGb = (ctx: DecisionContext) => ctx.jurisdictions.has('GB');
const marketing = (ctx: DecisionContext) => inGb(ctx) && ctx.purpose === 'telemarketing';
/** The subscriber told this caller they do not object (PECR reg 21(4)), or gave consent. */
const notObjecting = (ctx: DecisionContext) => heldConsent(ctx, ['written', 'express'], false) !== null;
const automated = (ctx: DecisionContext) => inGb(ctx) && !agentGuaranteed(ctx);

const rules: RuleDef[] = [
  {
    id: 'UK-PECR-TPS',
    citation: 'PECR 2003 reg 21(1)(b), 26 (TPS/CTPS)',
    jurisdiction: 'GB',
    category: 'tps',
    applies: (ctx) => marketing(ctx) && ctx.lists.tps,
    check: (ctx) => (notObjecting(ctx) ? { pass: true, detail: { exemption: 'subscriber does not object (reg 21(4))' } } : { pass: false, detail: { register: 'TPS' } }),
  },
  {
    id: 'UK-TPS-SCREENING-28-DAYS',
    citation: 'PECR 2003 reg 21(3): screen against the TPS at least every 28 days',
    jurisdiction: 'GB',
    category: 'dnc_stale',
    applies: (ctx) => marketing(ctx) && !notObjecting(ctx),
    check(ctx) {
      const synced = ctx.lists.nationalDncSyncedDay;
      const maxDays = 28 + ctx.tpsGraceDays;
      if (synced === null) return { pass: false, detail: { tpsScreening: 'none covers this number' } };
      const age = Math.floor(ctx.at / DAY_MS) - synced;
      if (age > maxDays) return { pass: false, detail: { tpsScreeningAgeDays: age, maxDays } };
      return { pass: true, validUntil: (synced + maxDays + 1) * DAY_MS, detail: { tpsScreeningAgeDays: age } };
    },
  },
  {
    id: 'UK-PECR-AUTOMATED',
    citation: 'PECR 2003 reg 19: recorded marketing calls only with prior consent',
    jurisdiction: 'GB',
    category: 'consent',
    applies: (ctx) => marketing(ctx) && ctx.prerecorded,
    check: (ctx) => (heldConsent(ctx, ['written', 'express'], false) ? { pass: true } : { pass: false, detail: { needed: 'prior consent to recorded marketing calls' } }),
  },
  {
    id: 'UK-OFCOM-72H-REDIAL',
    citation: 'Ofcom persistent-misuse statement 2016, Annex 1: no repeat call within 72 h of an abandoned call without a guaranteed agent',
    jurisdiction: 'GB',
    category: 'abandon_cooldown',
    effectiveFrom: '2008-10-01',
    applies: automated,
    constraints: (ctx) => [rollingCountConstraint(events(ctx.history.filter((a) => a.outcome === 'abandoned')), 1, 72 * HOUR_MS, 'abandoned calls in 72 h')],
  },
  {
    id: 'UK-OFCOM-AMD-24H',
    citation: 'Ofcom 2010 statement: a call classified as a machine is repeated within 24 h only with a guaranteed agent',
    jurisdiction: 'GB',
    category: 'abandon_cooldown',
    effectiveFrom: '2010-10-01',
    applies: automated,
    constraints: (ctx) => [rollingCountConstraint(events(ctx.history.filter((a) => a.outcome === 'machine' || a.outcome === 'amd_hangup')), 1, 24 * HOUR_MS, 'machine-detected calls in 24 h')],
  },
  {
    id: 'UK-OFCOM-ACR',
    citation: 'Ofcom persistent-misuse statement 2016, Annex 3: abandoned call rate at most 3% per campaign per day, AMD false positives included',
    jurisdiction: 'GB',
    category: 'abandon_rate',
    applies: (ctx) => automated(ctx) && ctx.campaignWindow !== null,
    check(ctx) {
      const rate = abandonRate(ctx);
      const window = ctx.campaignWindow;
      const detail = { liveAnswers: window?.liveAnswers, abandoned: window?.abandoned, amdFalsePositiveEstimate: window?.amdFalsePositiveEstimate, rate: Math.round(rate * 1e6) / 1e6, limit: 0.03 };
      return rate >= 0.03 - 1e-12 ? { pass: false, detail } : { pass: true, detail };
    },
  },
];

export const UK_PACK: RulePack = {
  id: 'uk',
  version: 'uk-2026.11.27',
  covers: (jurisdictions) => jurisdictions.has('GB'),
  rules,
};
