/**
 * Builds a batch's packed text (the cells of its contacts separated by PACK_SEPARATOR, exactly what joining the
 * cells gives) in a typed array, so that the cells are not kept as thousands of strings until a join: the collector
 * no longer copies them at every young-generation collection, and the join (and the flattening of concatenated
 * strings it did) is gone. `take()` makes the one string that crosses from the worker thread.
 * One byte per character while every character is Latin-1 (a one-byte string, as the decoded CSV text is); a
 * character above U+00FF switches the batch to two bytes per character.
 */
export class PackedWriter {
  private narrow = new Uint8Array(1 << 20);
  private wide: Uint16Array | null = null;
  private n = 0;
  private cellCount = 0;

  /** Characters written. */
  get length(): number {
    return this.n;
  }

  /** Cells written. */
  get cells(): number {
    return this.cellCount;
  }

  /** Starts the next cell (writes the separator after the previous one). */
  cell(): void {
    if (this.cellCount++ > 0) this.code(1);
  }

  /** Appends one character code (≤ U+00FF, e.g. ASCII punctuation or a digit). */
  code(c: number): void {
    if (this.n >= this.capacity()) this.grow(1);
    if (this.wide === null) this.narrow[this.n++] = c;
    else this.wide[this.n++] = c;
  }

  /** Appends a string's characters. */
  text(s: string): void {
    const len = s.length;
    if (this.n + len > this.capacity()) this.grow(len);
    let n = this.n;
    if (this.wide === null) {
      const bytes = this.narrow;
      for (let i = 0; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c > 0xff) {
          this.n = n;
          this.widen();
          this.text(s.slice(i));
          return;
        }
        bytes[n++] = c;
      }
    } else {
      const units = this.wide;
      for (let i = 0; i < len; i++) units[n++] = s.charCodeAt(i);
    }
    this.n = n;
  }

  /** Appends a non-negative integer below 2^53 in decimal, as String() writes it. */
  decimal(value: number): void {
    if (value < 10) {
      this.code(48 + value);
      return;
    }
    const high = Math.floor(value / 10);
    this.decimal(high);
    this.code(48 + (value - high * 10));
  }

  /** The packed text written since the last take, and a fresh start. */
  take(): string {
    const n = this.n;
    const text = this.wide === null
      ? Buffer.from(this.narrow.buffer, this.narrow.byteOffset, n).toString('latin1')
      : Buffer.from(this.wide.buffer, this.wide.byteOffset, n * 2).toString('utf16le');
    this.n = 0;
    this.cellCount = 0;
    this.wide = null;
    return text;
  }

  private capacity(): number {
    return this.wide === null ? this.narrow.length : this.wide.length;
  }

  private grow(extra: number): void {
    const size = Math.max(this.capacity() * 2, this.n + extra + 1024);
    if (this.wide === null) {
      const bigger = new Uint8Array(size);
      bigger.set(this.narrow.subarray(0, this.n));
      this.narrow = bigger;
    } else {
      const bigger = new Uint16Array(size);
      bigger.set(this.wide.subarray(0, this.n));
      this.wide = bigger;
    }
  }

  private widen(): void {
    const units = new Uint16Array(Math.max(this.narrow.length, 1024));
    units.set(this.narrow.subarray(0, this.n));
    this.wide = units;
  }
}
