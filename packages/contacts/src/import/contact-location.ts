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
export class ContactLocator {
  private readonly cache = new Map<string, ContactLocation>();

  locate(e164: string, country: string, postalCode: string | null, region: string | null): ContactLocation {
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
