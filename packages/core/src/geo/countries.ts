/**
 * The countries Outdial has rule packs for, outside the NANP: calling code, national number lengths, premium-rate
 * prefixes (never dialed by a campaign) and zones. A country not listed here is "unknown": no decision can allow it.
 */
export interface CountryInfo {
  iso: string;
  callingCode: string;
  /** National significant number length range. */
  minLength: number;
  maxLength: number;
  /** Leading digits of premium-rate or personal-numbering ranges. */
  premium: string[];
  zones: string[];
  /** Trunk prefix dropped from the national format. */
  trunkPrefix: string;
  eu: boolean;
}

function country(iso: string, callingCode: string, lengths: [number, number], premium: string[], zones: string[], eu = true, trunkPrefix = '0'): CountryInfo {
  return { iso, callingCode, minLength: lengths[0], maxLength: lengths[1], premium, zones, trunkPrefix, eu };
}

export const COUNTRIES: readonly CountryInfo[] = [
  country('GB', '44', [9, 10], ['9', '70', '871', '872', '873'], ['Europe/London'], false),
  country('IE', '353', [7, 10], ['15'], ['Europe/Dublin']),
  country('LV', '371', [8, 8], ['9'], ['Europe/Riga'], true, ''),
  country('LT', '370', [8, 8], ['90'], ['Europe/Vilnius'], true, '8'),
  country('EE', '372', [7, 8], ['900'], ['Europe/Tallinn'], true, ''),
  country('DE', '49', [6, 13], ['900', '137'], ['Europe/Berlin']),
  country('FR', '33', [9, 9], ['89'], ['Europe/Paris']),
  country('ES', '34', [9, 9], ['803', '806', '807', '905'], ['Europe/Madrid', 'Atlantic/Canary'], true, ''),
  country('PT', '351', [9, 9], ['60', '707', '708', '760', '761'], ['Europe/Lisbon', 'Atlantic/Madeira', 'Atlantic/Azores'], true, ''),
  country('IT', '39', [6, 11], ['89'], ['Europe/Rome'], true, ''),
  country('NL', '31', [9, 9], ['90'], ['Europe/Amsterdam']),
  country('BE', '32', [8, 9], ['90'], ['Europe/Brussels']),
  country('LU', '352', [6, 11], ['90'], ['Europe/Luxembourg'], true, ''),
  country('AT', '43', [6, 13], ['900', '901', '930', '931', '939'], ['Europe/Vienna']),
  country('DK', '45', [8, 8], ['90'], ['Europe/Copenhagen'], true, ''),
  country('SE', '46', [7, 10], ['900', '939', '944'], ['Europe/Stockholm']),
  country('FI', '358', [6, 12], ['700'], ['Europe/Helsinki']),
  country('PL', '48', [9, 9], ['70'], ['Europe/Warsaw'], true, ''),
  country('CZ', '420', [9, 9], ['90'], ['Europe/Prague'], true, ''),
  country('SK', '421', [9, 9], ['90'], ['Europe/Bratislava']),
  country('HU', '36', [8, 9], ['90'], ['Europe/Budapest'], true, '06'),
  country('RO', '40', [9, 9], ['90'], ['Europe/Bucharest']),
  country('BG', '359', [7, 9], ['90'], ['Europe/Sofia']),
  country('GR', '30', [10, 10], ['90'], ['Europe/Athens'], true, ''),
  country('HR', '385', [8, 9], ['6'], ['Europe/Zagreb']),
  country('SI', '386', [8, 8], ['90'], ['Europe/Ljubljana']),
  country('MT', '356', [8, 8], ['50'], ['Europe/Malta'], true, ''),
  country('CY', '357', [8, 8], ['90'], ['Asia/Nicosia'], true, ''),
];

const byIso = new Map(COUNTRIES.map((info) => [info.iso, info]));

export function countryInfo(iso: string): CountryInfo | undefined {
  return byIso.get(iso);
}

/** Calling code → country, longest code first when matching a number. */
export const CALLING_CODES: readonly CountryInfo[] = [...COUNTRIES].sort((a, b) => b.callingCode.length - a.callingCode.length);

/** The zones of a non-NANP country; empty when unknown. */
export function countryZones(iso: string): string[] {
  return [...(byIso.get(iso)?.zones ?? [])];
}

export function isEuCountry(iso: string): boolean {
  return byIso.get(iso)?.eu ?? false;
}
