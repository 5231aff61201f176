import type { DecisionContext } from '../engine/context.ts';
import type { RuleDef, RulePack } from '../engine/rule.ts';
import { rollingCountConstraint, windowConstraints } from '../engine/time-constraints.ts';
import type { ConsentKind } from '../types.ts';
import { DAY_MS, ebrUntil, events, HOUR_MS, statesOf, systemDials, systemSelects } from './rule-helpers.ts';
import { requireConsent, usConsent } from './us-federal.pack.ts';
import type { StateWindowRow } from './us-state-windows.data.ts';
import { STATE_DNC_EBR_MONTHS, STATE_WINDOWS } from './us-state-windows.data.ts';

const solicitation = (ctx: DecisionContext) => ctx.purpose === 'telemarketing';
const stateJurisdictions = new Map<string, string>();

/** `US-<state>` built once per state, not on every rule check (a new string must be hashed for each look-up). */
function inState(ctx: DecisionContext, state: string): boolean {
  let jurisdiction = stateJurisdictions.get(state);
  if (jurisdiction === undefined) stateJurisdictions.set(state, (jurisdiction = `US-${state}`));
  return ctx.jurisdictions.has(jurisdiction);
}

function windowRule(row: StateWindowRow): RuleDef {
  const rule: RuleDef = {
    id: `US-${row.state}-${row.prerecordedOnly ? 'ADAD-HOURS' : row.effectiveTo ? 'HOLIDAYS' : 'HOURS'}`,
    citation: row.citation,
    jurisdiction: `US-${row.state}`,
    category: 'calling_hours',
    applies: (ctx) =>
      solicitation(ctx) &&
      inState(ctx, row.state) &&
      (!row.prerecordedOnly || ctx.prerecorded) &&
      !(row.liftedByConsent && usConsent(ctx, ['written', 'express', 'time']) !== null),
    constraints: (ctx) => windowConstraints(ctx.zones, row.schedule),
  };
  if (row.effectiveFrom) rule.effectiveFrom = row.effectiveFrom;
  if (row.effectiveTo) rule.effectiveTo = row.effectiveTo;
  return rule;
}

function capRule(state: string, citation: string, effectiveFrom: string): RuleDef {
  return {
    id: `US-${state}-3-PER-24H`,
    citation,
    jurisdiction: `US-${state}`,
    category: 'frequency',
    effectiveFrom,
    applies: (ctx) => solicitation(ctx) && inState(ctx, state),
    constraints: (ctx) => [
      rollingCountConstraint(
        events(ctx.history.filter((a) => a.subject === ctx.subject && a.outcome !== 'failed')),
        3,
        24 * HOUR_MS,
        'solicitation calls on this subject in 24 h',
      ),
    ],
  };
}

function automatedConsentRule(state: string, citation: string, automated: (ctx: DecisionContext) => boolean, effectiveFrom?: string, effectiveTo?: string): RuleDef {
  const rule: RuleDef = {
    id: `US-${state}-AUTOMATED-PEWC`,
    citation,
    jurisdiction: `US-${state}`,
    category: 'consent',
    applies: (ctx) => solicitation(ctx) && inState(ctx, state) && (automated(ctx) || ctx.prerecorded),
    check: (ctx) => requireConsent(ctx, ['written']),
  };
  if (effectiveFrom) rule.effectiveFrom = effectiveFrom;
  if (effectiveTo) rule.effectiveTo = effectiveTo;
  return rule;
}

const EXPRESS: readonly ConsentKind[] = ['written', 'express'];

const otherRules: RuleDef[] = [
  capRule('FL', 'Fla. Stat. 501.616(6)(b): no more than 3 calls in 24 h on the same subject', '2021-07-01'),
  capRule('OK', '15 O.S. 775C.4: no more than 3 calls in 24 h on the same subject', '2022-11-01'),
  capRule('MD', 'Md. Code, Com. Law 14-4502: no more than 3 calls in 24 h on the same subject', '2024-01-01'),
  automatedConsentRule('FL', 'Fla. Stat. 501.059(8)(a) (automated selection or dialing, before HB 761)', systemSelects, '2021-07-01', '2023-05-25'),
  automatedConsentRule('FL', 'Fla. Stat. 501.059(8)(a) as amended by HB 761 (automated selection and dialing)', systemDials, '2023-05-25'),
  automatedConsentRule('OK', '15 O.S. 775C.4 (automated selection or dialing)', systemSelects, '2022-11-01'),
  automatedConsentRule('MD', 'Md. Code, Com. Law 14-4502(a)(3) (automated selection or dialing)', systemSelects, '2024-01-01'),
  automatedConsentRule('CT', 'Conn. Gen. Stat. 42-288a as amended by PA 23-98', systemSelects, '2023-10-01'),
  {
    id: 'US-WA-NO-ADAD',
    citation: 'RCW 80.36.400: no automatic dialing and announcing device for commercial solicitation',
    jurisdiction: 'US-WA',
    category: 'consent',
    applies: (ctx) => solicitation(ctx) && inState(ctx, 'WA') && ctx.prerecorded,
    check: () => ({ pass: false, detail: { prerecorded: true } }),
  },
  {
    id: 'US-RI-ADAD-CONSENT',
    citation: 'R.I. Gen. Laws 5-61-3.4',
    jurisdiction: 'US-RI',
    category: 'consent',
    applies: (ctx) => solicitation(ctx) && inState(ctx, 'RI') && ctx.prerecorded,
    check: (ctx) => requireConsent(ctx, EXPRESS),
  },
  {
    id: 'US-UT-ATDS-CONSENT',
    citation: 'Utah Code 13-25a-103(1)-(2): prior express consent or EBR (18 months)',
    jurisdiction: 'US-UT',
    category: 'consent',
    applies: (ctx) => solicitation(ctx) && inState(ctx, 'UT') && (systemDials(ctx) || ctx.prerecorded),
    check(ctx) {
      const ebr = ebrUntil(ctx, 18, 0);
      if (ebr !== null) return { pass: true, validUntil: ebr, detail: { exemption: 'established business relationship' } };
      return requireConsent(ctx, EXPRESS);
    },
  },
  {
    id: 'US-STATE-DNC',
    citation: 'state do-not-call lists (e.g. Fla. Stat. 501.059(4); Tex. Bus. & Com. Code 304.052; 73 P.S. 2245.2)',
    jurisdiction: 'US',
    category: 'dnc_state',
    applies: (ctx) => solicitation(ctx) && ctx.consumer && ctx.lists.stateDnc.length > 0,
    check(ctx) {
      if (usConsent(ctx, ['written']) !== null) return { pass: true, detail: { exemption: 'written agreement' } };
      const blocking = ctx.lists.stateDnc.filter((state) => {
        const months = STATE_DNC_EBR_MONTHS[state];
        return months === undefined || ebrUntil(ctx, months, 0) === null;
      });
      return blocking.length > 0 ? { pass: false, detail: { lists: blocking, jurisdiction: `US-${blocking[0] ?? ''}` } } : { pass: true, detail: { exemption: 'established business relationship' } };
    },
  },
  {
    id: 'US-MA-DEBT-2-PER-7-DAYS',
    citation: '940 CMR 7.04(1)(f); 209 CMR 18.16(1)(d): 2 calls per 7 days per debt',
    jurisdiction: 'US-MA',
    category: 'frequency',
    applies: (ctx) => ctx.purpose === 'debt_collection' && inState(ctx, 'MA'),
    constraints: (ctx) => [
      rollingCountConstraint(
        events(ctx.history.filter((a) => (ctx.debtId === null ? a.seller === ctx.seller : a.debtId === ctx.debtId || a.debtId === null) && a.outcome !== 'busy' && a.outcome !== 'failed')),
        2,
        7 * DAY_MS,
        'calls about this debt in 7 days',
      ),
    ],
  },
];

/** The state pack over a table of state windows (the shipped one, or one replaced by `--rules`). */
export function createUsStatesPack(windows: readonly StateWindowRow[] = STATE_WINDOWS, version = 'us-states-2026.11.27'): RulePack {
  return {
    id: 'us-states',
    version,
    covers: (jurisdictions) => jurisdictions.has('US'),
    rules: [...windows.map(windowRule), ...otherRules],
  };
}

export const US_STATES_PACK: RulePack = createUsStatesPack();

export { statesOf };
