import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { trimCell } from '../csv/cell-text.ts';
import { probeAreaCode, probeExchange, SHIPPED_VERDICTS } from './nanp-verdicts.ts';
import { hasNanpShape, nanpDigits, splitExtension } from '@outdial/core/contacts/phone-digits';

export type PhoneResult =
  | { ok: true; e164: string; ext: string | null; country: string | null }
  | { ok: false; reason: 'missing_phone' | 'invalid_phone'; detail: string };

/** Countries of the North American Numbering Plan whose lists take the fast path. */
const NANP_COUNTRIES = new Set(['US', 'CA', 'PR', 'VI', 'GU', 'AS', 'MP', 'AG', 'AI', 'BB', 'BM', 'BS', 'DM', 'DO', 'GD', 'JM', 'KN', 'KY', 'LC', 'MS', 'SX', 'TC', 'TT', 'VC', 'VG']);

type AreaCodeValidity = 'valid' | 'invalid' | 'mixed';
/** Verdicts as cached per area code and per exchange: 0 not asked yet. */
const VERDICTS: readonly AreaCodeValidity[] = ['valid', 'valid', 'invalid', 'mixed'];
/** scanNanp's answers other than ten digits: a character it does not take, or not a NANP number by its digits. */
const OTHER_CHARACTER = -1;
const NOT_NANP_DIGITS = -2;

/**
 * Phone numbers to E.164 with libphonenumber-js (full metadata), behind a fast path for North American numbers:
 * the NANP digits are found without the library, and the library's verdict per area code and per exchange
 * (nanp-verdicts.ts: shipped for the installed library version, else probed once and cached) decides, so a
 * million-row US list does not pay a full parse per row.
 */
export class PhoneNormaliser {
  /**
   * Verdict codes (nanp-verdicts.ts) by area code (3 digits) and by exchange (6 digits): a typed-array index, not a
   * Map. The shipped tables are shared: they hold every area code and exchange the fast path asks about, and a
   * probe would write the same verdict.
   */
  private readonly areaCodes = SHIPPED_VERDICTS?.areaCodes ?? new Uint8Array(1000);
  private readonly exchanges = SHIPPED_VERDICTS?.exchanges ?? new Uint8Array(1_000_000);
  private readonly nanpDefault: boolean;
  /**
   * The library's answers by the text it was given (null: not a valid number). Junk repeats in vendor lists ("n/a",
   * "555-0100", "12345") and the library tries every NANP country's patterns before rejecting such a text.
   */
  private readonly parsed = new Map<string, { e164: string; ext: string | null; country: string | null } | null>();

  constructor(private readonly defaultCountry: string = 'US') {
    this.nanpDefault = NANP_COUNTRIES.has(defaultCountry.toUpperCase());
  }

  normalise(raw: string | undefined | null): PhoneResult {
    const text = trimCell(raw ?? '');
    if (text === '') return { ok: false, reason: 'missing_phone', detail: 'no phone number' };
    // Only a phone with a letter, '#', ',' or ';' can carry an extension (every spelling of one has an x or a #), so
    // the extension pattern runs on those only.
    let number = text;
    let ext: string | null = null;
    let scanned = this.scanNanp(text);
    if (scanned === OTHER_CHARACTER) {
      ({ number, ext } = splitExtension(text));
      scanned = this.scanNanp(number);
    }
    if (scanned >= 0) return this.fromTenDigits(scanned, ext, text);
    if (scanned === NOT_NANP_DIGITS) return this.viaLibrary(number, ext, text);
    return this.general(number, ext, text);
  }

  /**
   * The fast path's scan of a number written only with digits and the punctuation North American spellings use
   * (space, no-break space, - . ( ) / +): the ten NANP digits as one number (NPA × 10⁷ + NXX × 10⁴ + line), or why
   * not. It decides exactly as `general` below (the digits without punctuation give the prefix tests, `nanpDigits`
   * the ten digits), without building strings; anything else goes to `general` (OTHER_CHARACTER).
   */
  private scanNanp(number: string): number {
    let digits = 0;
    let value = 0; // all the digits as one number, exact while there are at most 15 (every NANP spelling has ≤ 14)
    let lead = 0; // the first four digits-or-plus characters, 8 bits each (the prefix tests of `general`)
    let leadCount = 0;
    let plus = false;
    let plusAfterDigit = false;
    let pluses = 0;
    for (let i = 0; i < number.length; i++) {
      const c = number.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        if (++digits <= 15) value = value * 10 + (c - 48);
      } else if (c === 43) {
        pluses++;
        if (digits > 0) plusAfterDigit = true;
        plus = true;
      } else if (c !== 32 && c !== 45 && c !== 46 && c !== 40 && c !== 41 && c !== 47 && c !== 0xa0) {
        return OTHER_CHARACTER;
      } else {
        continue;
      }
      if (leadCount < 4) { lead = lead * 256 + c; leadCount++; }
    }
    // digitsOnly.startsWith(...) of `general`, on the digits-and-plus characters.
    const startsPlus = leadCount >= 1 && (lead >>> ((leadCount - 1) * 8)) === 43;
    const startsPlus1 = leadCount >= 2 && (lead >>> ((leadCount - 2) * 8)) === ((43 << 8) | 49);
    const starts00 = leadCount >= 2 && (lead >>> ((leadCount - 2) * 8)) === ((48 << 8) | 48);
    const starts001 = leadCount >= 3 && (lead >>> ((leadCount - 3) * 8)) === ((48 << 16) | (48 << 8) | 49);
    const starts0111 = leadCount >= 4 && lead === ((48 << 24) | (49 << 16) | (49 << 8) | 49);
    const internationalNonNanp = startsPlus ? !startsPlus1 : starts00 && !starts001 && !starts0111;
    if (!(this.nanpDefault || startsPlus1 || starts001) || internationalNonNanp) return NOT_NANP_DIGITS;
    // nanpDigits: one '+' before every digit, then +1 and ten digits; else 10, 1+10, 001+10 or 0111+10 digits.
    // The ten digits are what follows the 1, 001 or 0111 prefix: subtracted, not taken modulo (fmod was a tenth of the
    // row's time in a profile).
    if (plus) return pluses === 1 && !plusAfterDigit && digits === 11 && startsPlus1 ? value - 1e10 : NOT_NANP_DIGITS;
    const first = leadCount >= 1 ? (lead >>> ((leadCount - 1) * 8)) & 0xff : 0;
    if (digits === 10) return value;
    if ((digits === 11 && first === 49) || (digits === 13 && starts001)) return value - 1e10;
    if (digits === 14 && starts0111) return value - 111e10;
    return NOT_NANP_DIGITS;
  }

  /** The fast path's verdict on ten NANP digits (as a number), asking the library only what the caches do not know. */
  private fromTenDigits(ten: number, ext: string | null, text: string): PhoneResult {
    // Integer arithmetic on int32 parts (ten itself exceeds 2^31): `%` on doubles is a call to fmod.
    const npaNxx = Math.floor(ten / 10_000) | 0;
    const line = (ten - npaNxx * 10_000) | 0;
    const npa = (npaNxx / 1000) | 0;
    const nxx = npaNxx - npa * 1000;
    // hasNanpShape: NPA and NXX start with 2-9 and neither is an N11 code.
    if (npa < 200 || nxx < 200 || npa % 100 === 11 || nxx % 100 === 11) {
      return { ok: false, reason: 'invalid_phone', detail: `"${text}" is not a valid North American number` };
    }
    const area = this.areaCodeValidity(npa);
    if (area === 'invalid') return { ok: false, reason: 'invalid_phone', detail: `"${text}": area code ${npa} is not in service` };
    const e164 = e164OfParts(npa, nxx, line);
    if (area === 'valid' && this.exchangeValidity(npaNxx) === 'valid') return { ok: true, e164, ext, country: null };
    return this.viaLibrary(e164, ext, text);
  }

  /** Every spelling the fast scan does not take (tabs, letters, other countries' forms): the original steps. */
  private general(number: string, ext: string | null, text: string): PhoneResult {
    const digitsOnly = number.replace(/[\s\-.()/\u00a0]/g, '');
    const internationalNonNanp = digitsOnly.startsWith('+') ? !digitsOnly.startsWith('+1') : digitsOnly.startsWith('00') && !digitsOnly.startsWith('001') && !digitsOnly.startsWith('0111');
    if (this.nanpDefault || digitsOnly.startsWith('+1') || digitsOnly.startsWith('001')) {
      const ten = internationalNonNanp ? null : nanpDigits(number);
      if (ten !== null) {
        if (!hasNanpShape(ten)) return { ok: false, reason: 'invalid_phone', detail: `"${text}" is not a valid North American number` };
        const npaNxx = sixDigits(ten);
        const area = this.areaCodeValidity((npaNxx / 1000) | 0);
        if (area === 'invalid') return { ok: false, reason: 'invalid_phone', detail: `"${text}": area code ${ten.slice(0, 3)} is not in service` };
        if (area === 'valid' && this.exchangeValidity(npaNxx) === 'valid') return { ok: true, e164: `+1${ten}`, ext, country: null };
        return this.viaLibrary(`+1${ten}`, ext, text);
      }
    }
    return this.viaLibrary(number, ext, text);
  }

  private viaLibrary(number: string, ext: string | null, original: string): PhoneResult {
    if (/[a-z]/i.test(number)) return { ok: false, reason: 'invalid_phone', detail: `"${original}" contains letters` };
    let parsed = this.parsed.get(number);
    if (parsed === undefined) {
      let candidate = number;
      const compact = number.replace(/[\s\-.()/]/g, '');
      if (compact.startsWith('00')) candidate = `+${compact.slice(2)}`;
      const found = parsePhoneNumberFromString(candidate, { defaultCountry: this.defaultCountry.toUpperCase() as CountryCode });
      parsed = found === undefined || !found.isValid() ? null : { e164: found.number, ext: found.ext ?? null, country: found.country ?? null };
      if (this.parsed.size >= 10_000) this.parsed.clear();
      this.parsed.set(number, parsed);
    }
    if (parsed === null) return { ok: false, reason: 'invalid_phone', detail: `"${original}" is not a valid phone number` };
    return { ok: true, e164: parsed.e164, ext: ext ?? parsed.ext, country: parsed.country };
  }


  private exchangeValidity(npaNxx: number): AreaCodeValidity {
    let known = this.exchanges[npaNxx] as number;
    if (known === 0) this.exchanges[npaNxx] = known = probeExchange(npaNxx);
    return VERDICTS[known] as AreaCodeValidity;
  }

  private areaCodeValidity(npa: number): AreaCodeValidity {
    let known = this.areaCodes[npa] as number;
    if (known === 0) this.areaCodes[npa] = known = probeAreaCode(npa);
    return VERDICTS[known] as AreaCodeValidity;
  }
}

/** `+1` and the ten digits, as one flat string (no number-to-string conversion of a double, no concatenation). */
function e164OfParts(npa: number, nxx: number, line: number): string {
  return String.fromCharCode(
    43, 49,
    48 + ((npa / 100) | 0), 48 + (((npa / 10) | 0) % 10), 48 + (npa % 10),
    48 + ((nxx / 100) | 0), 48 + (((nxx / 10) | 0) % 10), 48 + (nxx % 10),
    48 + ((line / 1000) | 0), 48 + (((line / 100) | 0) % 10), 48 + (((line / 10) | 0) % 10), 48 + (line % 10),
  );
}

/** The first six digits (NPA-NXX) of ten NANP digits as a number (the NPA never starts with 0 or 1). */
function sixDigits(ten: string): number {
  let value = 0;
  for (let i = 0; i < 6; i++) value = value * 10 + (ten.charCodeAt(i) - 48);
  return value;
}
