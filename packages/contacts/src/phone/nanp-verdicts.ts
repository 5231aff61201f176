import { createRequire } from 'node:module';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { NANP_VERDICTS, NANP_VERDICTS_LIBRARY_VERSION } from './nanp-verdicts.data.ts';

/**
 * libphonenumber-js's verdict on whole NANP area codes and exchanges, which the phone normaliser's fast path asks
 * instead of parsing every number: 1 valid, 2 invalid, 3 mixed (the library decides number by number), 0 not asked.
 * The library is asked with probe numbers (a few per area code, two per exchange); the answers for every area code
 * and exchange 200-999 are also shipped as a table (nanp-verdicts.data.ts, made by generate-nanp-verdicts.ts from
 * the same probes), used only with the library version it was made from: probing the ~19 000 exchanges of the
 * benchmark's million rows cost ~0.8 s of CPU per import.
 */
export const VALID = 1;
export const INVALID = 2;
export const MIXED = 3;

const AREA_PROBES = ['2010123', '5550123', '9990000', '3456789'];
const LINE_PROBES = ['0000', '9999'];

function isValid(e164: string): boolean {
  return parsePhoneNumberFromString(e164)?.isValid() === true;
}

/**
 * The library's verdict on an area code. Four invalid probes do not prove the area code out of service: Antigua's
 * 268 (found by the fast-check test against the library) is valid only in some exchanges, none of them probed. So
 * the library decides each number of such an area code; only an area code that no country claims (libphonenumber-js
 * names a country for the number even when that exchange is not valid there) is invalid for every exchange.
 */
export function probeAreaCode(npa: number): number {
  let valid = 0;
  for (const probe of AREA_PROBES) if (isValid(`+1${npa}${probe}`)) valid++;
  if (valid === AREA_PROBES.length) return VALID;
  const claimed = AREA_PROBES.some((probe) => parsePhoneNumberFromString(`+1${npa}${probe}`)?.country !== undefined);
  return valid > 0 || claimed ? MIXED : INVALID;
}

/**
 * The library's verdict on an exchange (NPA-NXX): its NANP metadata decides by area code and exchange (983-600 is
 * invalid in an otherwise valid area code, found by the fast-check test), not by line number, except the 555
 * exchange (555-01XX fictional numbers), which the library decides number by number.
 */
export function probeExchange(npaNxx: number): number {
  if (npaNxx % 1000 === 555) return MIXED;
  let valid = 0;
  for (const line of LINE_PROBES) if (isValid(`+1${npaNxx}${line}`)) valid++;
  return valid === LINE_PROBES.length ? VALID : valid === 0 ? INVALID : MIXED;
}

const LETTERS = ['', 'v', 'i', 'm'];

/**
 * The table text: per area code 200-999, `NPA` and its verdict letter (v, i, m); a valid area code is followed by
 * `*` when every exchange 200-999 is valid (555 aside, always mixed), else by its exchanges' letters run-length
 * encoded (`v355m1v44i100v300`).
 */
export function encodeVerdicts(area: (npa: number) => number, exchange: (npaNxx: number) => number): string {
  const entries: string[] = [];
  for (let npa = 200; npa < 1000; npa++) {
    const verdict = area(npa);
    let entry = `${npa}${LETTERS[verdict] ?? '?'}`;
    if (verdict === VALID) {
      let letters = '';
      for (let nxx = 200; nxx < 1000; nxx++) letters += LETTERS[exchange(npa * 1000 + nxx)] ?? '?';
      const usual = `${'v'.repeat(355)}m${'v'.repeat(444)}`;
      entry += letters === usual ? '*' : letters.replace(/(.)\1*/g, (run, letter: string) => `${letter}${run.length}`);
    }
    entries.push(entry);
  }
  return entries.join(' ');
}

export interface VerdictTables {
  /** Verdict by area code (index 0-999). */
  areaCodes: Uint8Array;
  /** Verdict by NPA-NXX (index 0-999 999), filled for the exchanges of valid area codes. */
  exchanges: Uint8Array;
}

export function decodeVerdicts(text: string): VerdictTables {
  const areaCodes = new Uint8Array(1000);
  const exchanges = new Uint8Array(1_000_000);
  for (const entry of text.trim().split(/\s+/)) {
    const npa = Number(entry.slice(0, 3));
    const verdict = LETTERS.indexOf(entry.charAt(3));
    if (!(npa >= 200 && npa <= 999) || verdict <= 0) throw new Error(`nanp verdicts: bad entry ${entry.slice(0, 20)}`);
    areaCodes[npa] = verdict;
    if (verdict !== VALID) continue;
    const spec = entry.slice(4);
    let nxx = 200;
    if (spec === '*') {
      exchanges.fill(VALID, npa * 1000 + 200, npa * 1000 + 1000);
      exchanges[npa * 1000 + 555] = MIXED;
      continue;
    }
    for (const [, letter = '', count = ''] of spec.matchAll(/([vim])(\d+)/g)) {
      const code = LETTERS.indexOf(letter);
      exchanges.fill(code, npa * 1000 + nxx, npa * 1000 + nxx + Number(count));
      nxx += Number(count);
    }
    if (nxx !== 1000) throw new Error(`nanp verdicts: area code ${npa} describes ${nxx - 200} exchanges, not 800`);
  }
  return { areaCodes, exchanges };
}

/** The installed libphonenumber-js version. */
export function libraryVersion(): string {
  return (createRequire(import.meta.url)('libphonenumber-js/package.json') as { version: string }).version;
}

/** The shipped table, when it was made from the installed library; null otherwise (the normaliser then probes). */
export const SHIPPED_VERDICTS: VerdictTables | null = libraryVersion() === NANP_VERDICTS_LIBRARY_VERSION ? decodeVerdicts(NANP_VERDICTS) : null;
