import { createHash, randomBytes } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Db } from '@outdial/store/database';
import { dialectOf, inTransaction } from '@outdial/store/transaction';
import { ContactImportCopier } from '@outdial/store/repositories/contact-import-copy';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { ContactImportRepository } from '@outdial/store/repositories/contact-import.repository';
import { CONTACT_COLUMNS } from '@outdial/store/repositories/contact-import.repository';
import type { ImportProgress } from '@outdial/store/repositories/contact-import.repository';
import { readCsvFile } from '../csv/csv-file-reader.ts';
import type { CsvReadOptions } from '../csv/csv-file-reader.ts';
import { CsvFormatError } from '../csv/csv-parser.ts';
import type { CsvRecord } from '../csv/csv-parser.ts';
import { CsvWriter } from '../export/csv-writer.ts';
import { PhoneNormaliser } from '../phone/phone-normaliser.ts';
import type { DncLists } from '../dnc/dnc-lists.ts';
import { inferType } from './attribute-values.ts';
import type { AttributeType, ColumnUse } from './column-mapping.ts';
import { MappingError, mappingToSave, resolveMapping } from './column-mapping.ts';
import { batchCells, BatchSourceError, buildBatches } from './batch-source.ts';
import type { BatchSpec, PackedBatch } from './batch-source.ts';
import { batchesInWorker } from './batch-worker.ts';
import { PhoneKeySet } from './phone-key-set.ts';
import { PACKED, PACKED_WIDTH, prepareColumns } from './row-builder.ts';

export { importKey } from './row-builder.ts';

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
  /** Rows per batch, the unit that is parsed, checked and handed to the store (default DEFAULT_BATCH_ROWS). */
  batchRows?: number;
  /**
   * Most rows per transaction (default DEFAULT_TRANSACTION_ROWS): a transaction takes whole batches, at least one, and
   * commits early once it has been open `transactionMs` (default DEFAULT_TRANSACTION_MS).
   */
  transactionRows?: number;
  transactionMs?: number;
  /**
   * Parse and normalise in a worker thread while this thread writes (two cores). Default: for files of
   * PARALLEL_MIN_BYTES and more.
   */
  parallel?: boolean;
  /** The store's URL: on PostgreSQL, batches then go through COPY on a dedicated connection. */
  storeUrl?: string;
  onProgress?: (event: ImportProgressEvent) => void;
}

/** Hands `count` new contacts, whose values `fill` writes, to the open transaction. */
type AddRows = (count: number, fill: (index: number, values: unknown[]) => void) => Promise<void>;

/** Input that cannot be imported (exit 2): names the row/column, flag or column concerned. */
export class ImportInputError extends Error {}

const SAMPLE_ROWS = 1000;
const SQLITE_SAFE_DIGITS = 1e15;
/**
 * Rows per batch: what the import parses, checks and hands to the store at a time, and so what the JavaScript heap
 * holds (a 20 000-row batch took the peak RSS past the 400 MB target).
 */
export const DEFAULT_BATCH_ROWS = 5000;
/**
 * Most rows per transaction, in whole batches. Each commit rewrites every page of `contacts_phone_key` it dirtied
 * (its keys arrive in random order), so a few large transactions write far fewer pages than many small ones
 * (ADR 0013: 1 M rows through bare better-sqlite3, 32.7 s of CPU in 5000-row transactions, 24.7 s in 50 000-row ones).
 */
export const DEFAULT_TRANSACTION_ROWS = 50_000;
/**
 * A transaction also commits once it has been open this long, so that another writer of the same SQLite file (the
 * server, while the CLI imports) never waits long for the write lock, whatever the machine's load.
 */
export const DEFAULT_TRANSACTION_MS = 1000;
/**
 * From this file size up the rows are parsed in a worker thread by default. Starting it costs ~0.8 s of CPU (tsx and
 * the phone metadata load again in the worker), which a small file does not win back (20 000 rows, 1.2 MB: 3.3-3.6 s
 * of CPU in two threads against 1.9-2.3 s in one) and a large one does (1 M rows, 60 MB: the same CPU, 40.1 s against
 * 42-44 s, a fifth of it off the main thread; docs/benchmarks.md).
 */
const PARALLEL_MIN_BYTES = 16 << 20;
/**
 * SQLite page cache while an import runs, in MB. 24, not 48: with the worker thread a 1 M-row import peaked at
 * 392-404 MB with 48 (target 400) and 357-370 MB with 24, for ~1.5 s more CPU (2026-11-28 01:24-01:30 UTC, load 2-4).
 */
const IMPORT_CACHE_MB = 24;

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
  } finally {
    // The batches read the file again from its start (on this thread or a worker): the sample reader is done.
    if (!exhausted) await reader.return(undefined);
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
  const columns = prepareColumns(uses, headers);

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
  const known = new PhoneKeySet();
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
  const ids = new OrderedIds(request.now());
  const batchRows = request.batchRows ?? DEFAULT_BATCH_ROWS;
  const now = request.now();
  const dnc = request.dnc;
  const spec: BatchSpec = {
    file: request.file, csv: request.csv ?? {}, hasHeader, columns, defaultCountry, resumeAfter, rowsBefore: summary.rows, batchRows,
  };
  const copier = request.storeUrl !== undefined && dialectOf(db) === 'postgres' ? await ContactImportCopier.open(request.storeUrl) : undefined;

  // Column positions of CONTACT_COLUMNS, and the packed cell each one comes from (the rest are set per row here).
  const at = (column: (typeof CONTACT_COLUMNS)[number]): number => CONTACT_COLUMNS.indexOf(column);
  const fromPacked: [number, number][] = [
    [at('phone'), PACKED.phone], [at('phones_json'), PACKED.phonesJson], [at('first_name'), PACKED.firstName], [at('last_name'), PACKED.lastName],
    [at('email'), PACKED.email], [at('address'), PACKED.address], [at('city'), PACKED.city], [at('region'), PACKED.region],
    [at('postal_code'), PACKED.postalCode], [at('country'), PACKED.country], [at('timezones_json'), PACKED.timezonesJson],
    [at('jurisdictions_json'), PACKED.jurisdictionsJson], [at('line_type'), PACKED.lineType], [at('attributes_json'), PACKED.attributesJson],
    [at('import_key'), PACKED.importKey],
  ];
  const idAt = at('id'); const listAt = at('list_id'); const statusAt = at('status'); const flagAt = at('dnc_flag'); const rowAt = at('source_row');
  const timeAt = [at('next_dial_at'), at('created_at'), at('updated_at')];

  /** Counts the batch's rejected rows into `snapshot` and writes them to the rejects file. */
  const countRejects = async (batch: PackedBatch, snapshot: ImportSummary): Promise<void> => {
    snapshot.rows += batch.rows;
    for (const rejected of batch.rejects) {
      snapshot.rejected++;
      snapshot.rejectReasons[rejected.reason] = (snapshot.rejectReasons[rejected.reason] ?? 0) + 1;
      if (rejects !== undefined) await rejects.row([...padTo(rejected.fields, headers.length), rejected.reason, `row ${rejected.row}: ${rejected.detail}`]);
    }
  };

  /**
   * Decides duplicates and do-not-call flags for the batch's contacts (in row order), counts them into `snapshot` and
   * hands the new ones to `add` (inside the open transaction); returns how many it handed over.
   */
  const storeBatch = async (batch: PackedBatch, snapshot: ImportSummary, add: AddRows): Promise<number> => {
    await countRejects(batch, snapshot);
    const cells = batchCells(batch);
    // Per new contact: the offset of its cells, and its do-not-call verdict (0 none, 1 flagged, 2 internal list).
    const kept = new Int32Array(batch.count);
    const verdicts = new Uint8Array(batch.count);
    let keptCount = 0;
    for (let i = 0; i < batch.count; i++) {
      const base = i * PACKED_WIDTH;
      const phone = cells[base + PACKED.phone] as string;
      const key = phoneKey(phone);
      if (!known.add(key)) { snapshot.duplicates++; continue; }
      snapshot.imported++;
      let verdict = 0;
      const hits = dnc.hitsPreloaded(phone);
      if (hits.length > 0) verdict = hits.some((h) => h.kind === 'internal') ? 2 : 1;
      const others = cells[base + PACKED.otherPhones] as string;
      if (verdict === 0 && others !== '') {
        for (const other of others.split(',')) if (dnc.hitsPreloaded(other).length > 0) verdict = 1;
      }
      if (verdict > 0) snapshot.dncFlagged++;
      verdicts[keptCount] = verdict;
      kept[keptCount++] = base;
    }
    await add(keptCount, (index: number, values: unknown[]): void => {
      const base = kept[index] as number;
      for (const [column, cell] of fromPacked) {
        const value = cells[base + cell] as string;
        values[column] = value === '' ? null : value;
      }
      values[idAt] = ids.next();
      values[listAt] = listId;
      const verdict = verdicts[index] as number;
      values[statusAt] = verdict === 2 ? 'dnc' : 'dialable';
      values[flagAt] = verdict > 0 ? 1 : 0;
      values[rowAt] = Number(cells[base + PACKED.sourceRow]);
      for (const t of timeAt) values[t] = now;
    });
    return keptCount;
  };

  // The batches are pulled one at a time, so that one transaction can take several. An error of the source (a
  // malformed file) ends the open transaction normally, so that what it stored commits, and stops the import after it.
  let failure: unknown;
  const parallel = request.parallel ?? totalBytes >= PARALLEL_MIN_BYTES;
  const source = (parallel ? batchesInWorker(spec) : buildBatches(spec))[Symbol.asyncIterator]();
  let pending: PackedBatch | undefined;
  let sourceDone = false;
  const advance = async (): Promise<void> => {
    while (!sourceDone && pending === undefined) {
      let next: IteratorResult<PackedBatch>;
      try {
        next = await source.next();
      } catch (error) {
        failure = error;
        sourceDone = true;
        return;
      }
      if (next.done === true) sourceDone = true;
      // The rows read before the file turned out malformed: never stored, but their rejects are still written out.
      else if (next.value.partial === true) await countRejects(next.value, { ...summary, rejectReasons: { ...summary.rejectReasons } });
      else pending = next.value;
    }
  };
  const transactionRows = request.transactionRows ?? DEFAULT_TRANSACTION_ROWS;
  const transactionMs = request.transactionMs ?? DEFAULT_TRANSACTION_MS;
  let lastBatch: PackedBatch | undefined;
  /** The counts of the transaction being committed: the summary's once it is. */
  let committed: ImportSummary = summary;

  /**
   * Stores batches into the open transaction, from the pending one on, until the transaction holds transactionRows
   * rows, has been open transactionMs, or the source has no more; answers the progress to commit with them, given how
   * many rows the store inserted (a row the unique import key refused was imported by an earlier run: a duplicate).
   */
  const storeGroup = async (add: AddRows): Promise<(inserted: number) => ImportProgress> => {
    const snapshot = { ...summary, rejectReasons: { ...summary.rejectReasons } };
    const opened = performance.now();
    let rows = 0;
    let kept = 0;
    while (pending !== undefined) {
      const batch: PackedBatch = pending;
      pending = undefined;
      rows += batch.rows;
      kept += await storeBatch(batch, snapshot, add);
      lastBatch = batch;
      if (rows >= transactionRows || performance.now() - opened >= transactionMs) break;
      await advance();
    }
    const endRow = lastBatch?.endRow ?? 0;
    return (inserted) => {
      snapshot.imported -= kept - inserted;
      snapshot.duplicates += kept - inserted;
      committed = snapshot;
      return {
        rows: snapshot.rows, imported: snapshot.imported, duplicates: snapshot.duplicates, rejected: snapshot.rejected, committedRow: endRow,
        summaryJson: JSON.stringify(snapshot),
      };
    };
  };

  const restoreCache = await repo.enlargeCache(IMPORT_CACHE_MB);
  try {
    await advance();
    while (pending !== undefined) {
      if (copier !== undefined) {
        await copier.commitGroup(record.id, storeGroup);
      } else {
        await inTransaction(db, async (trx) => {
          const store = new ContactImportRepository(trx);
          let inserted = 0;
          const progressFor = await storeGroup(async (count, fill) => { inserted += await store.insertContactValues(count, fill); });
          await store.progress(record.id, progressFor(inserted));
        });
      }
      Object.assign(summary, committed);
      request.onProgress?.({
        importId: record.id, rows: summary.rows, imported: summary.imported, duplicates: summary.duplicates, rejected: summary.rejected,
        bytesRead: Math.min(lastBatch?.charsRead ?? 0, totalBytes), totalBytes,
      });
      await advance();
    }
  } catch (error) {
    failure = error;
  } finally {
    // Stops the worker thread when the import ends early (no effect on a finished source).
    await source.return?.(undefined);
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
  if (error instanceof CsvFormatError || error instanceof BatchSourceError) return new ImportInputError(error.message);
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

