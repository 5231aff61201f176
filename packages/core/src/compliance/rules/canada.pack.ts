import type { DecisionContext } from '../engine/context.ts';
import { heldConsent } from '../engine/context.ts';
import type { RuleDef, RulePack } from '../engine/rule.ts';
import { windowConstraints } from '../engine/time-constraints.ts';
import { DAY_MS, ebrUntil, weekly, window } from './rule-helpers.ts';

const UTR_WINDOW = weekly(window('09:00', '21:30'), window('10:00', '18:00'), window('10:00', '18:00'));
const marketing = (ctx: DecisionContext) => ctx.jurisdictions.has('CA') && ctx.purpose === 'telemarketing';
const exempt = (ctx: DecisionContext) => heldConsent(ctx, ['written', 'express'], false) !== null || ebrUntil(ctx, 18, 6) !== null;

const rules: RuleDef[] = [
  {
    id: 'CA-UTR-HOURS',
    citation: 'CRTC Unsolicited Telecommunications Rules, Part III s.34 (K: verify)',
    jurisdiction: 'CA',
    category: 'calling_hours',
    applies: marketing,
    constraints: (ctx) => windowConstraints(ctx.zones, UTR_WINDOW),
  },
  {
    id: 'CA-DNCL',
    citation: 'CRTC Unsolicited Telecommunications Rules, Part II (National DNCL)',
    jurisdiction: 'CA',
    category: 'dnc_national',
    applies: (ctx) => marketing(ctx) && ctx.consumer && ctx.lists.nationalDnc,
    check: (ctx) => (exempt(ctx) ? { pass: true } : { pass: false, detail: { registry: 'DNCL' } }),
  },
  {
    id: 'CA-DNCL-31-DAYS',
    citation: 'CRTC Unsolicited Telecommunications Rules, Part II s.6: list no older than 31 days',
    jurisdiction: 'CA',
    category: 'dnc_stale',
    applies: (ctx) => marketing(ctx) && ctx.consumer && !exempt(ctx),
    check(ctx) {
      const synced = ctx.lists.nationalDncSyncedDay;
      if (synced === null) return { pass: false, detail: { registryCopy: 'none covers this number' } };
      const age = Math.floor(ctx.at / DAY_MS) - synced;
      return age > 31 ? { pass: false, detail: { registryCopyAgeDays: age, maxDays: 31 } } : { pass: true, validUntil: (synced + 32) * DAY_MS };
    },
  },
  {
    id: 'CA-ADAD',
    citation: 'CRTC Unsolicited Telecommunications Rules, Part IV (ADAD needs express consent)',
    jurisdiction: 'CA',
    category: 'consent',
    applies: (ctx) => marketing(ctx) && ctx.prerecorded,
    check: (ctx) => (heldConsent(ctx, ['written', 'express'], false) ? { pass: true } : { pass: false, detail: { needed: 'express consent' } }),
  },
];

export const CANADA_PACK: RulePack = {
  id: 'canada',
  version: 'canada-2026.11.27',
  covers: (jurisdictions) => jurisdictions.has('CA'),
  rules,
};
