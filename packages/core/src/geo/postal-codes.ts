import { ZIP3_LINES, ZIP5_OVERRIDES, ZIP_TABLE_VERSION } from './zip-prefixes.data.ts';
import { expandZoneCodes } from './zone-codes.ts';
import { zonesOfRegion } from './area-codes.ts';
import { countryZones } from './countries.ts';

export { ZIP_TABLE_VERSION };

/** Where an address postcode puts a person. */
export interface PostalLocation {
  country: string;
  /** Subdivision without the country (`KY`), when the postcode tells it. */
  region: string | null;
  zones: string[];
}

const zip3 = new Map<string, { region: string; zones: string[] }>();
for (const line of ZIP3_LINES.trim().split('\n')) {
  const [range = '', region = '', codes = ''] = line.trim().split(/\s+/);
  const [from = '', to = from] = range.split('-');
  const zones = expandZoneCodes(codes);
  for (let prefix = Number(from); prefix <= Number(to); prefix += 1) {
    zip3.set(String(prefix).padStart(3, '0'), { region, zones });
  }
}

const zipCache = new Map<string, PostalLocation | null>();

/** US ZIP (5 digits, optionally ZIP+4) → region and zones; null when the ZIP is malformed or has no zone. */
export function lookupUsZip(zip: string): PostalLocation | null {
  let location = zipCache.get(zip);
  if (location === undefined) {
    location = resolveUsZip(zip);
    if (zipCache.size > 50_000) zipCache.clear();
    zipCache.set(zip, location);
  }
  return location === null ? null : { country: location.country, region: location.region, zones: [...location.zones] };
}

function resolveUsZip(zip: string): PostalLocation | null {
  const match = /^(\d{5})(?:-?\d{4})?$/.exec(zip.trim());
  if (!match) return null;
  const five = match[1] ?? '';
  const exact = ZIP5_OVERRIDES[five];
  if (exact) return { country: 'US', region: exact[0], zones: expandZoneCodes(exact[1]) };
  const entry = zip3.get(five.slice(0, 3));
  return entry ? { country: 'US', region: entry.region, zones: [...entry.zones] } : null;
}

const CANADA_FIRST_LETTER: Readonly<Record<string, string>> = {
  A: 'NL', B: 'NS', C: 'NS', E: 'NB', G: 'QC', H: 'QC', J: 'QC', K: 'ON', L: 'ON', M: 'ON', N: 'ON', P: 'ON',
  R: 'MB', S: 'SK', T: 'AB', V: 'BC', X: 'YT', Y: 'YT',
};

/**
 * A postcode in the given country → location; null when the postcode is malformed or has no zone. Countries with
 * one zone only check the shape loosely (the zone does not depend on the postcode).
 */
export function lookupPostalCode(country: string, postalCode: string): PostalLocation | null {
  const code = postalCode.trim().toUpperCase();
  if (country === 'US') return lookupUsZip(code);
  if (country === 'CA') {
    const match = /^([A-Z])\d[A-Z] ?\d[A-Z]\d$/.exec(code);
    const region = match ? CANADA_FIRST_LETTER[match[1] ?? ''] : undefined;
    return region ? { country, region, zones: zonesOfRegion('CA', region) } : null;
  }
  if (country === 'GB') {
    return /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/.test(code) ? { country, region: null, zones: countryZones(country) } : null;
  }
  const zones = countryZones(country);
  return zones.length > 0 && /^[A-Z\d][A-Z\d -]{1,9}$/.test(code) ? { country, region: null, zones } : null;
}
