import { locateContact } from '@outdial/core/geo/locate';

export interface ContactLocation {
  timezones: string[];
  jurisdictions: string[];
  /** The same, as the JSON the store keeps (computed once per cache entry). */
  timezonesJson: string;
  jurisdictionsJson: string;
}

/**
 * Candidate zones and jurisdictions of a contact (area code plus postcode and region, from the geo tables of
 * @outdial/core/geo), cached per area code, postcode and region because vendor lists repeat them. (The geo tables
 * decide by area code; should they decide by exchange one day, the cache key must include it.)
 * A postcode the tables do not know does not reject the contact: the number alone decides, and when even that
 * fails the zones stay empty (unknown, which the compliance check treats as every zone).
 */
interface UsEntry { region: number; location: ContactLocation; next: UsEntry | undefined }

export class ContactLocator {
  private readonly cache = new Map<string, ContactLocation>();
  /**
   * The usual US row (a +1 number, a 5-digit ZIP or ZIP+4, no region or a two-letter one) by a small-integer key,
   * not a string built per row: NPA × 10⁵ + ZIP, then the region (0-675 for AA-ZZ, 676 for none) along a short chain.
   */
  private readonly usCache = new Map<number, UsEntry>();
  private usEntries = 0;

  locate(e164: string, country: string, postalCode: string | null, region: string | null): ContactLocation {
    if (country === 'US' && postalCode !== null && e164.length === 12 && e164.charCodeAt(0) === 43 && e164.charCodeAt(1) === 49) {
      const zip = fiveDigits(postalCode);
      const regionCode = region === null ? 676 : twoLetters(region);
      if (zip >= 0 && regionCode >= 0) {
        const npa = (e164.charCodeAt(2) - 48) * 100 + (e164.charCodeAt(3) - 48) * 10 + (e164.charCodeAt(4) - 48);
        const key = npa * 100_000 + zip;
        const first = this.usCache.get(key);
        for (let entry = first; entry !== undefined; entry = entry.next) if (entry.region === regionCode) return entry.location;
        const location = this.locateByKey(e164, country, postalCode, region);
        if (this.usEntries > 200_000) { this.usCache.clear(); this.usEntries = 0; }
        this.usCache.set(key, { region: regionCode, location, next: this.usCache.get(key) });
        this.usEntries++;
        return location;
      }
    }
    return this.locateByKey(e164, country, postalCode, region);
  }

  private locateByKey(e164: string, country: string, postalCode: string | null, region: string | null): ContactLocation {
    const nanp = e164.startsWith('+1') && e164.length === 12;
    const prefix = nanp ? e164.slice(2, 5) : e164.slice(0, 6);
    const zip = postalCode === null ? '' : country === 'US' ? postalCode.trim().slice(0, 5) : postalCode.trim().toUpperCase();
    const key = `${prefix}|${zip}|${region ?? ''}|${country}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const located = this.compute(e164, country, zip, region);
    if (this.cache.size > 200_000) this.cache.clear();
    this.cache.set(key, located);
    return located;
  }

  private compute(e164: string, country: string, zip: string, region: string | null): ContactLocation {
    const full = locateContact({ phone: e164, country, postalCode: zip === '' ? undefined : zip, region: region ?? undefined });
    if (full.ok) return withJson(full.zones, full.jurisdictions);
    const byNumber = locateContact({ phone: e164, country });
    if (byNumber.ok) return withJson(byNumber.zones, byNumber.jurisdictions);
    return withJson([], [country]);
  }
}

function withJson(timezones: string[], jurisdictions: string[]): ContactLocation {
  return { timezones, jurisdictions, timezonesJson: JSON.stringify(timezones), jurisdictionsJson: JSON.stringify(jurisdictions) };
}

/** The ZIP as a number when the postcode starts with five ASCII digits (what `trim().slice(0, 5)` keeps), else -1. */
function fiveDigits(postalCode: string): number {
  if (postalCode.length < 5) return -1;
  let zip = 0;
  for (let i = 0; i < 5; i++) {
    const c = postalCode.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    zip = zip * 10 + (c - 48);
  }
  return zip;
}

/** 0-675 for two upper-case ASCII letters, else -1. */
function twoLetters(region: string): number {
  if (region.length !== 2) return -1;
  const a = region.charCodeAt(0) - 65;
  const b = region.charCodeAt(1) - 65;
  return a >= 0 && a < 26 && b >= 0 && b < 26 ? a * 26 + b : -1;
}
