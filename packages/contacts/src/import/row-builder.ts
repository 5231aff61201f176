import type { CsvRecord } from '../csv/csv-parser.ts';
import { PhoneNormaliser } from '../phone/phone-normaliser.ts';
import { convert } from './attribute-values.ts';
import type { AttributeType, ColumnUse } from './column-mapping.ts';
import { ContactLocator } from './contact-location.ts';

/** How each column of the file is used, as the worker thread receives it (plain data, cloneable). */
export interface PreparedColumns {
  headers: string[];
  phoneColumns: { index: number; slot: number; name: string }[];
  attributeColumns: { index: number; name: string; type: AttributeType }[];
  fieldIndex: Partial<Record<string, number>>;
  width: number;
}

export function prepareColumns(uses: readonly ColumnUse[], headers: readonly string[]): PreparedColumns {
  const phoneColumns: PreparedColumns['phoneColumns'] = [];
  const attributeColumns: PreparedColumns['attributeColumns'] = [];
  const fieldIndex: PreparedColumns['fieldIndex'] = {};
  uses.forEach((use, index) => {
    if (use.kind === 'phone') phoneColumns.push({ index, slot: use.slot, name: use.name });
    else if (use.kind === 'attribute') attributeColumns.push({ index, name: use.name, type: use.type ?? 'text' });
    else if (use.kind === 'field') fieldIndex[use.field] = index;
  });
  phoneColumns.sort((a, b) => a.slot - b.slot);
  return { headers: [...headers], phoneColumns, attributeColumns, fieldIndex, width: headers.length };
}

/**
 * The cells of one contact that passed every check of its row, in this order, packed into one string per batch
 * (separated by PACK_SEPARATOR) so that a batch crosses from the worker thread as one string instead of a million
 * small objects. An empty cell stands for NULL (the nullable text fields are never empty: they are trimmed, and
 * empty becomes NULL). `otherPhones` (the contact's further numbers, comma-separated) is for the do-not-call check.
 */
export const PACKED = {
  phone: 0, otherPhones: 1, phonesJson: 2, firstName: 3, lastName: 4, email: 5, address: 6, city: 7, region: 8,
  postalCode: 9, country: 10, timezonesJson: 11, jurisdictionsJson: 12, lineType: 13, attributesJson: 14, importKey: 15,
  sourceRow: 16,
} as const;
export const PACKED_WIDTH = 17;
/** Never inside a cell: the CSV parser refuses control characters other than tab, CR and LF, and JSON escapes them. */
export const PACK_SEPARATOR = '\u0001';

export type RowVerdict = { kind: 'contact' } | { kind: 'reject'; reason: string; detail: string };

const CONTACT: RowVerdict = { kind: 'contact' };

function text(fields: readonly string[], index: number | undefined): string {
  if (index === undefined) return '';
  return fields[index]?.trim() ?? '';
}

const VALID_ZONES = new Map<string, boolean>();
function isZone(zone: string): boolean {
  let known = VALID_ZONES.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    VALID_ZONES.set(zone, known);
  }
  return known;
}

interface PhoneFound { phone: string; ext: string | null; kind: string }

/**
 * Checks and normalises rows one at a time (phones, typed attributes, zones and jurisdictions, import key) and
 * appends each contact's cells to the batch being built. Duplicates and do-not-call hits are not decided here: they
 * need the store's state and the registry, which stay on the main thread.
 */
export class RowBuilder {
  private readonly normaliser: PhoneNormaliser;
  private readonly locator = new ContactLocator();
  private readonly phoneIndexes: Int32Array;
  private readonly phoneKinds: string[];
  private readonly f: PreparedColumns['fieldIndex'];

  constructor(private readonly p: PreparedColumns, private readonly defaultCountry: string) {
    this.normaliser = new PhoneNormaliser(defaultCountry);
    this.phoneIndexes = Int32Array.from(p.phoneColumns.map((c) => c.index));
    this.phoneKinds = p.phoneColumns.map((c) => c.name);
    this.f = p.fieldIndex;
  }

  /** Appends the row's PACKED_WIDTH cells to `out` (PACKED order) or says why it is rejected. */
  build(rec: CsvRecord, out: string[]): RowVerdict {
    const f = rec.fields;
    const p = this.p;
    if (f.length !== p.width) {
      return { kind: 'reject', reason: 'ragged_row', detail: `${f.length} columns where the header has ${p.width}` };
    }
    let primary: PhoneFound | undefined;
    let others: PhoneFound[] | undefined;
    let firstProblem: { reason: 'missing_phone' | 'invalid_phone'; detail: string } | null = null;
    let country: string | null = null;
    for (let k = 0; k < this.phoneIndexes.length; k++) {
      const index = this.phoneIndexes[k] as number;
      const result = this.normaliser.normalise(f[index]);
      if (result.ok) {
        if (primary === undefined) {
          primary = { phone: result.e164, ext: result.ext, kind: this.phoneKinds[k] as string };
          country = result.country;
        } else if (primary.phone === result.e164) {
          // The same number again while it is still the only one: its country is the one kept (as it always was).
          if (others === undefined) country = result.country;
        } else if (others === undefined || !others.some((x) => x.phone === result.e164)) {
          (others ??= []).push({ phone: result.e164, ext: result.ext, kind: this.phoneKinds[k] as string });
        }
      } else if (firstProblem === null || (firstProblem.reason === 'missing_phone' && result.reason === 'invalid_phone')) {
        firstProblem = { reason: result.reason, detail: `column ${index + 1} (${p.headers[index]}): ${result.detail}` };
      }
    }
    if (primary === undefined) {
      const problem = firstProblem ?? { reason: 'missing_phone' as const, detail: 'no phone column' };
      return { kind: 'reject', reason: problem.reason, detail: problem.detail };
    }
    let attributesJson = '{}';
    if (p.attributeColumns.length > 0) {
      const attributes: Record<string, number | boolean | string> = {};
      for (const column of p.attributeColumns) {
        const raw = f[column.index] ?? '';
        if (raw.trim() === '') continue;
        const value = convert(column.type, raw);
        if (!value.ok) {
          return { kind: 'reject', reason: 'invalid_attribute', detail: `column ${column.index + 1} (${p.headers[column.index]}): "${raw.slice(0, 40)}" is not a ${column.type}` };
        }
        attributes[column.name] = value.value;
      }
      attributesJson = JSON.stringify(attributes);
    }

    const fi = this.f;
    const region = text(f, fi['region']);
    const postalCode = text(f, fi['postalCode']);
    const countryCell = text(f, fi['country']);
    const contactCountry = (countryCell !== '' ? countryCell : country ?? this.defaultCountry).toUpperCase();
    const location = this.locator.locate(primary.phone, primary.phone.startsWith('+1') ? (country ?? 'US') : (country ?? contactCountry),
      postalCode === '' ? null : postalCode, region === '' ? null : region);
    const ownZone = text(f, fi['timezone']);
    const timezonesJson = ownZone !== '' && isZone(ownZone) && !location.timezones.includes(ownZone)
      ? JSON.stringify([...location.timezones, ownZone]) : location.timezonesJson;
    const lineType = text(f, fi['lineType']);
    let otherPhones = '';
    let phonesJson = phoneJson(primary);
    if (others !== undefined) {
      for (const other of others) {
        otherPhones = otherPhones === '' ? other.phone : `${otherPhones},${other.phone}`;
        phonesJson += `,${phoneJson(other)}`;
      }
    }
    // Cell by cell: one join per batch then copies flat strings, where concatenating per row built rope strings that
    // the join had to flatten (measured: the join and the garbage collector were half the worker's time).
    out.push(
      primary.phone, otherPhones, `[${phonesJson}]`, text(f, fi['firstName']), text(f, fi['lastName']), text(f, fi['email']),
      text(f, fi['address']), text(f, fi['city']), region.toUpperCase(), postalCode, contactCountry, timezonesJson, location.jurisdictionsJson,
      lineType === '' ? 'unknown' : lineType.toLowerCase(), attributesJson, importKey(f), String(rec.row),
    );
    return CONTACT;
  }
}

/** `{"phone":…,"ext":…,"kind":…}` exactly as JSON.stringify writes it (an E.164 number needs no escaping). */
function phoneJson(x: PhoneFound): string {
  return `{"phone":"${x.phone}","ext":${x.ext === null ? 'null' : JSON.stringify(x.ext)},"kind":${JSON.stringify(x.kind)}}`;
}

/**
 * The import key: a 64-bit hash of the row's cells (two 32-bit FNV-1a variants), so the same row of a re-run is
 * recognised. Cheap enough for millions of rows; a collision needs ~4 billion rows in one list to become likely.
 */
export function importKey(fields: readonly string[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ fields.length;
  for (const field of fields) {
    for (let i = 0; i < field.length; i++) {
      const c = field.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 = Math.imul(h1 ^ 0x1f, 0x01000193);
    h2 = Math.imul(h2 ^ 0x1f, 0x5bd1e995);
  }
  return (h1 >>> 0).toString(36).padStart(7, '0') + (h2 >>> 0).toString(36).padStart(7, '0');
}
