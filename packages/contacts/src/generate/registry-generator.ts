import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '@outdial/core/random/seeded-random';

/** Area codes with the NANP shape (first digit 2-9, not N11, not 9XX reserved for expansion or 37X/96X). */
export function syntheticAreaCodes(count: number): number[] {
  const out: number[] = [];
  for (let npa = 201; npa <= 989 && out.length < count; npa++) {
    const d2 = Math.floor(npa / 10) % 10;
    const d3 = npa % 10;
    if (d2 === 1 && d3 === 1) continue;
    if (d2 === 9) continue;
    out.push(npa);
  }
  return out;
}

/**
 * Writes a synthetic national registry in the FTC layout: one file per area code, one 10-digit number per line,
 * sorted. About `total` numbers are spread evenly over `areaCodes` area codes. Returns the file paths.
 */
export function writeRegistryFiles(dir: string, total: number, areaCodes: number, seed = 1): string[] {
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(seed);
  const codes = syntheticAreaCodes(areaCodes);
  const perCode = Math.floor(total / codes.length);
  const candidates = 8_000_000; // NXX 200-999 × 10 000 lines
  const files: string[] = [];
  for (const npa of codes) {
    const path = join(dir, `${npa}.txt`);
    const buffer = Buffer.allocUnsafe(Math.ceil(perCode * 1.05) * 11 + 11);
    let offset = 0;
    const a = 48 + Math.floor(npa / 100);
    const b = 48 + (Math.floor(npa / 10) % 10);
    const c = 48 + (npa % 10);
    // Geometric skips give ~perCode numbers, in order, with one random draw per number.
    const logQ = Math.log(1 - perCode / candidates);
    let k = -1;
    while (true) {
      k += 1 + Math.floor(Math.log(1 - random.next()) / logQ);
      if (k >= candidates || offset + 11 > buffer.length) break;
      let v = 2_000_000 + k;
      buffer[offset] = a;
      buffer[offset + 1] = b;
      buffer[offset + 2] = c;
      for (let d = 9; d >= 3; d--) {
        buffer[offset + d] = 48 + (v % 10);
        v = Math.floor(v / 10);
      }
      buffer[offset + 10] = 10;
      offset += 11;
    }
    const fd = openSync(path, 'w');
    writeSync(fd, buffer, 0, offset);
    closeSync(fd);
    files.push(path);
  }
  return files;
}
