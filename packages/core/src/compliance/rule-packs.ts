import type { RulePack } from './engine/rule.ts';
import { CANADA_PACK } from './rules/canada.pack.ts';
import { COMMON_PACK } from './rules/common.pack.ts';
import { EU_PACK } from './rules/eu.pack.ts';
import { UK_PACK } from './rules/uk.pack.ts';
import { US_FEDERAL_PACK } from './rules/us-federal.pack.ts';
import { US_STATES_PACK } from './rules/us-states.pack.ts';
import { GEO_DATA_VERSIONS } from '../geo/locate.ts';
import { HOLIDAY_CALENDARS_VERSION } from './time/holiday-calendars.ts';

/** The rules that ship with Outdial. Bump RULES_VERSION with any change to a rule, a table or a calendar. */
export const RULES_VERSION = 'outdial-rules-2026.11.27.1';

export const DEFAULT_RULE_PACKS: readonly RulePack[] = [COMMON_PACK, US_FEDERAL_PACK, US_STATES_PACK, UK_PACK, EU_PACK, CANADA_PACK];

/** Everything a decision depends on besides the request: recorded in each decision's evidence. */
export interface ComplianceData {
  rulesVersion: string;
  packs: readonly RulePack[];
  dataVersions: Record<string, string>;
}

export const DEFAULT_COMPLIANCE_DATA: ComplianceData = {
  rulesVersion: RULES_VERSION,
  packs: DEFAULT_RULE_PACKS,
  dataVersions: { ...GEO_DATA_VERSIONS, holidays: HOLIDAY_CALENDARS_VERSION, tzdb: 'Intl (host ICU)' },
};
