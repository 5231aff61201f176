/**
 * An incremental CSV parser (RFC 4180 plus what vendor files do in practice): feed it decoded text in chunks of any
 * size, get back whole records. It never holds more than one unfinished record, and that record is capped, so a
 * 100 MB line or a file of binary junk is an error naming the row and column instead of running out of memory.
 */

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** 1-based record number in the file, the header included (what a spreadsheet shows as the row). */
  row: number;
  fields: string[];
}

/** A structural problem with the file; names where it is. */
export class CsvFormatError extends Error {
  constructor(
    readonly row: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`row ${row}, column ${column}: ${problem}`);
  }
}

export interface CsvParserOptions {
  delimiter: CsvDelimiter;
  /** Longest record accepted, in characters. */
  maxRecordChars?: number;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;
const TAB = 9;
export const DEFAULT_MAX_RECORD_CHARS = 1 << 20;

export class CsvParser {
  private pending = '';
  private row = 0;
  private readonly delimiterCode: number;
  private readonly maxRecordChars: number;

  constructor(options: CsvParserOptions) {
    this.delimiterCode = options.delimiter.charCodeAt(0);
    this.maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  /** Parses every record completed by this chunk. */
  push(chunk: string, out: CsvRecord[] = []): CsvRecord[] {
    const text = this.pending === '' ? chunk : this.pending + chunk;
    const consumed = this.parse(text, false, out);
    this.pending = consumed === text.length ? '' : text.slice(consumed);
    if (this.pending.length > this.maxRecordChars) {
      throw new CsvFormatError(this.row + 1, this.columnsIn(this.pending), `record longer than ${this.maxRecordChars} characters (a missing closing quote, or not a CSV file)`);
    }
    return out;
  }

  /** Parses what is left at the end of the input. */
  end(out: CsvRecord[] = []): CsvRecord[] {
    if (this.pending !== '') this.parse(this.pending, true, out);
    this.pending = '';
    return out;
  }

  private columnsIn(text: string): number {
    let n = 1;
    for (let i = 0; i < text.length && i < 100_000; i++) if (text.charCodeAt(i) === this.delimiterCode) n++;
    return n;
  }

  /** Returns how many characters were consumed (up to the end of the last whole record). */
  private parse(text: string, final: boolean, out: CsvRecord[]): number {
    const d = this.delimiterCode;
    const len = text.length;
    let recordStart = 0;
    let i = 0;
    while (i < len) {
      // One record.
      const fields: string[] = [];
      let complete = false;
      while (true) {
        const column = fields.length + 1;
        if (i < len && text.charCodeAt(i) === QUOTE) {
          // Quoted field.
          let value = '';
          let segment = i + 1;
          let j = i + 1;
          let closed = false;
          while (j < len) {
            const q = text.indexOf('"', j);
            if (q < 0) { j = len; break; }
            if (q + 1 < len && text.charCodeAt(q + 1) === QUOTE) {
              value += text.slice(segment, q + 1);
              j = q + 2;
              segment = j;
              continue;
            }
            if (q + 1 >= len && !final) { j = len; break; } // cannot tell "" from " yet
            value += text.slice(segment, q);
            j = q + 1;
            closed = true;
            break;
          }
          if (!closed) {
            if (final) throw new CsvFormatError(this.row + 1, column, 'quoted field is not closed before the end of the file');
            return recordStart;
          }
          this.checkControl(value, column);
          fields.push(value);
          i = j;
          if (i >= len) {
            if (final) { complete = true; break; }
            return recordStart;
          }
          const c = text.charCodeAt(i);
          if (c === d) { i++; continue; }
          if (c === LF) { i++; complete = true; break; }
          if (c === CR) {
            if (i + 1 >= len && !final) return recordStart;
            i += i + 1 < len && text.charCodeAt(i + 1) === LF ? 2 : 1;
            complete = true;
            break;
          }
          throw new CsvFormatError(this.row + 1, column, `unexpected ${describeChar(c)} after a closing quote (quotes inside a quoted field must be doubled)`);
        }
        // Unquoted field: runs to the delimiter or the end of the line.
        let j = i;
        let c = 0;
        while (j < len) {
          c = text.charCodeAt(j);
          if (c === d || c === LF || c === CR) break;
          if (c < 32 && c !== TAB) throw new CsvFormatError(this.row + 1, column, `${describeChar(c)} in the data: this looks like a binary file, not CSV text`);
          j++;
        }
        if (j >= len && !final) return recordStart;
        fields.push(text.slice(i, j));
        if (j >= len) { i = len; complete = true; break; }
        if (c === d) { i = j + 1; if (i >= len && final) { fields.push(''); complete = true; break; } continue; }
        if (c === LF) { i = j + 1; complete = true; break; }
        // CR
        if (j + 1 >= len && !final) return recordStart;
        i = j + 1 < len && text.charCodeAt(j + 1) === LF ? j + 2 : j + 1;
        complete = true;
        break;
      }
      if (!complete) return recordStart;
      this.row++;
      // A blank line is not a record.
      if (!(fields.length === 1 && fields[0] === '')) out.push({ row: this.row, fields });
      recordStart = i;
    }
    return recordStart;
  }

  private checkControl(value: string, column: number): void {
    for (let k = 0; k < value.length; k++) {
      const c = value.charCodeAt(k);
      if (c < 32 && c !== TAB && c !== LF && c !== CR) {
        throw new CsvFormatError(this.row + 1, column, `${describeChar(c)} in the data: this looks like a binary file, not CSV text`);
      }
    }
  }
}

function describeChar(code: number): string {
  return `character 0x${code.toString(16).padStart(2, '0')}`;
}

/**
 * Picks the delimiter from a sample of the file's start: the candidate that splits the first lines into the same,
 * largest number of fields (quotes respected).
 */
export function sniffDelimiter(sample: string): CsvDelimiter {
  const lines = sample.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 20);
  if (lines.length > 1 && !/\r?\n$/.test(sample)) lines.pop(); // the last line may be cut
  let best: CsvDelimiter = ',';
  let bestScore = -1;
  for (const candidate of [',', ';', '\t'] as const) {
    const counts = lines.map((l) => countOutsideQuotes(l, candidate));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length;
    const score = consistent * 1000 + first;
    if (score > bestScore) { bestScore = score; best = candidate; }
  }
  return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) n++;
  }
  return n;
}
