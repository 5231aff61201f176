import {
  CA_AREA_CODE_LINES,
  NANP_AREA_CODES_VERSION,
  NANP_PREMIUM_AREA_CODES,
  OTHER_NANP_COUNTRIES,
  US_AREA_CODE_LINES,
  US_NON_GEOGRAPHIC,
} from './nanp-area-codes.data.ts';
import { expandZoneCodes, ZONE_CODES } from './zone-codes.ts';

export { NANP_AREA_CODES_VERSION };

/** What a NANP area code says about where the called person may be. */
export interface AreaCodeInfo {
  npa: string;
  /** ISO country the code belongs to (US territories are US: federal US law applies there). */
  country: string;
  /** Subdivision without the country (`KY`, `ON`, `PR`); null for non-geographic codes and other NANP countries. */
  region: string | null;
  /** Candidate IANA zones; empty for other NANP countries. */
  zones: string[];
  kind: 'geographic' | 'non_geographic' | 'premium';
}

const byNpa = new Map<string, AreaCodeInfo>();
const zonesByRegion = new Map<string, string[]>();

function loadLines(country: string, lines: string): void {
  for (const line of lines.trim().split('\n')) {
    const match = /^(\w+) ([\w,]+): (.*)$/.exec(line.trim());
    if (!match) continue;
    const [, region = '', defaults = '', codes = ''] = match;
    const key = `${country}-${region}`;
    const regionZones = new Set(zonesByRegion.get(key) ?? []);
    for (const token of codes.split(/\s+/)) {
      const [npa = '', zoneCodes = defaults] = token.split('/');
      const zones = expandZoneCodes(zoneCodes);
      zones.forEach((zone) => regionZones.add(zone));
      byNpa.set(npa, { npa, country, region, zones, kind: 'geographic' });
    }
    zonesByRegion.set(key, [...regionZones]);
  }
}

loadLines('US', US_AREA_CODE_LINES);
loadLines('CA', CA_AREA_CODE_LINES);

/** The zones a person anywhere in the 50 states and DC may be in. */
export const US_MAINLAND_AND_PACIFIC_ZONES: readonly string[] = ['E', 'C', 'M', 'A', 'P', 'K', 'J', 'H'].map(
  (code) => ZONE_CODES[code] ?? '',
);
/** The 50 states and DC (territories excluded: a non-geographic number is presumed stateside). */
export const US_STATES: readonly string[] = [...zonesByRegion.keys()]
  .filter((key) => key.startsWith('US-') && !['US-PR', 'US-VI', 'US-GU', 'US-MP', 'US-AS'].includes(key))
  .map((key) => key.slice(3));

for (const npa of US_NON_GEOGRAPHIC) {
  byNpa.set(npa, { npa, country: 'US', region: null, zones: [...US_MAINLAND_AND_PACIFIC_ZONES], kind: 'non_geographic' });
}
for (const npa of NANP_PREMIUM_AREA_CODES) byNpa.set(npa, { npa, country: 'US', region: null, zones: [], kind: 'premium' });
for (const [npa, country] of Object.entries(OTHER_NANP_COUNTRIES)) {
  byNpa.set(npa, { npa, country, region: null, zones: [], kind: 'geographic' });
}

/** The area code's country, region and candidate zones; null when the code is not in service. */
export function lookupAreaCode(npa: string): AreaCodeInfo | null {
  return byNpa.get(npa) ?? null;
}

/** Every zone any area code of a region reaches, e.g. `US`, `KY` → Chicago and New York. Empty when unknown. */
export function zonesOfRegion(country: string, region: string): string[] {
  return zonesByRegion.get(`${country}-${region.toUpperCase()}`) ?? [];
}
