import { lookupAreaCode } from './area-codes.ts';
import { NANP_PREMIUM_EXCHANGES } from './nanp-area-codes.data.ts';
import { CALLING_CODES, countryInfo } from './countries.ts';

/**
 * Phone parsing for decisions, without a runtime dependency: E.164 or national format for the NANP and the
 * countries in countries.ts. It answers only what decisions need: country, NANP area code and exchange, validity,
 * and whether the number is non-geographic or premium-rate.
 */
export type ParsedPhone =
  | {
      ok: true;
      e164: string;
      country: string;
      nationalNumber: string;
      /** NANP only. */
      areaCode: string | null;
      exchange: string | null;
      kind: 'geographic' | 'mobile' | 'non_geographic';
    }
  | { ok: false; reason: string; country: string | null };

const BY_CALLING_CODE = new Map(CALLING_CODES.map((info) => [info.callingCode, info]));
const NANP_ALIASES = new Set(['US', 'CA', 'PR', 'VI', 'GU', 'MP', 'AS']);

/** `+1 (212) 201-0123`, `2122010123` with country US, `07400 123456` with country GB, ... */
export function parsePhone(input: unknown, defaultCountry: unknown = 'US'): ParsedPhone {
  if (typeof input !== 'string' || input.length === 0 || input.length > 40) return invalid('the phone is not a string of digits');
  // The usual form, `+1` and ten digits, without the regular expressions (same result as the general path).
  // The input is then already the E.164 form: it is kept rather than rebuilt.
  if (input.length === 12 && input.charCodeAt(0) === 43 /* + */ && input.charCodeAt(1) === 49 /* 1 */ && allDigits(input, 2)) return parseNanp(input.slice(2), input);
  const trimmed = input.trim();
  if (!/^\+?[\d\s().\-/]+$/.test(trimmed)) return invalid('the phone contains characters other than digits and separators');
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) return parseInternational(digits);
  const region = typeof defaultCountry === 'string' ? defaultCountry.toUpperCase() : '';
  if (NANP_ALIASES.has(region)) {
    if (digits.length === 11 && digits.startsWith('1')) return parseNanp(digits.slice(1));
    if (digits.length === 10) return parseNanp(digits);
    return invalid('a NANP number has 10 digits');
  }
  const info = countryInfo(region);
  if (!info) return invalid(`no rule pack for country "${String(defaultCountry)}"`);
  let national = digits;
  if (info.trunkPrefix !== '' && national.startsWith(info.trunkPrefix)) national = national.slice(info.trunkPrefix.length);
  return parseNational(info.iso, national);
}

function allDigits(text: string, from: number): boolean {
  for (let i = from; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function invalid(reason: string, country: string | null = null): ParsedPhone {
  return { ok: false, reason, country };
}

function parseInternational(digits: string): ParsedPhone {
  if (digits.length < 8 || digits.length > 15) return invalid('an E.164 number has 8 to 15 digits');
  if (digits.startsWith('1')) return digits.length === 11 ? parseNanp(digits.slice(1)) : invalid('a NANP number has 10 digits after +1');
  const info = BY_CALLING_CODE.get(digits.slice(0, 3)) ?? BY_CALLING_CODE.get(digits.slice(0, 2)) ?? BY_CALLING_CODE.get(digits.slice(0, 1));
  if (!info) return invalid(`no rule pack for calling code of +${digits}`);
  return parseNational(info.iso, digits.slice(info.callingCode.length));
}

/** Ten digits whose area code and exchange start with 2-9 (what `/^[2-9]\d{2}[2-9]\d{6}$/` accepts), without the regex. */
function nanpShape(ten: string): boolean {
  if (ten.length !== 10 || !allDigits(ten, 0)) return false;
  return ten.charCodeAt(0) >= 50 && ten.charCodeAt(3) >= 50;
}

function parseNanp(ten: string, e164 = `+1${ten}`): ParsedPhone {
  const npa = ten.slice(0, 3);
  const nxx = ten.slice(3, 6);
  if (!nanpShape(ten)) return invalid('NANP area code and exchange must start with 2-9');
  if (nxx[1] === '1' && nxx[2] === '1') return invalid('N11 is not a subscriber exchange');
  if (nxx === '555') return invalid('555 is not a subscriber exchange (fictional and directory numbers)');
  const info = lookupAreaCode(npa);
  if (!info) return invalid(`area code ${npa} is not in service`);
  if (info.kind === 'premium' || NANP_PREMIUM_EXCHANGES.includes(nxx)) return invalid('premium-rate number', info.country);
  if (info.zones.length === 0) return invalid(`no rule pack for country ${info.country}`, info.country);
  return {
    ok: true,
    e164,
    country: info.country,
    nationalNumber: ten,
    areaCode: npa,
    exchange: nxx,
    kind: info.kind === 'non_geographic' ? 'non_geographic' : 'geographic',
  };
}

function parseNational(iso: string, national: string): ParsedPhone {
  const info = countryInfo(iso);
  if (!info) return invalid(`no rule pack for country ${iso}`);
  if (national.length < info.minLength || national.length > info.maxLength) {
    return invalid(`a ${iso} national number has ${info.minLength}-${info.maxLength} digits`, iso);
  }
  if (national.startsWith('0')) return invalid('a national significant number does not start with 0', iso);
  if (info.premium.some((prefix) => national.startsWith(prefix))) return invalid('premium-rate or personal-numbering range', iso);
  let kind: 'geographic' | 'mobile' | 'non_geographic' = 'geographic';
  if (iso === 'GB') {
    if (!/^([1-3]|5[56]|7[1-9]|8[04])/.test(national)) return invalid('not a UK subscriber range', iso);
    if (/^7[1-57-9]/.test(national) && national.length !== 10) return invalid('a UK mobile number has 10 digits', iso);
    kind = national.startsWith('7') ? 'mobile' : /^[38]/.test(national) ? 'non_geographic' : 'geographic';
  }
  if (iso === 'LV' && !/^[268]/.test(national)) return invalid('not a Latvian subscriber range', iso);
  if (iso === 'LV' && national.startsWith('2')) kind = 'mobile';
  return { ok: true, e164: `+${info.callingCode}${national}`, country: iso, nationalNumber: national, areaCode: null, exchange: null, kind };
}
