import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, writeSync } from 'node:fs';

/** Numbers per area code: NXX-XXXX, 0 … 9 999 999. */
const SUBSCRIBERS = 10_000_000;
export const BITSET_BYTES = SUBSCRIBERS / 8;
const MAGIC = 'ODNCREG1';

export interface AreaCodeState {
  npa: number;
  /** Date of the registry data this area code holds (YYYY-MM-DD). */
  syncedAt: string;
  count: number;
}

/**
 * The national Do Not Call registry in memory: one bitset of 10^7 bits (1.25 MB) per area code present, so 250 M
 * numbers over ~330 area codes take ~410 MB and a lookup is an array index and a bit test. See ADR 0006.
 */
export class NationalRegistry {
  /** Indexed by area code (200 … 999). */
  private readonly bits: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(1000);
  private readonly synced = new Map<number, string>();
  private readonly counts = new Map<number, number>();

  /** Whether a 10-digit NANP number (as a number: NPA * 10^7 + subscriber) is listed. */
  hasNumber(ten: number): boolean {
    const npa = Math.floor(ten / SUBSCRIBERS);
    const set = this.bits[npa];
    if (set === undefined) return false;
    const sub = ten - npa * SUBSCRIBERS;
    return ((set[sub >>> 3] as number) & (1 << (sub & 7))) !== 0;
  }

  /** Whether an E.164 number is listed (only +1 numbers can be). Reads the digits in place: no allocation. */
  has(e164: string): boolean {
    if (e164.length !== 12 || e164.charCodeAt(0) !== 43 || e164.charCodeAt(1) !== 49) return false;
    let npa = 0;
    for (let i = 2; i < 5; i++) {
      const d = e164.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return false;
      npa = npa * 10 + d;
    }
    const set = this.bits[npa];
    if (set === undefined) return false;
    let sub = 0;
    for (let i = 5; i < 12; i++) {
      const d = e164.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return false;
      sub = sub * 10 + d;
    }
    return ((set[sub >>> 3] as number) & (1 << (sub & 7))) !== 0;
  }

  /** The sync date of the number's area code when the number is listed, else null. */
  listedSince(e164: string): string | null {
    if (!this.has(e164)) return null;
    return this.synced.get(Number(e164.slice(2, 5))) ?? null;
  }

  areaCodes(): AreaCodeState[] {
    const out: AreaCodeState[] = [];
    for (let npa = 0; npa < 1000; npa++) {
      if (this.bits[npa] === undefined) continue;
      out.push({ npa, syncedAt: this.synced.get(npa) ?? '', count: this.countOf(npa) });
    }
    return out;
  }

  size(): number {
    let total = 0;
    for (let npa = 0; npa < 1000; npa++) if (this.bits[npa] !== undefined) total += this.countOf(npa);
    return total;
  }

  /** Replaces an area code's whole set (a full file). */
  replaceAreaCode(npa: number, set: Uint8Array, syncedAt: string): void {
    if (set.length !== BITSET_BYTES) throw new Error(`area code ${npa}: bitset of ${set.length} bytes, expected ${BITSET_BYTES}`);
    this.bits[npa] = set;
    this.synced.set(npa, syncedAt);
    this.counts.delete(npa);
  }

  /** Applies a change file's additions and deletions to an area code. */
  applyChanges(npa: number, added: Iterable<number>, removed: Iterable<number>, syncedAt: string): void {
    let set = this.bits[npa];
    if (set === undefined) {
      set = new Uint8Array(BITSET_BYTES);
      this.bits[npa] = set;
    }
    for (const sub of added) set[sub >>> 3] = (set[sub >>> 3] ?? 0) | (1 << (sub & 7));
    for (const sub of removed) set[sub >>> 3] = (set[sub >>> 3] ?? 0) & ~(1 << (sub & 7));
    this.synced.set(npa, syncedAt);
    this.counts.delete(npa);
  }

  private countOf(npa: number): number {
    const cached = this.counts.get(npa);
    if (cached !== undefined) return cached;
    const set = this.bits[npa];
    let n = 0;
    if (set !== undefined) {
      const words = new Uint32Array(set.buffer, set.byteOffset, set.byteLength >>> 2);
      for (let i = 0; i < words.length; i++) {
        let v = words[i] ?? 0;
        v -= (v >>> 1) & 0x55555555;
        v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
        n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
      }
    }
    this.counts.set(npa, n);
    return n;
  }

  /**
   * Writes the binary form: magic, area-code count, then per area code its number (u16), sync date (10 bytes
   * ASCII) and bitset. Written to a temporary file and renamed, so a crash never leaves half a registry.
   */
  save(path: string): void {
    const tmp = `${path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      const present = this.areaCodes();
      const header = Buffer.alloc(12);
      header.write(MAGIC, 0, 'ascii');
      header.writeUInt32LE(present.length, 8);
      writeSync(fd, header);
      for (const { npa, syncedAt } of present) {
        const entry = Buffer.alloc(12);
        entry.writeUInt16LE(npa, 0);
        entry.write(syncedAt.padEnd(10, ' ').slice(0, 10), 2, 'ascii');
        writeSync(fd, entry);
        writeSync(fd, this.bits[npa] as Uint8Array);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  }

  /** Reads the binary form; an absent file is an empty registry. */
  static load(path: string): NationalRegistry {
    const registry = new NationalRegistry();
    if (!existsSync(path)) return registry;
    const fd = openSync(path, 'r');
    try {
      const header = Buffer.alloc(12);
      readExactly(fd, header, path);
      if (header.toString('ascii', 0, 8) !== MAGIC) throw new Error(`${path}: not an Outdial DNC registry file`);
      const count = header.readUInt32LE(8);
      for (let k = 0; k < count; k++) {
        const entry = Buffer.alloc(12);
        readExactly(fd, entry, path);
        const npa = entry.readUInt16LE(0);
        const syncedAt = entry.toString('ascii', 2, 12).trim();
        const set = new Uint8Array(BITSET_BYTES);
        readExactly(fd, set, path);
        registry.replaceAreaCode(npa, set, syncedAt);
      }
    } finally {
      closeSync(fd);
    }
    return registry;
  }
}

function readExactly(fd: number, into: Uint8Array, path: string): void {
  let off = 0;
  while (off < into.length) {
    const n = readSync(fd, into, off, into.length - off, null);
    if (n === 0) throw new Error(`${path}: truncated registry file`);
    off += n;
  }
}
