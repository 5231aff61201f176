import type { DecisionContext } from '../engine/context.ts';
import { heldConsent } from '../engine/context.ts';
import type { RuleDef, RulePack } from '../engine/rule.ts';
import { windowConstraints } from '../engine/time-constraints.ts';
import { weekly, window } from './rule-helpers.ts';

const LV_DEBT_WINDOW = weekly(window('08:00', '21:00'), window('08:00', '21:00'), null, 'LV', null);

const rules: RuleDef[] = [
  {
    id: 'EU-AUTOMATED-CALLING',
    citation: 'ePrivacy Directive 2002/58/EC Art 13(1); LV Law on Information Society Services ss. 8-9',
    jurisdiction: 'EU',
    category: 'consent',
    applies: (ctx) => ctx.jurisdictions.has('EU') && ctx.purpose === 'telemarketing' && ctx.prerecorded,
    check: (ctx) => (heldConsent(ctx, ['written', 'express'], false) ? { pass: true } : { pass: false, detail: { needed: 'prior consent to automated calls' } }),
  },
  {
    id: 'LV-DEBT-HOURS',
    citation: 'Parādu ārpustiesas atgūšanas likums (Law on Extrajudicial Recovery of Debt), communication section: not 21:00-08:00, Sundays or public holidays',
    jurisdiction: 'LV',
    category: 'calling_hours',
    effectiveFrom: '2012-12-11',
    applies: (ctx: DecisionContext) =>
      ctx.jurisdictions.has('LV') && ctx.purpose === 'debt_collection' && heldConsent(ctx, ['time'], false) === null,
    constraints: (ctx) => windowConstraints(ctx.zones, LV_DEBT_WINDOW),
  },
];

export const EU_PACK: RulePack = {
  id: 'eu',
  version: 'eu-lv-2026.11.27',
  covers: (jurisdictions) => jurisdictions.has('EU'),
  rules,
};
