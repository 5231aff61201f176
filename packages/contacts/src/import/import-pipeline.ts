import { createHash, randomBytes } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Db } from '@outdial/store/database';
import { dialectOf, inTransaction } from '@outdial/store/transaction';
import { ContactImportCopier } from '@outdial/store/repositories/contact-import-copy';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { ContactImportRepository } from '@outdial/store/repositories/contact-import.repository';
import type { ImportedContactRow } from '@outdial/store/repositories/contact-import.repository';
import { readCsvFile } from '../csv/csv-file-reader.ts';
import type { CsvReadOptions } from '../csv/csv-file-reader.ts';
import { CsvFormatError } from '../csv/csv-parser.ts';
import type { CsvRecord } from '../csv/csv-parser.ts';
import { CsvWriter } from '../export/csv-writer.ts';
import { PhoneNormaliser } from '../phone/phone-normaliser.ts';
import type { DncLists } from '../dnc/dnc-lists.ts';
import { convert, inferType } from './attribute-values.ts';
import type { AttributeType, ColumnUse } from './column-mapping.ts';
import { MappingError, mappingToSave, resolveMapping } from './column-mapping.ts';
import { ContactLocator } from './contact-location.ts';

/** The `--json` summary of the CLI contract. */
export interface ImportSummary {
  rows: number;
  imported: number;
  duplicates: number;
  rejected: number;
  rejectReasons: Record<string, number>;
  dncFlagged: number;
  seconds: number;
}

export interface ImportProgressEvent {
  importId: string;
  rows: number;
  imported: number;
  duplicates: number;
  rejected: number;
  bytesRead: number;
  totalBytes: number;
}

export interface ImportRequest {
  db: Db;
  file: string;
  /** Shown in the imports table; default the file's base name. */
  fileName?: string;
  /** The list by name (created when missing) … */
  listName?: string;
  /** … or by id (must exist). */
  listId?: string;
  campaignName?: string;
  /** `CSVCOL=field` entries; saved with the list for the next import. */
  mappings?: readonly string[];
  /** `name=type` overrides of inferred attribute types. */
  types?: readonly string[];
  rejectsFile?: string;
  defaultCountry?: string;
  dnc: DncLists;
  now: () => number;
  csv?: CsvReadOptions;
  /** Rows per transaction. */
  batchRows?: number;
  /** The store's URL: on PostgreSQL, batches then go through COPY on a dedicated connection. */
  storeUrl?: string;
  onProgress?: (event: ImportProgressEvent) => void;
}

/** Input that cannot be imported (exit 2): names the row/column, flag or column concerned. */
export class ImportInputError extends Error {}

const SAMPLE_ROWS = 1000;
const SQLITE_SAFE_DIGITS = 1e15;

interface Prepared {
  uses: ColumnUse[];
  phoneColumns: { index: number; slot: number; name: string }[];
  attributeColumns: { index: number; name: string; type: AttributeType }[];
  fieldIndex: Partial<Record<string, number>>;
  width: number;
}

/**
 * Imports one CSV file into a list: streams it, maps and normalises every row, de-duplicates against the list (and
 * the campaign's other lists), flags do-not-call hits, and writes contacts in batches of a few thousand rows, each
 * batch and the import's committed row in one transaction, so an interrupted import resumes where it stopped and a
 * re-run of the same file changes nothing. Every data row ends imported, duplicate or rejected with a reason.
 */
export async function importContacts(request: ImportRequest): Promise<ImportSummary & { importId: string; listId: string }> {
  const started = request.now();
  const db = request.db;
  const repo = new ContactImportRepository(db);
  const lists = new ListsRepository(db);
  const totalBytes = (await stat(request.file)).size;

  let list = request.listId !== undefined ? await lists.get(request.listId) : request.listName !== undefined ? await lists.findByName(request.listName) : undefined;
  if (list === undefined && request.listId !== undefined) throw new ImportInputError(`list ${request.listId} does not exist`);
  if (request.listId === undefined && request.listName === undefined) throw new ImportInputError('--list: a list name is needed');
  let campaignId: string | null = null;
  if (request.campaignName !== undefined) {
    const campaign = await repo.campaignByName(request.campaignName);
    if (campaign === undefined) throw new ImportInputError(`--campaign ${request.campaignName}: no such campaign`);
    campaignId = campaign.id;
  }
  const defaultCountry = (request.defaultCountry ?? list?.defaultCountry ?? 'US').toUpperCase();

  // Read the head of the file first: header, mapping and attribute types come from it.
  const bytes = { read: 0 };
  const reader = readCsvFile(request.file, request.csv);
  const head: CsvRecord[] = [];
  let exhausted = false;
  try {
    while (head.length < SAMPLE_ROWS + 1) {
      const next = await reader.next();
      if (next.done === true) { exhausted = true; break; }
      head.push(...next.value);
    }
  } catch (error) {
    throw asInputError(error);
  }
  if (head.length === 0) throw new ImportInputError("the file is empty (no header and no rows)");
  const normaliser = new PhoneNormaliser(defaultCountry);
  const first = head[0] as CsvRecord;
  const hasHeader = !first.fields.some((f) => looksLikePhone(f));
  const headers = hasHeader ? first.fields.map((f) => f.trim()) : first.fields.map((_, i) => `column${i + 1}`);
  let uses: ColumnUse[];
  try {
    uses = resolveMapping(headers, list?.columnMapping ?? null, request.mappings ?? [], hasHeader);
  } catch (error) {
    if (error instanceof MappingError) throw new ImportInputError(error.message);
    throw error;
  }
  if (!hasHeader && !uses.some((u) => u.kind === 'phone')) {
    const phoneIndex = first.fields.findIndex((f) => normaliser.normalise(f).ok);
    if (phoneIndex >= 0) uses[phoneIndex] = { kind: 'phone', slot: 1, name: 'phone' };
  }
  if (!uses.some((u) => u.kind === 'phone')) {
    throw new ImportInputError(`no phone column: none of the columns (${headers.join(', ')}) is a phone; name one with --map COLUMN=phone`);
  }
  const dataHead = hasHeader ? head.slice(1) : head;
  applyTypes(uses, headers, dataHead, request.types ?? []);
  const prepared = prepare(uses, headers.length);

  if (list === undefined) {
    const created = await lists.create({ name: request.listName as string, defaultCountry, columnMapping: mappingToSave(headers, uses), now: request.now() });
    if (!created.ok) throw new ImportInputError(`--list ${request.listName}: ${created.message}`);
    list = created.value;
  } else if ((request.mappings ?? []).length > 0 || list.columnMapping === null) {
    await lists.saveColumnMapping(list.id, mappingToSave(headers, uses));
  }
  const listId = list.id;
  if (campaignId !== null) await repo.attachListToCampaign(campaignId, listId);

  // Phones already in the list (and the campaign's other lists): duplicates. Kept as numbers, not strings.
  const known = new Set<number>();
  const scope = campaignId === null ? [listId] : [...new Set([listId, ...(await repo.campaignListIds(campaignId))])];
  for await (const page of repo.phonesOf(scope)) for (const phone of page) known.add(phoneKey(phone));
  await request.dnc.preload();

  const fileHash = await quickHash(request.file, totalBytes);
  const previous = await repo.resumable(listId, fileHash);
  const record = previous ?? await repo.start(listId, request.fileName ?? basename(request.file), fileHash, request.now());
  if (previous !== undefined) await repo.markRunning(previous.id);
  const counts = previous?.summaryJson ? JSON.parse(previous.summaryJson) as ImportSummary : undefined;
  const summary: ImportSummary = {
    rows: counts?.rows ?? 0, imported: counts?.imported ?? 0, duplicates: counts?.duplicates ?? 0, rejected: counts?.rejected ?? 0,
    rejectReasons: counts?.rejectReasons ?? {}, dncFlagged: counts?.dncFlagged ?? 0, seconds: 0,
  };
  const resumeAfter = previous?.committedRow ?? 0;

  const rejects = request.rejectsFile !== undefined ? await CsvWriter.create(request.rejectsFile) : undefined;
  if (rejects !== undefined) await rejects.row([...(hasHeader ? first.fields : headers), 'reason', 'detail']);
  const locator = new ContactLocator();
  const ids = new OrderedIds(request.now());
  const batchRows = request.batchRows ?? 5000;
  const now = request.now();
  let batch: ImportedContactRow[] = [];
  let batchEndRow = resumeAfter;
  let pendingSummary: ImportSummary = { ...summary, rejectReasons: { ...summary.rejectReasons } };

  const copier = request.storeUrl !== undefined && dialectOf(db) === 'postgres' ? await ContactImportCopier.open(request.storeUrl) : undefined;
  const commit = async (): Promise<void> => {
    const rows = batch;
    batch = [];
    const snapshot = { ...pendingSummary, rejectReasons: { ...pendingSummary.rejectReasons } };
    // A row the unique import key refused was imported by an earlier run: a duplicate, not an import.
    const progressFor = (inserted: number) => {
      snapshot.imported -= rows.length - inserted;
      snapshot.duplicates += rows.length - inserted;
      return {
        rows: snapshot.rows, imported: snapshot.imported, duplicates: snapshot.duplicates, rejected: snapshot.rejected, committedRow: batchEndRow,
        summaryJson: JSON.stringify(snapshot),
      };
    };
    if (copier !== undefined) {
      await copier.commitBatch(rows, record.id, progressFor);
    } else {
      await inTransaction(db, async (trx) => {
        const inserted = await new ContactImportRepository(trx).insertContacts(rows);
        await new ContactImportRepository(trx).progress(record.id, progressFor(inserted));
      });
    }
    pendingSummary = snapshot;
    Object.assign(summary, snapshot);
    request.onProgress?.({ importId: record.id, rows: summary.rows, imported: summary.imported, duplicates: summary.duplicates, rejected: summary.rejected, bytesRead: Math.min(bytes.read, totalBytes), totalBytes });
  };

  const reject = async (rec: CsvRecord, reason: string, detail: string): Promise<void> => {
    pendingSummary.rejected++;
    pendingSummary.rejectReasons[reason] = (pendingSummary.rejectReasons[reason] ?? 0) + 1;
    if (rejects !== undefined) await rejects.row([...padTo(rec.fields, headers.length), reason, `row ${rec.row}: ${detail}`]);
  };

  const processRecords = async (records: readonly CsvRecord[]): Promise<void> => {
    for (const rec of records) {
      if (rec.row <= resumeAfter || (hasHeader && rec.row === 1)) continue;
      pendingSummary.rows++;
      batchEndRow = rec.row;
      bytes.read += rec.fields.reduce((n, f) => n + f.length + 1, 0);
      const outcome = buildContact(rec, prepared, headers, normaliser, known, locator, request.dnc, listId, defaultCountry, now, ids);
      if (outcome.kind === 'reject') await reject(rec, outcome.reason, outcome.detail);
      else if (outcome.kind === 'duplicate') pendingSummary.duplicates++;
      else {
        pendingSummary.imported++;
        if (outcome.row.dnc_flag === 1) pendingSummary.dncFlagged++;
        batch.push(outcome.row);
      }
      if (pendingSummary.rows % batchRows === 0) await commit();
    }
  };

  let failure: unknown;
  const restoreCache = await repo.enlargeCache(48);
  try {
    await processRecords(head);
    if (!exhausted) {
      for await (const records of reader) await processRecords(records);
    }
    await commit();
  } catch (error) {
    failure = error;
  } finally {
    await rejects?.close();
    await restoreCache();
    await copier?.close();
  }
  if (failure !== undefined) {
    await repo.finish(record.id, 'failed', request.now());
    throw asInputError(failure);
  }
  await repo.finish(record.id, 'done', request.now());
  summary.seconds = Math.round((request.now() - started) / 10) / 100;
  return { ...summary, importId: record.id, listId };
}

function asInputError(error: unknown): unknown {
  if (error instanceof CsvFormatError) return new ImportInputError(error.message);
  return error;
}

function padTo(fields: readonly string[], width: number): string[] {
  if (fields.length >= width) return [...fields];
  return [...fields, ...new Array<string>(width - fields.length).fill('')];
}

/** A cell that is a phone number (7+ digits, only phone punctuation): the first row is data, not a header. */
function looksLikePhone(cell: string): boolean {
  const t = cell.trim();
  return /^\+?[\d\s().\-/]+(?:\s*(?:x|ext\.?)\s*\d+)?$/i.test(t) && t.replace(/\D/g, '').length >= 7;
}

/** E.164 as a number (at most 15 digits), for a compact duplicate set. */
function phoneKey(e164: string): number {
  return Number(e164.slice(1)) + (e164.length > 16 ? SQLITE_SAFE_DIGITS : 0);
}

function applyTypes(uses: ColumnUse[], headers: readonly string[], sample: readonly CsvRecord[], overrides: readonly string[]): void {
  const forced = new Map<string, AttributeType>();
  for (const entry of overrides) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq);
    const type = entry.slice(eq + 1);
    if (eq <= 0 || !['number', 'boolean', 'date', 'text'].includes(type)) throw new ImportInputError(`--type ${entry}: expected NAME=number|boolean|date|text`);
    forced.set(name, type as AttributeType);
  }
  uses.forEach((use, i) => {
    if (use.kind !== 'attribute') return;
    const override = forced.get(use.name) ?? forced.get(headers[i] ?? '');
    if (override !== undefined) { use.type = override; return; }
    if (use.type === null) use.type = inferType(sample.map((r) => r.fields[i] ?? ''));
  });
  for (const name of forced.keys()) {
    if (!uses.some((u, i) => u.kind === 'attribute' && (u.name === name || headers[i] === name))) {
      throw new ImportInputError(`--type ${name}=…: no custom attribute "${name}" in this file`);
    }
  }
}

function prepare(uses: readonly ColumnUse[], width: number): Prepared {
  const phoneColumns: Prepared['phoneColumns'] = [];
  const attributeColumns: Prepared['attributeColumns'] = [];
  const fieldIndex: Prepared['fieldIndex'] = {};
  uses.forEach((use, index) => {
    if (use.kind === 'phone') phoneColumns.push({ index, slot: use.slot, name: use.name });
    else if (use.kind === 'attribute') attributeColumns.push({ index, name: use.name, type: use.type ?? 'text' });
    else if (use.kind === 'field') fieldIndex[use.field] = index;
  });
  phoneColumns.sort((a, b) => a.slot - b.slot);
  return { uses: [...uses], phoneColumns, attributeColumns, fieldIndex, width };
}

type RowOutcome =
  | { kind: 'import'; row: ImportedContactRow }
  | { kind: 'duplicate' }
  | { kind: 'reject'; reason: string; detail: string };

function text(fields: readonly string[], index: number | undefined): string | null {
  if (index === undefined) return null;
  const value = fields[index]?.trim() ?? '';
  return value === '' ? null : value;
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

function buildContact(
  rec: CsvRecord, p: Prepared, headers: readonly string[], normaliser: PhoneNormaliser, known: Set<number>, locator: ContactLocator,
  dnc: DncLists, listId: string, defaultCountry: string, now: number, ids: OrderedIds,
): RowOutcome {
  const f = rec.fields;
  if (f.length !== p.width) {
    return { kind: 'reject', reason: 'ragged_row', detail: `${f.length} columns where the header has ${p.width}` };
  }
  const phones: { phone: string; ext: string | null; kind: string }[] = [];
  let firstProblem: { reason: 'missing_phone' | 'invalid_phone'; detail: string } | null = null;
  let country: string | null = null;
  for (const column of p.phoneColumns) {
    const result = normaliser.normalise(f[column.index]);
    if (result.ok) {
      if (!phones.some((x) => x.phone === result.e164)) phones.push({ phone: result.e164, ext: result.ext, kind: column.name });
      if (phones.length === 1) country = result.country;
    } else if (firstProblem === null || (firstProblem.reason === 'missing_phone' && result.reason === 'invalid_phone')) {
      firstProblem = { reason: result.reason, detail: `column ${column.index + 1} (${headers[column.index]}): ${result.detail}` };
    }
  }
  const primary = phones[0];
  if (primary === undefined) {
    const problem = firstProblem ?? { reason: 'missing_phone' as const, detail: 'no phone column' };
    return { kind: 'reject', reason: problem.reason, detail: problem.detail };
  }
  const attributes: Record<string, number | boolean | string> = {};
  for (const column of p.attributeColumns) {
    const raw = f[column.index] ?? '';
    if (raw.trim() === '') continue;
    const value = convert(column.type, raw);
    if (!value.ok) {
      return { kind: 'reject', reason: 'invalid_attribute', detail: `column ${column.index + 1} (${headers[column.index]}): "${raw.slice(0, 40)}" is not a ${column.type}` };
    }
    attributes[column.name] = value.value;
  }
  const key = phoneKey(primary.phone);
  if (known.has(key)) return { kind: 'duplicate' };
  known.add(key);

  const fi = p.fieldIndex;
  const region = text(f, fi['region']);
  const postalCode = text(f, fi['postalCode']);
  const contactCountry = (text(f, fi['country']) ?? country ?? defaultCountry).toUpperCase();
  const location = locator.locate(primary.phone, primary.phone.startsWith('+1') ? (country ?? 'US') : (country ?? contactCountry), postalCode, region);
  const ownZone = text(f, fi['timezone']);
  const timezones = ownZone !== null && isZone(ownZone) && !location.timezones.includes(ownZone) ? [...location.timezones, ownZone] : location.timezones;
  let flagged = false;
  let internal = false;
  for (const phone of phones) {
    const hits = dnc.hitsPreloaded(phone.phone);
    if (hits.length > 0) flagged = true;
    if (phone === primary && hits.some((h) => h.kind === 'internal')) internal = true;
  }
  const row: ImportedContactRow = {
    id: ids.next(),
    list_id: listId,
    phone: primary.phone,
    phones_json: JSON.stringify(phones),
    first_name: text(f, fi['firstName']),
    last_name: text(f, fi['lastName']),
    email: text(f, fi['email']),
    address: text(f, fi['address']),
    city: text(f, fi['city']),
    region: region === null ? null : region.toUpperCase(),
    postal_code: postalCode,
    country: contactCountry,
    timezones_json: timezones === location.timezones ? location.timezonesJson : JSON.stringify(timezones),
    jurisdictions_json: location.jurisdictionsJson,
    line_type: text(f, fi['lineType'])?.toLowerCase() ?? 'unknown',
    attributes_json: JSON.stringify(attributes),
    // The internal (company) list always blocks; national/state/TPS hits are flagged and decided per call
    // (consent or an established business relationship may allow them).
    status: internal ? 'dnc' : 'dialable',
    next_dial_at: now,
    dnc_flag: flagged ? 1 : 0,
    import_key: importKey(f),
    source_row: rec.row,
    created_at: now,
    updated_at: now,
  };
  return { kind: 'import', row };
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

/**
 * Contact ids that sort in creation order (time, a random part, a sequence number), so the primary-key index
 * grows at its end instead of splitting pages all over, as random UUIDs make it do.
 */
export class OrderedIds {
  private readonly prefix: string;
  private sequence = 0;

  constructor(now: number) {
    this.prefix = `${now.toString(36).padStart(9, '0')}${randomBytes(6).toString('hex')}`;
  }

  next(): string {
    return `${this.prefix}${(this.sequence++).toString(36).padStart(8, '0')}`;
  }
}

/** Identifies a file cheaply (size plus its first MiB) to find an interrupted import of the same file. */
async function quickHash(path: string, size: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(size, 1 << 20));
    await handle.read(buffer, 0, buffer.length, 0);
    return createHash('sha256').update(String(size)).update(buffer).digest('hex');
  } finally {
    await handle.close();
  }
}

