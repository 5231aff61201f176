import { closeSync, openSync, readSync, createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** A registry file line that is not a number (or a change) names the file and the line. */
export class RegistryFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}, line ${line}: ${problem}`);
  }
}

export interface RegistrySink {
  /** A number of a full file, or an addition of a change file (10 digits as a number). */
  add(ten: number): void;
  /** A deletion of a change file. */
  remove(ten: number): void;
}

export interface RegistryFileSummary {
  lines: number;
  added: number;
  removed: number;
  /** Whether the file is a change file (lines carry an add/delete indicator). */
  change: boolean;
}

const ADD = new Set(['A', 'ADD', 'ADDED', 'ADDITION', 'I', 'INS', 'INSERT', 'N', 'NEW', '+']);
const REMOVE = new Set(['D', 'DEL', 'DELETE', 'DELETED', 'DELETION', 'R', 'REMOVE', 'REMOVED', '-']);
const DATE = /^(?:\d{4}-\d{2}-\d{2}(?:[T ].*)?|\d{1,2}\/\d{1,2}\/\d{2,4}|\d{8})$/;

/**
 * Reads an FTC registry file (or a state / TPS number list): full files have one number per line as `NPANXXXXXX`,
 * `NPA,NXXXXXX` or `NPA-NXX-XXXX` (a leading 1 is accepted); change files carry an add/delete indicator and a date
 * on each line (`A,2122010123,2026-11-20`, `2122010123,D`, ...). Plain files are scanned byte by byte without
 * building strings; `.gz` files are gunzipped on the fly. A line that is neither is a RegistryFormatError.
 */
export async function parseRegistryFile(path: string, sink: RegistrySink, nanpOnly = true): Promise<RegistryFileSummary> {
  const scanner = new LineScanner(path, sink, nanpOnly);
  if (path.endsWith('.gz')) {
    let carry: Buffer = Buffer.alloc(0);
    for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 }).pipe(createGunzip()) as AsyncIterable<Buffer>) {
      const buf = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      const used = scanner.scan(buf, buf.length, false);
      carry = Buffer.from(buf.subarray(used));
    }
    scanner.scan(carry, carry.length, true);
    return scanner.summary();
  }
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(8 << 20);
    let filled = 0;
    while (true) {
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const n = readSync(fd, buf, filled, buf.length - filled, null);
      if (n === 0) break;
      filled += n;
      const used = scanner.scan(buf, filled, false);
      buf.copy(buf, 0, used, filled);
      filled -= used;
      if (filled > 1 << 20) throw new RegistryFormatError(path, scanner.summary().lines + 1, 'line longer than 1 MB: not a number list');
    }
    scanner.scan(buf, filled, true);
    return scanner.summary();
  } finally {
    closeSync(fd);
  }
}

class LineScanner {
  private line = 0;
  private added = 0;
  private removed = 0;
  private mode: 'unknown' | 'full' | 'change' = 'unknown';

  constructor(
    private readonly file: string,
    private readonly sink: RegistrySink,
    private readonly nanpOnly: boolean,
  ) {}

  summary(): RegistryFileSummary {
    return { lines: this.line, added: this.added, removed: this.removed, change: this.mode === 'change' };
  }

  /** Scans whole lines of buf[0, end); returns the offset of the first byte not consumed. */
  scan(buf: Buffer, end: number, final: boolean): number {
    let lineStart = 0;
    let value = 0;
    let digits = 0;
    let other = false;
    for (let i = 0; i < end; i++) {
      const c = buf[i] as number;
      if (c === 10) {
        this.line++;
        if (other || this.mode === 'change') this.slowLine(buf.toString('latin1', lineStart, i));
        else if (digits > 0) this.fastNumber(value, digits, buf, lineStart, i);
        lineStart = i + 1;
        value = 0;
        digits = 0;
        other = false;
        continue;
      }
      if (c >= 48 && c <= 57) {
        value = value * 10 + (c - 48);
        digits++;
        continue;
      }
      if (c === 44 || c === 45 || c === 32 || c === 13 || c === 9 || c === 40 || c === 41 || c === 46) continue;
      other = true;
    }
    if (!final) return lineStart;
    if (lineStart < end) {
      this.line++;
      if (other || this.mode === 'change') this.slowLine(buf.toString('latin1', lineStart, end));
      else if (digits > 0) this.fastNumber(value, digits, buf, lineStart, end);
    }
    return end;
  }

  private fastNumber(value: number, digits: number, buf: Buffer, from: number, to: number): void {
    if (this.mode === 'unknown') this.mode = 'full';
    let ten = value;
    if (digits === 11 && value >= 1e10 && value < 2e10) ten = value - 1e10;
    else if (digits !== 10) throw new RegistryFormatError(this.file, this.line, `expected a 10-digit number, got "${buf.toString('latin1', from, Math.min(to, from + 60)).trim()}"`);
    this.accept(ten, true, buf, from, to);
  }

  /** The line's text is only decoded for an error message: no string per number on the fast path. */
  private accept(ten: number, add: boolean, source: Buffer | string, from = 0, to = source.length): void {
    if (this.nanpOnly && (ten < 2_000_000_000 || Math.floor(ten / 1_000_000) % 10 < 2)) {
      const text = typeof source === 'string' ? source : source.toString('latin1', from, to);
      throw new RegistryFormatError(this.file, this.line, `"${text.trim()}" is not a North American number (NPA and NXX start with 2-9)`);
    }
    if (add) { this.sink.add(ten); this.added++; } else { this.sink.remove(ten); this.removed++; }
  }

  private slowLine(text: string): void {
    const trimmed = text.trim();
    if (trimmed === '') return;
    const tokens = trimmed.split(/[,;\t| ]+/).map((t) => t.replace(/^"|"$/g, ''));
    let indicator: 'add' | 'remove' | null = null;
    const numberParts: string[] = [];
    for (const token of tokens) {
      const upper = token.toUpperCase();
      if (indicator === null && ADD.has(upper)) { indicator = 'add'; continue; }
      if (indicator === null && REMOVE.has(upper)) { indicator = 'remove'; continue; }
      if (DATE.test(token) && numberParts.join('').replace(/\D/g, '').length >= 10) continue;
      if (/^[\d\-().]+$/.test(token)) { numberParts.push(token); continue; }
      if (DATE.test(token)) continue;
      throw new RegistryFormatError(this.file, this.line, `unexpected "${token.slice(0, 40)}": expected a 10-digit number${this.mode === 'change' ? ' and an add/delete indicator' : ''}`);
    }
    const digits = numberParts.join('').replace(/\D/g, '');
    const ten = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
    if (ten.length !== 10) throw new RegistryFormatError(this.file, this.line, `expected a 10-digit number, got "${trimmed.slice(0, 60)}"`);
    if (indicator === null) {
      if (this.mode === 'change') throw new RegistryFormatError(this.file, this.line, 'a change-file line needs an add/delete indicator (A or D)');
      this.mode = 'full';
      this.accept(Number(ten), true, trimmed);
      return;
    }
    if (this.mode === 'full') throw new RegistryFormatError(this.file, this.line, 'an add/delete line in a full file (one number per line expected)');
    this.mode = 'change';
    this.accept(Number(ten), indicator === 'add', trimmed);
  }
}
