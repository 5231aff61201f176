import type { RulePack } from './engine/rule.ts';
import type { DayWindow } from './engine/time-constraints.ts';
import type { ComplianceData } from './rule-packs.ts';
import { createUsStatesPack } from './rules/us-states.pack.ts';
import type { StateWindowRow } from './rules/us-state-windows.data.ts';
import { hhmm, weekly } from './rules/rule-helpers.ts';
import type { HolidayCalendarId } from './time/holiday-calendars.ts';

/**
 * Operator rule data applied over the shipped packs (`outdial compliance check --rules DIR`, DIR/rules.json):
 * a version, rules to disable by id, and a replacement table of state calling windows. The result's rulesVersion
 * names both, so decisions made with it replay only with the same file.
 */
export interface RuleOverrides {
  version: string;
  disableRules?: string[];
  stateWindows?: Array<{
    state: string;
    citation: string;
    weekdays: [string, string] | null;
    saturday: [string, string] | null;
    sunday: [string, string] | null;
    holidays?: HolidayCalendarId;
    effectiveFrom?: string;
    effectiveTo?: string;
    prerecordedOnly?: boolean;
    liftedByConsent?: boolean;
  }>;
}

const CALENDARS: readonly string[] = ['US-FED', 'US-AL', 'US-LA', 'US-PA', 'US-RI', 'US-UT', 'LV'];
const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dayWindow(value: unknown, where: string): DayWindow | null | string {
  if (value === null) return null;
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'string' && HHMM.test(v))) {
    return `${where} must be null or ["HH:MM", "HH:MM"]`;
  }
  const start = hhmm(value[0] as string);
  const end = hhmm(value[1] as string);
  return start < end ? [start, end] : `${where}: start must be before end`;
}

export function applyRuleOverrides(base: ComplianceData, input: unknown): { ok: true; data: ComplianceData } | { ok: false; message: string } {
  if (typeof input !== 'object' || input === null) return { ok: false, message: 'expected a JSON object' };
  const overrides = input as Partial<RuleOverrides>;
  if (typeof overrides.version !== 'string' || overrides.version === '') return { ok: false, message: '"version" is required' };
  let packs: RulePack[] = [...base.packs];
  if (overrides.stateWindows !== undefined) {
    if (!Array.isArray(overrides.stateWindows)) return { ok: false, message: '"stateWindows" must be an array' };
    const rows: StateWindowRow[] = [];
    for (const [index, row] of overrides.stateWindows.entries()) {
      const where = `stateWindows[${index}]`;
      if (typeof row.state !== 'string' || !/^[A-Z]{2}$/.test(row.state)) return { ok: false, message: `${where}.state must be a 2-letter state code` };
      if (typeof row.citation !== 'string') return { ok: false, message: `${where}.citation is required` };
      const days = [dayWindow(row.weekdays, `${where}.weekdays`), dayWindow(row.saturday, `${where}.saturday`), dayWindow(row.sunday, `${where}.sunday`)];
      const problem = days.find((d): d is string => typeof d === 'string');
      if (problem) return { ok: false, message: problem };
      if (row.holidays !== undefined && !CALENDARS.includes(row.holidays)) return { ok: false, message: `${where}.holidays must be one of ${CALENDARS.join(', ')}` };
      for (const key of ['effectiveFrom', 'effectiveTo'] as const) {
        const value = row[key];
        if (value !== undefined && (typeof value !== 'string' || !DATE.test(value))) return { ok: false, message: `${where}.${key} must be YYYY-MM-DD` };
      }
      const [weekdays, saturday, sunday] = days as Array<DayWindow | null>;
      const parsed: StateWindowRow = { state: row.state, citation: row.citation, schedule: weekly(weekdays ?? null, saturday ?? null, sunday ?? null, row.holidays, null) };
      if (row.effectiveFrom) parsed.effectiveFrom = row.effectiveFrom;
      if (row.effectiveTo) parsed.effectiveTo = row.effectiveTo;
      if (row.prerecordedOnly) parsed.prerecordedOnly = true;
      if (row.liftedByConsent) parsed.liftedByConsent = true;
      rows.push(parsed);
    }
    packs = packs.map((pack) => (pack.id === 'us-states' ? createUsStatesPack(rows, `us-states+${overrides.version}`) : pack));
  }
  if (overrides.disableRules !== undefined) {
    if (!Array.isArray(overrides.disableRules) || !overrides.disableRules.every((id) => typeof id === 'string')) {
      return { ok: false, message: '"disableRules" must be an array of rule ids' };
    }
    const disabled = new Set(overrides.disableRules);
    packs = packs.map((pack) => ({ ...pack, rules: pack.rules.filter((rule) => !disabled.has(rule.id)) }));
  }
  return { ok: true, data: { ...base, rulesVersion: `${base.rulesVersion}+${overrides.version}`, packs } };
}
