import { lookupAreaCode, NANP_AREA_CODES_VERSION, US_STATES, zonesOfRegion } from './area-codes.ts';
import { isEuCountry, countryZones } from './countries.ts';
import type { ParsedPhone } from './phone-number.ts';
import { parsePhone } from './phone-number.ts';
import { lookupPostalCode, ZIP_TABLE_VERSION } from './postal-codes.ts';

/** The versions of the geo tables, recorded in every decision's evidence. */
export const GEO_DATA_VERSIONS = { areaCodes: NANP_AREA_CODES_VERSION, postalCodes: ZIP_TABLE_VERSION } as const;

/** One piece of evidence about where the person is. */
export interface LocationSource {
  source: 'area_code' | 'non_geographic' | 'country' | 'postal_code' | 'region';
  value: string;
  zones: string[];
  jurisdictions: string[];
}

export type CandidateLocation =
  | {
      ok: true;
      phone: Extract<ParsedPhone, { ok: true }>;
      /** Union of the zones of every source: the call must be lawful in each. */
      zones: string[];
      /** Union of the jurisdictions (`US`, `US-KY`, `GB`, `EU`, `LV`). */
      jurisdictions: string[];
      sources: LocationSource[];
    }
  | { ok: false; reason: string };

export interface LocateInput {
  phone: unknown;
  country?: unknown;
  postalCode?: unknown;
  region?: unknown;
}

function jurisdictionsOf(country: string, region: string | null): string[] {
  const list = [country];
  if (region) list.push(`${country}-${region}`);
  if (isEuCountry(country)) list.push('EU');
  return list;
}

function union(sources: readonly LocationSource[], key: 'zones' | 'jurisdictions'): string[] {
  const all: string[] = [];
  for (const source of sources) for (const value of source[key]) if (!all.includes(value)) all.push(value);
  return all;
}

const countrySources = new Map<string, LocationSource>();
const unions = new Map<string, { zones: string[]; jurisdictions: string[] }>();
const postalSources = new Map<string, LocationSource | null>();

/** The (shared, never mutated) location source of a postcode; null when it has no zone. */
function postalSource(country: string, postalCode: string): LocationSource | null {
  const key = `${country}:${postalCode}`;
  let source = postalSources.get(key);
  if (source === undefined) {
    const location = lookupPostalCode(country, postalCode);
    source = location ? { source: 'postal_code', value: postalCode, zones: location.zones, jurisdictions: jurisdictionsOf(location.country, location.region) } : null;
    if (postalSources.size > 50_000) postalSources.clear();
    postalSources.set(key, source);
  }
  return source;
}

const areaCodeSources = new Map<string, LocationSource>();

/** The (shared, never mutated) location source of an area code. */
function areaCodeSource(npa: string): LocationSource | null {
  let source = areaCodeSources.get(npa);
  if (!source) {
    const info = lookupAreaCode(npa);
    if (!info) return null;
    source = info.kind === 'non_geographic'
      ? { source: 'non_geographic', value: npa, zones: [...info.zones], jurisdictions: ['US', ...US_STATES.map((s) => `US-${s}`)] }
      : { source: 'area_code', value: npa, zones: [...info.zones], jurisdictions: jurisdictionsOf(info.country, info.region) };
    areaCodeSources.set(npa, source);
  }
  return source;
}

/**
 * Every zone and jurisdiction the person could be in, from the number and the address together (most-restrictive
 * wins: sources are united, never narrowed). Fails when the phone is invalid or a postcode resolves to no zone.
 * The arrays are the caller's own.
 */
export function locateContact(input: LocateInput): CandidateLocation {
  const located = locateContactShared(input);
  if (!located.ok) return located;
  return {
    ...located,
    zones: located.zones.slice(),
    jurisdictions: located.jurisdictions.slice(),
    sources: located.sources.map((source) => ({ ...source, zones: source.zones.slice(), jurisdictions: source.jurisdictions.slice() })),
  };
}

/**
 * The same as {@link locateContact}, but the arrays are shared with the geo caches (and with other results): read
 * them, never change them. The decision engine uses this to key its own caches on array identity.
 */
export function locateContactShared(input: LocateInput): CandidateLocation {
  const phone = parsePhone(input.phone, input.country ?? 'US');
  if (!phone.ok) return { ok: false, reason: phone.reason };
  const sources: LocationSource[] = [];
  if (phone.areaCode !== null) {
    const source = areaCodeSource(phone.areaCode);
    if (!source) return { ok: false, reason: `area code ${phone.areaCode} is not in service` };
    sources.push(source);
  } else {
    let source = countrySources.get(phone.country);
    if (!source) {
      source = { source: 'country', value: phone.country, zones: countryZones(phone.country), jurisdictions: jurisdictionsOf(phone.country, null) };
      countrySources.set(phone.country, source);
    }
    sources.push(source);
  }
  const addressCountry = phone.country;
  if (typeof input.postalCode === 'string' && input.postalCode.trim() !== '') {
    const source = postalSource(addressCountry, input.postalCode);
    if (!source) return { ok: false, reason: `postcode "${input.postalCode}" has no known zone in ${addressCountry}` };
    sources.push(source);
  }
  if (typeof input.region === 'string' && input.region.trim() !== '') {
    const region = input.region.trim().toUpperCase().replace(/^[A-Z]{2}-/, '');
    const zones = zonesOfRegion(addressCountry, region);
    const postal = sources.find((s) => s.source === 'postal_code');
    const postalInRegion = postal?.jurisdictions.includes(`${addressCountry}-${region}`) ?? false;
    // A known postcode in the same region is more precise than the region's zones; otherwise the region adds its own.
    sources.push({ source: 'region', value: region, zones: postalInRegion ? [] : zones, jurisdictions: zones.length > 0 || addressCountry !== 'US' ? jurisdictionsOf(addressCountry, region) : [addressCountry] });
  }
  const only = sources.length === 1 ? sources[0] : undefined;
  let zones: string[];
  let jurisdictions: string[];
  if (only) {
    ({ zones, jurisdictions } = only);
  } else {
    // The same combinations (area code + ZIP) recur: share their unions so later caches can key on identity.
    const key = sources.map((s) => `${s.source}:${s.value}:${s.zones.length}`).join('|');
    let united = unions.get(key);
    if (!united) {
      united = { zones: union(sources, 'zones'), jurisdictions: union(sources, 'jurisdictions') };
      if (unions.size > 50_000) unions.clear();
      unions.set(key, united);
    }
    ({ zones, jurisdictions } = united);
  }
  if (zones.length === 0) return { ok: false, reason: 'no zone for this number' };
  return { ok: true, phone, zones, jurisdictions, sources };
}
