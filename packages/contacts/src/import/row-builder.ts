import { isBlank, lowerCell, trimCell, upperCell } from '../csv/cell-text.ts';
import type { CsvRecord } from '../csv/csv-parser.ts';
import { PhoneNormaliser } from '../phone/phone-normaliser.ts';
import { attributeJson, convert } from './attribute-values.ts';
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
  const cell = fields[index];
  return cell === undefined ? '' : trimCell(cell);
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

/**
 * Checks and normalises rows one at a time (phones, typed attributes, zones and jurisdictions, import key) and
 * appends each contact's cells to the batch being built. Duplicates and do-not-call hits are not decided here: they
 * need the store's state and the registry, which stay on the main thread.
 */
export class RowBuilder {
  private readonly normaliser: PhoneNormaliser;
  private readonly locator = new ContactLocator();
  private readonly phoneIndexes: Int32Array;
  /** `,"kind":"phone"}` per phone column: the end of its phones_json entry. */
  private readonly kindSuffixes: string[];
  /** `"name":` per attribute column, or null when the names need JSON.stringify's object rules (repeats, __proto__). */
  private readonly attributeKeys: string[] | null;
  private readonly f: PreparedColumns['fieldIndex'];
  private readonly defaultCountryUpper: string;
  /** The contact's further phones of the current row (reused: most rows have none). */
  private readonly others: string[] = [];
  private readonly othersJson: string[] = [];

  constructor(private readonly p: PreparedColumns, private readonly defaultCountry: string) {
    this.normaliser = new PhoneNormaliser(defaultCountry);
    this.phoneIndexes = Int32Array.from(p.phoneColumns.map((c) => c.index));
    this.kindSuffixes = p.phoneColumns.map((c) => `,"kind":${JSON.stringify(c.name)}}`);
    const names = p.attributeColumns.map((c) => c.name);
    const plain = new Set(names).size === names.length && !names.includes('__proto__');
    this.attributeKeys = plain ? names.map((name) => `${JSON.stringify(name)}:`) : null;
    this.f = p.fieldIndex;
    this.defaultCountryUpper = defaultCountry.toUpperCase();
  }

  /** Appends the row's PACKED_WIDTH cells to `out` (PACKED order) or says why it is rejected. */
  build(rec: CsvRecord, out: string[]): RowVerdict {
    const f = rec.fields;
    const p = this.p;
    if (f.length !== p.width) {
      return { kind: 'reject', reason: 'ragged_row', detail: `${f.length} columns where the header has ${p.width}` };
    }
    let primary = '';
    let primaryJson = '';
    const others = this.others;
    const othersJson = this.othersJson;
    if (others.length !== 0) {
      // Setting an array's length is a runtime call: only when the previous row had further phones.
      others.length = 0;
      othersJson.length = 0;
    }
    let problemReason: 'missing_phone' | 'invalid_phone' | null = null;
    let problemDetail = '';
    let country: string | null = null;
    for (let k = 0; k < this.phoneIndexes.length; k++) {
      const index = this.phoneIndexes[k] as number;
      const result = this.normaliser.normalise(f[index]);
      if (result.ok) {
        if (primary === '') {
          primary = result.e164;
          primaryJson = phoneJson(result.e164, result.ext, this.kindSuffixes[k] as string);
          country = result.country;
        } else if (primary === result.e164) {
          // The same number again while it is still the only one: its country is the one kept (as it always was).
          if (others.length === 0) country = result.country;
        } else if (!others.includes(result.e164)) {
          others.push(result.e164);
          othersJson.push(phoneJson(result.e164, result.ext, this.kindSuffixes[k] as string));
        }
      } else if (problemReason === null || (problemReason === 'missing_phone' && result.reason === 'invalid_phone')) {
        problemReason = result.reason;
        problemDetail = `column ${index + 1} (${p.headers[index]}): ${result.detail}`;
      }
    }
    if (primary === '') {
      if (problemReason === null) return { kind: 'reject', reason: 'missing_phone', detail: 'no phone column' };
      return { kind: 'reject', reason: problemReason, detail: problemDetail };
    }
    const attributesJson = p.attributeColumns.length === 0 ? '{}' : this.attributes(f);
    if (typeof attributesJson !== 'string') return attributesJson;

    const fi = this.f;
    const region = text(f, fi['region']);
    const postalCode = text(f, fi['postalCode']);
    const countryCell = text(f, fi['country']);
    const contactCountry = countryCell !== '' ? upperCell(countryCell) : country !== null ? upperCell(country) : this.defaultCountryUpper;
    const location = this.locator.locate(primary, primary.startsWith('+1') ? (country ?? 'US') : (country ?? contactCountry),
      postalCode === '' ? null : postalCode, region === '' ? null : region);
    const ownZone = text(f, fi['timezone']);
    const timezonesJson = ownZone !== '' && isZone(ownZone) && !location.timezones.includes(ownZone)
      ? JSON.stringify([...location.timezones, ownZone]) : location.timezonesJson;
    const lineType = text(f, fi['lineType']);
    let otherPhones = '';
    let phonesJson = primaryJson;
    if (others.length > 0) {
      otherPhones = others.join(',');
      phonesJson = `${primaryJson},${othersJson.join(',')}`;
    }
    // Cell by cell: one join per batch then copies flat strings, where concatenating per row built rope strings that
    // the join had to flatten (measured: the join and the garbage collector were half the worker's time).
    out.push(
      primary, otherPhones, `[${phonesJson}]`, text(f, fi['firstName']), text(f, fi['lastName']), text(f, fi['email']),
      text(f, fi['address']), text(f, fi['city']), upperCell(region), postalCode, contactCountry, timezonesJson, location.jurisdictionsJson,
      lineType === '' ? 'unknown' : lowerCell(lineType), attributesJson, importKey(f), String(rec.row),
    );
    return CONTACT;
  }

  /**
   * The attributes as the JSON text `JSON.stringify` writes for the object of typed values (keys in column order,
   * empty cells left out), or the rejection of the first value that does not fit its type.
   */
  private attributes(f: readonly string[]): string | RowVerdict {
    const columns = this.p.attributeColumns;
    const keys = this.attributeKeys;
    if (keys === null) return this.attributesAsObject(f);
    let json = '';
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k] as PreparedColumns['attributeColumns'][number];
      const raw = f[column.index] ?? '';
      if (isBlank(raw)) continue;
      const value = attributeJson(column.type, raw);
      if (value === null) return this.invalidAttribute(column, raw);
      if (value === '') continue;
      // `+`, not a template: a template converts each part through ToString.
      json = json === '' ? '{' + (keys[k] as string) + value : json + ',' + (keys[k] as string) + value;
    }
    return json === '' ? '{}' : json + '}';
  }

  /** The general case (attribute names JSON.stringify treats specially): the object, stringified. */
  private attributesAsObject(f: readonly string[]): string | RowVerdict {
    const attributes: Record<string, number | boolean | string> = {};
    for (const column of this.p.attributeColumns) {
      const raw = f[column.index] ?? '';
      if (raw.trim() === '') continue;
      const value = convert(column.type, raw);
      if (!value.ok) return this.invalidAttribute(column, raw);
      attributes[column.name] = value.value;
    }
    return JSON.stringify(attributes);
  }

  private invalidAttribute(column: PreparedColumns['attributeColumns'][number], raw: string): RowVerdict {
    return { kind: 'reject', reason: 'invalid_attribute', detail: `column ${column.index + 1} (${this.p.headers[column.index]}): "${raw.slice(0, 40)}" is not a ${column.type}` };
  }
}

/** `{"phone":…,"ext":…,"kind":…}` exactly as JSON.stringify writes it (an E.164 number needs no escaping). */
function phoneJson(phone: string, ext: string | null, kindSuffix: string): string {
  return `{"phone":"${phone}","ext":${ext === null ? 'null' : JSON.stringify(ext)}${kindSuffix}`;
}

/**
 * The import key: a 64-bit hash of the row's cells (two 32-bit FNV-1a variants), so the same row of a re-run is
 * recognised. Cheap enough for millions of rows; a collision needs ~4 billion rows in one list to become likely.
 */
export function importKey(fields: readonly string[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ fields.length;
  for (let k = 0; k < fields.length; k++) {
    const field = fields[k] as string;
    for (let i = 0; i < field.length; i++) {
      const c = field.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 = Math.imul(h1 ^ 0x1f, 0x01000193);
    h2 = Math.imul(h2 ^ 0x1f, 0x5bd1e995);
  }
  return base36Pair(h1 >>> 0, h2 >>> 0);
}

const BASE36 = Array.from('0123456789abcdefghijklmnopqrstuvwxyz', (ch) => ch.charCodeAt(0));

/**
 * `a.toString(36).padStart(7, '0') + b.toString(36).padStart(7, '0')` for two unsigned 32-bit numbers (36^7 > 2^32,
 * so 7 digits each), as one flat string: toString(36) of a number above 2^31 went through fmod, per digit.
 */
function base36Pair(a: number, b: number): string {
  const d = BASE36;
  const a6 = digit36(a); a = Math.floor(a / 36);
  const a5 = digit36(a); a = Math.floor(a / 36);
  const a4 = digit36(a); a = Math.floor(a / 36);
  const a3 = digit36(a); a = Math.floor(a / 36);
  const a2 = digit36(a); a = Math.floor(a / 36);
  const a1 = digit36(a); a = Math.floor(a / 36);
  const b6 = digit36(b); b = Math.floor(b / 36);
  const b5 = digit36(b); b = Math.floor(b / 36);
  const b4 = digit36(b); b = Math.floor(b / 36);
  const b3 = digit36(b); b = Math.floor(b / 36);
  const b2 = digit36(b); b = Math.floor(b / 36);
  const b1 = digit36(b); b = Math.floor(b / 36);
  return String.fromCharCode(
    d[a] as number, d[a1] as number, d[a2] as number, d[a3] as number, d[a4] as number, d[a5] as number, d[a6] as number,
    d[b] as number, d[b1] as number, d[b2] as number, d[b3] as number, d[b4] as number, d[b5] as number, d[b6] as number,
  );
}

/** The last base-36 digit of a non-negative integer below 2^53, without `%` (fmod on doubles). */
function digit36(n: number): number {
  return n - Math.floor(n / 36) * 36;
}
