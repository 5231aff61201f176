import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { hasNanpShape, nanpDigits, splitExtension } from '@outdial/core/contacts/phone-digits';

export type PhoneResult =
  | { ok: true; e164: string; ext: string | null; country: string | null }
  | { ok: false; reason: 'missing_phone' | 'invalid_phone'; detail: string };

/** Countries of the North American Numbering Plan whose lists take the fast path. */
const NANP_COUNTRIES = new Set(['US', 'CA', 'PR', 'VI', 'GU', 'AS', 'MP', 'AG', 'AI', 'BB', 'BM', 'BS', 'DM', 'DO', 'GD', 'JM', 'KN', 'KY', 'LC', 'MS', 'SX', 'TC', 'TT', 'VC', 'VG']);

type AreaCodeValidity = 'valid' | 'invalid' | 'mixed';
/** Verdicts as cached per area code and per exchange: 0 not asked yet. */
const VERDICTS: readonly AreaCodeValidity[] = ['valid', 'valid', 'invalid', 'mixed'];
const CODE: Record<AreaCodeValidity, number> = { valid: 1, invalid: 2, mixed: 3 };
const PROBES = ['2010123', '5550123', '9990000', '3456789'];
const LINE_PROBES = ['0000', '9999'];

/**
 * Phone numbers to E.164 with libphonenumber-js (full metadata), behind a fast path for North American numbers:
 * the NANP digits are found without the library, and the library's verdict is asked once per area code and once per
 * exchange (cached),
 * so a million-row US list does not pay a full parse per row.
 */
export class PhoneNormaliser {
  /** Verdict codes (see CODE) by area code (3 digits) and by exchange (6 digits): a typed-array index, not a Map. */
  private readonly areaCodes = new Uint8Array(1000);
  private readonly exchanges = new Uint8Array(1_000_000);
  private readonly nanpDefault: boolean;

  constructor(private readonly defaultCountry: string = 'US') {
    this.nanpDefault = NANP_COUNTRIES.has(defaultCountry.toUpperCase());
  }

  normalise(raw: string | undefined | null): PhoneResult {
    const text = (raw ?? '').trim();
    if (text === '') return { ok: false, reason: 'missing_phone', detail: 'no phone number' };
    const { number, ext } = splitExtension(text);
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
    let candidate = number;
    const compact = number.replace(/[\s\-.()/]/g, '');
    if (compact.startsWith('00')) candidate = `+${compact.slice(2)}`;
    const parsed = parsePhoneNumberFromString(candidate, { defaultCountry: this.defaultCountry.toUpperCase() as CountryCode });
    if (parsed === undefined || !parsed.isValid()) return { ok: false, reason: 'invalid_phone', detail: `"${original}" is not a valid phone number` };
    return { ok: true, e164: parsed.number, ext: ext ?? parsed.ext ?? null, country: parsed.country ?? null };
  }

  /**
   * The library's verdict on a whole exchange (NPA-NXX), asked once: its NANP metadata decides by area code and
   * exchange (983-600 is invalid in an otherwise valid area code, found by the fast-check test), not by line number,
   * except the 555 exchange (555-01XX fictional numbers), which the library decides number by number.
   */
  private exchangeValidity(npaNxx: number): AreaCodeValidity {
    const known = this.exchanges[npaNxx] as number;
    if (known !== 0) return VERDICTS[known] as AreaCodeValidity;
    let valid = 0;
    for (const line of LINE_PROBES) if (parsePhoneNumberFromString(`+1${npaNxx}${line}`)?.isValid() === true) valid++;
    const verdict: AreaCodeValidity = npaNxx % 1000 === 555 ? 'mixed' : valid === LINE_PROBES.length ? 'valid' : valid === 0 ? 'invalid' : 'mixed';
    this.exchanges[npaNxx] = CODE[verdict];
    return verdict;
  }

  private areaCodeValidity(npa: number): AreaCodeValidity {
    const known = this.areaCodes[npa] as number;
    if (known !== 0) return VERDICTS[known] as AreaCodeValidity;
    let valid = 0;
    for (const probe of PROBES) {
      const parsed = parsePhoneNumberFromString(`+1${npa}${probe}`);
      if (parsed?.isValid() === true) valid++;
    }
    // Four invalid probes do not prove the area code out of service: Antigua's 268 (found by the fast-check test
    // against the library) is valid only in some exchanges, none of them probed. So the library decides each number
    // of such an area code; only an area code that no country claims is rejected here.
    const verdict: AreaCodeValidity = valid === PROBES.length ? 'valid' : valid > 0 || claimed(npa) ? 'mixed' : 'invalid';
    this.areaCodes[npa] = CODE[verdict];
    return verdict;
  }
}

/** The first six digits (NPA-NXX) of ten NANP digits as a number (the NPA never starts with 0 or 1). */
function sixDigits(ten: string): number {
  let value = 0;
  for (let i = 0; i < 6; i++) value = value * 10 + (ten.charCodeAt(i) - 48);
  return value;
}

/**
 * Whether some NANP country's metadata claims the area code (libphonenumber-js names a country for the number even
 * when that exchange is not valid there): only an unclaimed area code is out of service for every exchange.
 */
function claimed(npa: number): boolean {
  return PROBES.some((probe) => parsePhoneNumberFromString(`+1${npa}${probe}`)?.country !== undefined);
}
