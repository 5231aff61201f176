import type { RuleDef, RulePack } from '../engine/rule.ts';
import type { DecisionContext } from '../engine/context.ts';
import type { StaticOutcome } from '../engine/rule.ts';

/** One shared "pass" for the rules below: decide() only reads outcomes, and these run on every decision. */
const PASS: StaticOutcome = { pass: true };

/** An event that bars calls from the moment it happened; a future-dated one bars from then on. */
function barredSince(ctx: DecisionContext, at: number | null, field: string): StaticOutcome {
  if (at === null) return PASS;
  if (at <= ctx.at) return { pass: false, detail: { [field]: Number.isFinite(at) ? new Date(at).toISOString() : 'unreadable date (read as given)' } };
  return { pass: true, validUntil: at };
}

/** Rules that hold in every country Outdial calls: the seller's own suppression lists and the person's own word. */
const rules: RuleDef[] = [
  {
    id: 'INTERNAL-DNC',
    citation: "seller's internal do-not-call list (TSR 310.4(b)(1)(iii)(A); 47 CFR 64.1200(d); PECR reg 21(1)(a))",
    jurisdiction: '*',
    category: 'dnc_internal',
    applies: () => true,
    check: (ctx) => (ctx.lists.internalDnc ? { pass: false, detail: { list: 'internal' } } : PASS),
  },
  {
    id: 'ENTITY-DNC-REQUEST',
    citation: 'request to this seller not to call (TSR 310.4(b)(1)(iii)(A); 47 CFR 64.1200(d); PECR reg 21(1)(a))',
    jurisdiction: '*',
    category: 'dnc_internal',
    applies: () => true,
    check: (ctx) => barredSince(ctx, ctx.dncRequestAt, 'dncRequestAt'),
  },
  {
    id: 'LITIGATOR',
    citation: 'known-litigator list (operator policy)',
    jurisdiction: '*',
    category: 'litigator',
    applies: () => true,
    check: (ctx) => (ctx.lists.litigator ? { pass: false, detail: { list: 'litigator' } } : PASS),
  },
  {
    id: 'OBJECTION',
    citation: 'objection to direct marketing (GDPR Art. 21(2)-(3); PECR reg 21(1)(a))',
    jurisdiction: '*',
    category: 'objection',
    applies: (ctx) => ctx.purpose === 'telemarketing',
    check: (ctx) => barredSince(ctx, ctx.objectedAt, 'objectedAt'),
  },
  {
    id: 'STOP-CALLING',
    citation: 'asked not to be called by telephone (12 CFR 1006.14(h) medium opt-out; operator policy elsewhere)',
    jurisdiction: '*',
    category: 'stop_calling',
    applies: () => true,
    check: (ctx) => barredSince(ctx, ctx.stopCallingAt, 'stopCallingAt'),
  },
];

export const COMMON_PACK: RulePack = {
  id: 'common',
  version: 'common-2026.11.27',
  covers: () => true,
  rules,
};
