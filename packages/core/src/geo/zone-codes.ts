/**
 * Short codes for the IANA zones the geo tables use, so the tables stay compact. Every zone is resolved through the
 * IANA tzdb (Intl) at decision time; these are names, never offsets.
 */
export const ZONE_CODES: Readonly<Record<string, string>> = {
  E: 'America/New_York',
  C: 'America/Chicago',
  M: 'America/Denver',
  P: 'America/Los_Angeles',
  A: 'America/Phoenix',
  K: 'America/Anchorage',
  J: 'America/Adak',
  H: 'Pacific/Honolulu',
  R: 'America/Puerto_Rico',
  V: 'America/St_Thomas',
  G: 'Pacific/Guam',
  S: 'Pacific/Saipan',
  W: 'Pacific/Pago_Pago',
  // Canada
  ct: 'America/Toronto',
  cw: 'America/Winnipeg',
  cr: 'America/Regina',
  ce: 'America/Edmonton',
  cv: 'America/Vancouver',
  cd: 'America/Dawson_Creek',
  ch: 'America/Halifax',
  cn: 'America/St_Johns',
  cg: 'America/Goose_Bay',
  ca: 'America/Atikokan',
  cb: 'America/Blanc-Sablon',
  cy: 'America/Whitehorse',
};

/** "E,C" → ["America/New_York", "America/Chicago"]. */
export function expandZoneCodes(codes: string): string[] {
  return codes.split(',').map((code) => {
    const zone = ZONE_CODES[code];
    if (zone === undefined) throw new Error(`unknown zone code ${code}`);
    return zone;
  });
}
