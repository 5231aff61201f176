import type { WeeklySchedule } from '../engine/time-constraints.ts';
import { everyDay, weekly, window } from './rule-helpers.ts';

/**
 * State calling windows for telephone solicitation (compliance-rules.md §2.1), local time at the called person's
 * location, half-open. Each row is dated so decisions replay under the table in force at their instant.
 */
export interface StateWindowRow {
  state: string;
  citation: string;
  schedule: WeeklySchedule;
  effectiveFrom?: string;
  effectiveTo?: string;
  /** Lifted by the person's prior express consent (Utah). */
  liftedByConsent?: boolean;
  /** Applies to prerecorded (ADAD) calls only. */
  prerecordedOnly?: boolean;
}

const NONE = null;

export const STATE_WINDOWS: readonly StateWindowRow[] = [
  { state: 'AL', citation: 'Ala. Admin. Code r. 770-X-5-.17(1)(b)', schedule: weekly(window('08:00', '20:00'), window('08:00', '20:00'), NONE, 'US-AL', NONE) },
  { state: 'CT', citation: 'Conn. Gen. Stat. 42-288a (PA 23-98)', schedule: everyDay('09:00', '20:00'), effectiveFrom: '2023-10-01' },
  { state: 'FL', citation: 'Fla. Stat. 501.616(6)(a)', schedule: everyDay('08:00', '20:00'), effectiveFrom: '2021-07-01' },
  { state: 'KY', citation: 'KRS 367.46955', schedule: everyDay('10:00', '21:00') },
  { state: 'LA', citation: 'La. R.S. 45:811; LPSC General Order R-29617 V(A)(2)', schedule: weekly(window('08:00', '20:00'), window('08:00', '20:00'), NONE, 'US-LA', NONE) },
  { state: 'MD', citation: 'Md. Code, Com. Law 14-4502', schedule: everyDay('08:00', '20:00'), effectiveFrom: '2024-01-01' },
  { state: 'MA', citation: 'M.G.L. c.159C 3', schedule: everyDay('08:00', '20:00') },
  { state: 'MI', citation: 'MCL 445.111 et seq.', schedule: everyDay('09:00', '21:00') },
  { state: 'MN', citation: 'Minn. Stat. 325E.30', schedule: everyDay('09:00', '21:00') },
  { state: 'MS', citation: 'Miss. Code 77-3-723(1), 77-3-603(a)', schedule: weekly(window('08:00', '20:00'), window('08:00', '20:00'), NONE) },
  { state: 'MS', citation: 'Mississippi PSC no-call rules: holiday ban (repealed 2023/24)', schedule: everyDay('00:00', '24:00', 'US-FED', NONE), effectiveTo: '2024-01-01' },
  { state: 'NE', citation: 'Neb. Admin. Code tit. 291 ch. 11 3 (ADAD)', schedule: weekly(window('00:00', '24:00'), window('00:00', '24:00'), window('13:00', '21:00'), 'US-FED', window('13:00', '21:00')), prerecordedOnly: true },
  { state: 'NV', citation: 'NRS 228.590 (vendor charts)', schedule: everyDay('09:00', '20:00') },
  { state: 'NJ', citation: 'N.J. (vendor-reported 08:00-20:00, applied conservatively)', schedule: everyDay('08:00', '20:00') },
  { state: 'NM', citation: 'NMSA 57-12-22 (vendor charts)', schedule: everyDay('09:00', '21:00') },
  { state: 'OK', citation: '15 O.S. 775C.1-775C.6 (Telephone Solicitation Act of 2022)', schedule: everyDay('08:00', '20:00'), effectiveFrom: '2022-11-01' },
  { state: 'OK', citation: '15 O.S. 755.1(C)(2) (ADAD)', schedule: everyDay('09:00', '21:00'), prerecordedOnly: true },
  { state: 'PA', citation: '73 P.S. 2245.2(a)', schedule: everyDay('08:00', '21:00', 'US-PA', NONE), effectiveFrom: '2019-12-03' },
  { state: 'RI', citation: 'R.I. Gen. Laws 5-61-2(2), 5-61-3.6', schedule: weekly(window('09:00', '18:00'), window('10:00', '17:00'), NONE, 'US-RI', NONE) },
  { state: 'TX', citation: 'Tex. Bus. & Com. Code 301.051', schedule: weekly(window('09:00', '21:00'), window('09:00', '21:00'), window('12:00', '21:00')) },
  { state: 'UT', citation: 'Utah Code 13-25a-103(3)', schedule: weekly(window('08:00', '21:00'), window('08:00', '21:00'), NONE, 'US-UT', NONE), liftedByConsent: true },
  { state: 'WA', citation: 'RCW 19.158.040(2)', schedule: everyDay('08:00', '20:00') },
];

/** State do-not-call lists with an EBR exemption, in months (others: only written consent exempts). */
export const STATE_DNC_EBR_MONTHS: Readonly<Record<string, number>> = { TX: 12, PA: 12, MS: 6 };
