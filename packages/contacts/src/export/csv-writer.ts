import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * A cell that a spreadsheet would run as a formula (=, +, -, @, and tab or carriage return that some spreadsheets
 * strip first) gets a leading apostrophe, so an exported list cannot execute anything when opened (CSV injection).
 */
export function neutraliseFormula(cell: string): string {
  const c = cell.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 ? `'${cell}` : cell;
}

export function csvCell(value: string): string {
  return /[",\r\n;\t]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export interface CsvWriterOptions {
  /** Neutralise formula-like cells (exports: yes; a rejects file meant for re-import: no). */
  neutralise?: boolean;
}

/** Writes CSV rows to a stream with backpressure. */
export class CsvWriter {
  private constructor(
    private readonly out: Writable,
    private readonly options: CsvWriterOptions,
    private readonly owned: boolean,
  ) {}

  static async create(path: string, options: CsvWriterOptions = {}): Promise<CsvWriter> {
    const stream: WriteStream = createWriteStream(path);
    await once(stream, 'open');
    return new CsvWriter(stream, options, true);
  }

  static on(out: Writable, options: CsvWriterOptions = {}): CsvWriter {
    return new CsvWriter(out, options, false);
  }

  async row(cells: readonly (string | number | boolean | null | undefined)[]): Promise<void> {
    const line = cells.map((v) => {
      const s = v === null || v === undefined ? '' : String(v);
      return csvCell(this.options.neutralise === true ? neutraliseFormula(s) : s);
    }).join(',');
    if (!this.out.write(`${line}\r\n`)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    this.out.end();
    await once(this.out, 'finish');
  }
}
