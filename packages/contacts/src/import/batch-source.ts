import { readCsvFile } from '../csv/csv-file-reader.ts';
import type { CsvReadOptions } from '../csv/csv-file-reader.ts';
import type { CsvRecord } from '../csv/csv-parser.ts';
import { PackedWriter } from './packed-writer.ts';
import { PACK_SEPARATOR, PACKED_WIDTH, RowBuilder } from './row-builder.ts';
import type { PreparedColumns } from './row-builder.ts';

/** What the batch source needs to know (plain data: it is handed to the worker thread as is). */
export interface BatchSpec {
  file: string;
  csv: CsvReadOptions;
  hasHeader: boolean;
  columns: PreparedColumns;
  defaultCountry: string;
  /** Rows up to this one were committed by an interrupted run of the same file: skipped. */
  resumeAfter: number;
  /** Data rows counted before this run (resume): batches end where `rows % batchRows === 0`, as in the first run. */
  rowsBefore: number;
  batchRows: number;
}

export interface RejectedRow {
  row: number;
  fields: string[];
  reason: string;
  detail: string;
}

/** One batch of data rows, checked and normalised: the contacts packed (see PACKED), the rejected rows listed. */
export interface PackedBatch {
  /** Data rows in the batch. */
  rows: number;
  /** Record number of the batch's last row: what the import has committed once the batch is stored. */
  endRow: number;
  /** Characters of the file read so far (for the progress bar). */
  charsRead: number;
  /** Contacts in the batch. */
  count: number;
  /** Their cells, PACKED_WIDTH per contact, as built (on the thread that stores them) … */
  cells?: string[];
  /** … or joined by PACK_SEPARATOR, to cross from the worker thread as one string (written so by a PackedWriter). */
  packed: string;
  rejects: RejectedRow[];
  /** The rows read before the file turned out malformed: never stored, but their rejects are still written out. */
  partial?: true;
}

/** Thrown for a structural problem in the file, carrying the CSV parser's message (rebuilt from a worker's message). */
export class BatchSourceError extends Error {}

/**
 * Reads the file and turns it into batches of `batchRows` data rows (the last one shorter), each row checked and
 * normalised. Runs on the main thread (`packed` false: each batch's cells as strings, used as built) or in the worker
 * thread (import-worker.ts; `packed` true: each batch's cells written straight into its packed text, the one string
 * that crosses to the main thread, without a string per cell).
 */
export async function* buildBatches(spec: BatchSpec, packed = false): AsyncGenerator<PackedBatch> {
  const builder = new RowBuilder(spec.columns, spec.defaultCountry);
  const writer = packed ? new PackedWriter() : undefined;
  let rows = spec.rowsBefore;
  let charsRead = 0;
  let current = fresh(spec.resumeAfter);
  let parts: string[] = [];
  const reader = readCsvFile(spec.file, spec.csv);
  while (true) {
    let next: IteratorResult<CsvRecord[]>;
    try {
      next = await reader.next();
    } catch (error) {
      if (current.rows > 0) yield { ...finish(current, parts, charsRead, writer), partial: true };
      throw error;
    }
    if (next.done === true) break;
    for (const rec of next.value) {
      if (rec.row <= spec.resumeAfter || (spec.hasHeader && rec.row === 1)) continue;
      rows++;
      current.rows++;
      current.endRow = rec.row;
      const fields = rec.fields;
      for (let k = 0; k < fields.length; k++) charsRead += (fields[k] as string).length + 1;
      const verdict = writer !== undefined ? builder.buildPacked(rec, writer) : builder.build(rec, parts);
      if (verdict.kind === 'reject') current.rejects.push({ row: rec.row, fields, reason: verdict.reason, detail: verdict.detail });
      if (rows % spec.batchRows === 0) {
        yield finish(current, parts, charsRead, writer);
        current = fresh(current.endRow);
        parts = [];
      }
    }
  }
  yield finish(current, parts, charsRead, writer);
}

function fresh(endRow: number): PackedBatch {
  return { rows: 0, endRow, charsRead: 0, count: 0, packed: '', rejects: [] };
}

function finish(batch: PackedBatch, parts: string[], charsRead: number, writer: PackedWriter | undefined): PackedBatch {
  if (writer !== undefined) {
    batch.count = writer.cells / PACKED_WIDTH;
    batch.packed = writer.take();
  } else {
    batch.count = parts.length / PACKED_WIDTH;
    batch.cells = parts;
  }
  batch.charsRead = charsRead;
  return batch;
}

/**
 * The batch as one string of cells, to post from the worker thread (one string instead of thousands). On the main
 * thread the cells are used as built: joining and splitting them again cost ~0.5 s of CPU per 100 k rows.
 */
export function packBatch(batch: PackedBatch): PackedBatch {
  if (batch.cells === undefined) return batch;
  const { cells, ...rest } = batch;
  return { ...rest, packed: cells.join(PACK_SEPARATOR) };
}

/** The batch's cells, PACKED_WIDTH per contact, whether it was packed or not. */
export function batchCells(batch: PackedBatch): string[] {
  if (batch.cells !== undefined) return batch.cells;
  return batch.count > 0 ? batch.packed.split(PACK_SEPARATOR) : [];
}
