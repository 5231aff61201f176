import { userInfo } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ImportedContactRow, ImportProgress } from './contact-import.repository.ts';
import { CONTACT_COLUMNS } from './contact-import.repository.ts';

/** COPY text format: backslash, tab, newline and carriage return escaped; NULL as \N. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
}

/** Writes row `index`'s values into `values` (CONTACT_COLUMNS order). */
type RowFill = (index: number, values: unknown[]) => void;

/** The rows as COPY text lines, in chunks of about 64 KB. */
function* copyLines(count: number, fill: RowFill): Generator<string> {
  const values = new Array<unknown>(CONTACT_COLUMNS.length);
  let chunk = '';
  for (let index = 0; index < count; index++) {
    fill(index, values);
    let line = copyValue(values[0]);
    for (let c = 1; c < values.length; c++) line += `\t${copyValue(values[c])}`;
    chunk += `${line}\n`;
    if (chunk.length > 1 << 16) { yield chunk; chunk = ''; }
  }
  if (chunk !== '') yield chunk;
}

/**
 * PostgreSQL fast path of the contact import: the batches of one transaction are COPied into a session-local staging
 * table, moved into contacts by one INSERT … SELECT with ON CONFLICT (phone, list_id, import_key) DO NOTHING, and the
 * import's committed row updated, all in that transaction on a dedicated connection. The statement texts are fixed here; data travels only in the COPY stream
 * and as bound parameters.
 */
export class ContactImportCopier {
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<ContactImportCopier> {
    const parsed = new URL(url);
    if (parsed.username === '') parsed.username = process.env['PGUSER'] ?? process.env['USER'] ?? userInfo().username;
    const client = new pg.Client({ connectionString: parsed.toString() });
    await client.connect();
    // The batches' commits do not wait for their WAL flush (this session only). A crash may lose the last few
    // commits, but each batch and its committed_row travel in one transaction, so they are lost together and the
    // import resumes exactly after the last durable one; the import's final 'done' (another connection, a normal
    // commit) flushes the WAL up to it, and so every batch before it.
    await client.query('set synchronous_commit = off');
    await client.query('create temp table if not exists contacts_import_stage (like contacts including defaults) on commit delete rows');
    return new ContactImportCopier(client);
  }

  /** Writes the batch and the progress (computed from how many were inserted) atomically; returns that number. */
  async commitBatch(rows: readonly ImportedContactRow[], importId: string, progressFor: (inserted: number) => ImportProgress): Promise<number> {
    return this.commitValues(rows.length, (index, values) => {
      const row = rows[index] as ImportedContactRow;
      for (let c = 0; c < CONTACT_COLUMNS.length; c++) values[c] = row[CONTACT_COLUMNS[c] as keyof ImportedContactRow];
    }, importId, progressFor);
  }

  /** The same with the values written by `fill(index, values)` (CONTACT_COLUMNS order, called once per row in order). */
  async commitValues(count: number, fill: RowFill, importId: string, progressFor: (inserted: number) => ImportProgress): Promise<number> {
    return this.commitGroup(importId, async (copy) => {
      await copy(count, fill);
      return progressFor;
    });
  }

  /**
   * One transaction for several batches: `work` COPies each batch into the staging table through `copy`, then one
   * INSERT … SELECT moves them all into contacts and the import's progress (computed by the function `work` answers,
   * from how many rows were inserted) is written. Returns that number.
   */
  async commitGroup(importId: string, work: (copy: (count: number, fill: RowFill) => Promise<void>) => Promise<(inserted: number) => ImportProgress>): Promise<number> {
    await this.client.query('begin');
    try {
      let staged = 0;
      const progressFor = await work(async (count, fill) => {
        if (count === 0) return;
        await pipeline(Readable.from(copyLines(count, fill)), this.client.query(copyFrom(`copy contacts_import_stage (${CONTACT_COLUMNS.join(', ')}) from stdin`)));
        staged += count;
      });
      let inserted = 0;
      if (staged > 0) {
        const result = await this.client.query('insert into contacts select * from contacts_import_stage on conflict (phone, list_id, import_key) do nothing');
        inserted = result.rowCount ?? 0;
      }
      const progress = progressFor(inserted);
      await this.client.query(
        'update imports set rows = $1, imported = $2, duplicates = $3, rejected = $4, committed_row = $5, summary_json = $6 where id = $7',
        [progress.rows, progress.imported, progress.duplicates, progress.rejected, progress.committedRow, progress.summaryJson, importId],
      );
      await this.client.query('commit');
      return inserted;
    } catch (error) {
      await this.client.query('rollback').catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
