import { isBlank, lowerCell, trimCell, upperCell } from '../csv/cell-text.ts';
import type { CsvRecord } from '../csv/csv-parser.ts';
import { PhoneNormaliser } from '../phone/phone-normaliser.ts';
import { attributeJson, convert } from './attribute-values.ts';
import type { AttributeType, ColumnUse } from './column-mapping.ts';
import { ContactLocator } from './contact-location.ts';
import { importKey, writeImportKey } from './import-key.ts';
import type { PackedWriter } from './packed-writer.ts';

export { importKey };

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
 * appends each contact's cells to the batch being built: as strings (`build`) or straight into the batch's packed
 * text (`buildPacked`, for the batch that crosses from the worker thread as one string). Duplicates and do-not-call
 * hits are not decided here: they need the store's state and the registry, which stay on the main thread.
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

  // The row being built, as `check` leaves it for the writers (reused from row to row: no objects per row).
  private primary = '';
  private primaryExt: string | null = null;
  private primaryKind = 0;
  /** The contact's further phones, their extensions and phone columns (most rows have none). */
  private readonly others: string[] = [];
  private readonly othersExt: (string | null)[] = [];
  private readonly othersKind: number[] = [];
  /** Per attribute column: the value's JSON text, or '' when the cell is empty (left out). */
  private readonly attributeValues: string[];
  /** The attributes JSON when the names need JSON.stringify's object rules, else null. */
  private attributesText: string | null = null;
  private region = '';
  private postalCode = '';
  private contactCountry = '';
  private timezonesJson = '';
  private jurisdictionsJson = '';

  constructor(private readonly p: PreparedColumns, private readonly defaultCountry: string) {
    this.normaliser = new PhoneNormaliser(defaultCountry);
    this.phoneIndexes = Int32Array.from(p.phoneColumns.map((c) => c.index));
    this.kindSuffixes = p.phoneColumns.map((c) => `,"kind":${JSON.stringify(c.name)}}`);
    const names = p.attributeColumns.map((c) => c.name);
    const plain = new Set(names).size === names.length && !names.includes('__proto__');
    this.attributeKeys = plain ? names.map((name) => `${JSON.stringify(name)}:`) : null;
    this.attributeValues = names.map(() => '');
    this.f = p.fieldIndex;
    this.defaultCountryUpper = defaultCountry.toUpperCase();
  }

  /** Appends the row's PACKED_WIDTH cells to `out` (PACKED order) or says why it is rejected. */
  build(rec: CsvRecord, out: string[]): RowVerdict {
    const rejected = this.check(rec);
    if (rejected !== null) return rejected;
    const f = rec.fields;
    const fi = this.f;
    let otherPhones = '';
    let phonesJson = phoneJson(this.primary, this.primaryExt, this.kindSuffixes[this.primaryKind] as string);
    for (let k = 0; k < this.others.length; k++) {
      otherPhones = k === 0 ? this.others[k] as string : otherPhones + ',' + (this.others[k] as string);
      phonesJson = phonesJson + ',' + phoneJson(this.others[k] as string, this.othersExt[k] ?? null, this.kindSuffixes[this.othersKind[k] as number] as string);
    }
    let attributesJson = this.attributesText;
    if (attributesJson === null) {
      attributesJson = '';
      const keys = this.attributeKeys as string[];
      for (let k = 0; k < keys.length; k++) {
        const value = this.attributeValues[k] as string;
        if (value === '') continue;
        // `+`, not a template: a template converts each part through ToString.
        attributesJson = attributesJson === '' ? '{' + (keys[k] as string) + value : attributesJson + ',' + (keys[k] as string) + value;
      }
      attributesJson = attributesJson === '' ? '{}' : attributesJson + '}';
    }
    const lineType = text(f, fi['lineType']);
    // Cell by cell: one join per batch then copies flat strings, where concatenating per row built rope strings that
    // the join had to flatten (measured: the join and the garbage collector were half the worker's time).
    out.push(
      this.primary, otherPhones, '[' + phonesJson + ']', text(f, fi['firstName']), text(f, fi['lastName']), text(f, fi['email']),
      text(f, fi['address']), text(f, fi['city']), upperCell(this.region), this.postalCode, this.contactCountry, this.timezonesJson,
      this.jurisdictionsJson, lineType === '' ? 'unknown' : lowerCell(lineType), attributesJson, importKey(f), String(rec.row),
    );
    return CONTACT;
  }

  /**
   * The same cells as `build`, written into the batch's packed text (PACK_SEPARATOR between cells, as a join of
   * `build`'s cells gives) without making a string per cell; a rejected row writes nothing.
   */
  buildPacked(rec: CsvRecord, w: PackedWriter): RowVerdict {
    const rejected = this.check(rec);
    if (rejected !== null) return rejected;
    const f = rec.fields;
    const fi = this.f;
    w.cell(); w.text(this.primary);
    w.cell();
    for (let k = 0; k < this.others.length; k++) {
      if (k > 0) w.code(44);
      w.text(this.others[k] as string);
    }
    w.cell(); w.code(91);
    writePhoneJson(w, this.primary, this.primaryExt, this.kindSuffixes[this.primaryKind] as string);
    for (let k = 0; k < this.others.length; k++) {
      w.code(44);
      writePhoneJson(w, this.others[k] as string, this.othersExt[k] ?? null, this.kindSuffixes[this.othersKind[k] as number] as string);
    }
    w.code(93);
    w.cell(); w.text(text(f, fi['firstName']));
    w.cell(); w.text(text(f, fi['lastName']));
    w.cell(); w.text(text(f, fi['email']));
    w.cell(); w.text(text(f, fi['address']));
    w.cell(); w.text(text(f, fi['city']));
    w.cell(); w.text(upperCell(this.region));
    w.cell(); w.text(this.postalCode);
    w.cell(); w.text(this.contactCountry);
    w.cell(); w.text(this.timezonesJson);
    w.cell(); w.text(this.jurisdictionsJson);
    const lineType = text(f, fi['lineType']);
    w.cell(); w.text(lineType === '' ? 'unknown' : lowerCell(lineType));
    w.cell();
    if (this.attributesText !== null) {
      w.text(this.attributesText);
    } else {
      const keys = this.attributeKeys as string[];
      let written = 0;
      for (let k = 0; k < keys.length; k++) {
        const value = this.attributeValues[k] as string;
        if (value === '') continue;
        w.code(written++ === 0 ? 123 : 44);
        w.text(keys[k] as string);
        w.text(value);
      }
      if (written === 0) w.code(123);
      w.code(125);
    }
    w.cell(); writeImportKey(w, f);
    w.cell(); w.decimal(rec.row);
    return CONTACT;
  }

  /** Checks the row and leaves what the writers need in this builder's fields; the rejection, or null. */
  private check(rec: CsvRecord): RowVerdict | null {
    const f = rec.fields;
    const p = this.p;
    if (f.length !== p.width) {
      return { kind: 'reject', reason: 'ragged_row', detail: `${f.length} columns where the header has ${p.width}` };
    }
    let primary = '';
    const others = this.others;
    if (others.length !== 0) {
      // Setting an array's length is a runtime call: only when the previous row had further phones.
      others.length = 0;
      this.othersExt.length = 0;
      this.othersKind.length = 0;
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
          this.primaryExt = result.ext;
          this.primaryKind = k;
          country = result.country;
        } else if (primary === result.e164) {
          // The same number again while it is still the only one: its country is the one kept (as it always was).
          if (others.length === 0) country = result.country;
        } else if (!others.includes(result.e164)) {
          others.push(result.e164);
          this.othersExt.push(result.ext);
          this.othersKind.push(k);
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
    this.primary = primary;
    const invalid = this.attributeKeys === null ? this.attributesAsObject(f) : this.attributes(f);
    if (invalid !== null) return invalid;

    const fi = this.f;
    const region = text(f, fi['region']);
    const postalCode = text(f, fi['postalCode']);
    const countryCell = text(f, fi['country']);
    const contactCountry = countryCell !== '' ? upperCell(countryCell) : country !== null ? upperCell(country) : this.defaultCountryUpper;
    const location = this.locator.locate(primary, primary.startsWith('+1') ? (country ?? 'US') : (country ?? contactCountry),
      postalCode === '' ? null : postalCode, region === '' ? null : region);
    const ownZone = text(f, fi['timezone']);
    this.timezonesJson = ownZone !== '' && isZone(ownZone) && !location.timezones.includes(ownZone)
      ? JSON.stringify([...location.timezones, ownZone]) : location.timezonesJson;
    this.jurisdictionsJson = location.jurisdictionsJson;
    this.region = region;
    this.postalCode = postalCode;
    this.contactCountry = contactCountry;
    return null;
  }

  /**
   * Each attribute's JSON text as `JSON.stringify` writes it in the object of typed values (empty cells left out),
   * or the rejection of the first value that does not fit its type.
   */
  private attributes(f: readonly string[]): RowVerdict | null {
    const columns = this.p.attributeColumns;
    const values = this.attributeValues;
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k] as PreparedColumns['attributeColumns'][number];
      const raw = f[column.index] ?? '';
      values[k] = '';
      if (isBlank(raw)) continue;
      const value = attributeJson(column.type, raw);
      if (value === null) return this.invalidAttribute(column, raw);
      values[k] = value;
    }
    return null;
  }

  /** The general case (attribute names JSON.stringify treats specially): the object, stringified. */
  private attributesAsObject(f: readonly string[]): RowVerdict | null {
    const attributes: Record<string, number | boolean | string> = {};
    for (const column of this.p.attributeColumns) {
      const raw = f[column.index] ?? '';
      if (raw.trim() === '') continue;
      const value = convert(column.type, raw);
      if (!value.ok) return this.invalidAttribute(column, raw);
      attributes[column.name] = value.value;
    }
    this.attributesText = JSON.stringify(attributes);
    return null;
  }

  private invalidAttribute(column: PreparedColumns['attributeColumns'][number], raw: string): RowVerdict {
    return { kind: 'reject', reason: 'invalid_attribute', detail: `column ${column.index + 1} (${this.p.headers[column.index]}): "${raw.slice(0, 40)}" is not a ${column.type}` };
  }
}

/** writes `{"phone":…,"ext":…,"kind":…}` as phoneJson does. */
function writePhoneJson(w: PackedWriter, phone: string, ext: string | null, kindSuffix: string): void {
  w.text('{"phone":"');
  w.text(phone);
  w.text('","ext":');
  w.text(ext === null ? 'null' : JSON.stringify(ext));
  w.text(kindSuffix);
}

/** `{"phone":…,"ext":…,"kind":…}` exactly as JSON.stringify writes it (an E.164 number needs no escaping). */
function phoneJson(phone: string, ext: string | null, kindSuffix: string): string {
  return `{"phone":"${phone}","ext":${ext === null ? 'null' : JSON.stringify(ext)}${kindSuffix}`;
}
