import type { PackedWriter } from './packed-writer.ts';

/**
 * The import key: a 64-bit hash of the row's cells (two 32-bit FNV-1a variants), so the same row of a re-run is
 * recognised. Cheap enough for millions of rows; a collision needs ~4 billion rows in one list to become likely.
 */
export function importKey(fields: readonly string[]): string {
  hashCells(fields);
  return base36Pair(hashes[0] as number, hashes[1] as number);
}

/** The import key written into the packed text, without making its string. */
export function writeImportKey(w: PackedWriter, fields: readonly string[]): void {
  hashCells(fields);
  writeBase36(w, hashes[0] as number);
  writeBase36(w, hashes[1] as number);
}

const hashes = new Float64Array(2);

/** The two 32-bit hashes of the import key (unsigned), left in `hashes`. */
function hashCells(fields: readonly string[]): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ fields.length;
  for (let k = 0; k < fields.length; k++) {
    const field = fields[k] as string;
    for (let i = 0; i < field.length; i++) {
      const c = field.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 = Math.imul(h1 ^ 0x1f, 0x01000193);
    h2 = Math.imul(h2 ^ 0x1f, 0x5bd1e995);
  }
  hashes[0] = h1 >>> 0;
  hashes[1] = h2 >>> 0;
}

const BASE36 = Array.from('0123456789abcdefghijklmnopqrstuvwxyz', (ch) => ch.charCodeAt(0));
const digits36 = new Int32Array(7);

/** The 7 base-36 digits of an unsigned 32-bit number (36^7 > 2^32) into `digits36`, most significant first. */
function toBase36(value: number): void {
  for (let i = 6; i >= 0; i--) {
    const high = Math.floor(value / 36);
    digits36[i] = BASE36[value - high * 36] as number;
    value = high;
  }
}

function writeBase36(w: PackedWriter, value: number): void {
  toBase36(value);
  for (let i = 0; i < 7; i++) w.code(digits36[i] as number);
}

/**
 * `a.toString(36).padStart(7, '0') + b.toString(36).padStart(7, '0')` as one flat string: toString(36) of a number
 * above 2^31 went through fmod, per digit.
 */
function base36Pair(a: number, b: number): string {
  toBase36(a);
  const a0 = digits36[0] as number; const a1 = digits36[1] as number; const a2 = digits36[2] as number; const a3 = digits36[3] as number;
  const a4 = digits36[4] as number; const a5 = digits36[5] as number; const a6 = digits36[6] as number;
  toBase36(b);
  return String.fromCharCode(a0, a1, a2, a3, a4, a5, a6, digits36[0] as number, digits36[1] as number, digits36[2] as number,
    digits36[3] as number, digits36[4] as number, digits36[5] as number, digits36[6] as number);
}
