import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import { seededRandom } from '@outdial/core/random/seeded-random';
import type { Random } from '@outdial/core/random/seeded-random';

/** Area codes in service with their state and a ZIP prefix of that state, for realistic synthetic rows. */
const AREAS: readonly [string, string, string][] = [
  ['212', 'NY', '100'], ['718', 'NY', '112'], ['213', 'CA', '900'], ['415', 'CA', '941'], ['305', 'FL', '331'], ['850', 'FL', '325'],
  ['512', 'TX', '787'], ['713', 'TX', '770'], ['915', 'TX', '799'], ['312', 'IL', '606'], ['404', 'GA', '303'], ['602', 'AZ', '850'],
  ['928', 'AZ', '860'], ['206', 'WA', '981'], ['617', 'MA', '021'], ['702', 'NV', '891'], ['303', 'CO', '802'], ['615', 'TN', '372'],
  ['270', 'KY', '421'], ['219', 'IN', '463'], ['907', 'AK', '995'], ['808', 'HI', '968'], ['541', 'OR', '974'], ['701', 'ND', '581'],
];
const FIRST = ['Ann', 'Bob', 'Carla', 'Dev', 'Eve', 'Farid', 'Gus', 'Hana', 'Ivan', 'José', 'Kim', 'Lena', 'Mo', 'Nia', 'Zoë'];
const LAST = ['Lee', 'Smith', 'García', 'Nguyen', 'Okafor', 'Brown', "O'Neil", 'Kowalski', 'Jones, Jr.', 'Müller'];

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random.next() * items.length)] as T;
}

function digits(random: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(random.next() * 10));
  return s;
}

/** A phone in one of the messy forms vendor lists use; `invalid` gives a number that must be rejected. */
export function messyPhone(random: Random, npa: string, invalid: boolean): string {
  if (invalid) return pick(random, ['12345', `${npa}-555`, 'n/a', `(${npa}) 101-${digits(random, 4)}`, '555-0100', 'CALL ME']);
  const nxx = String(2 + Math.floor(random.next() * 8)) + digits(random, 2);
  const line = digits(random, 4);
  const ext = random.next() < 0.03 ? ` x${digits(random, 3)}` : '';
  switch (Math.floor(random.next() * 7)) {
    case 0: return `(${npa}) ${nxx}-${line}${ext}`;
    case 1: return `${npa}.${nxx}.${line}${ext}`;
    case 2: return `+1 ${npa} ${nxx}${line}`;
    case 3: return `001${npa}${nxx}${line}`;
    case 4: return `1-${npa}-${nxx}-${line}${ext}`;
    case 5: return `${npa}${nxx}${line}`;
    default: return `${npa}-${nxx}-${line} ext. ${digits(random, 2)}`;
  }
}

export interface ContactsFileOptions {
  rows: number;
  seed?: number;
  /** Share of rows with an invalid or missing phone. */
  invalidShare?: number;
  gzip?: boolean;
}

/**
 * Writes a synthetic contact list: messy phones (several formats, extensions, a second phone on some rows),
 * names with commas and quotes, state and ZIP, custom columns (homeOwner, income, lastPurchaseAt), 1 % invalid rows.
 */
export async function writeContactsFile(path: string, options: ContactsFileOptions): Promise<void> {
  const random = seededRandom(options.seed ?? 1);
  const invalidShare = options.invalidShare ?? 0.01;
  const file = createWriteStream(path);
  let out: Writable = file;
  if (options.gzip === true) {
    const gzip = createGzip({ level: 1 });
    gzip.pipe(file);
    out = gzip;
  }
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  let chunk = 'First Name,Last Name,Phone,Phone 2,State,Zip,Home Owner,Income,Last Purchase At\n';
  const base = Date.UTC(2024, 0, 1);
  for (let i = 0; i < options.rows; i++) {
    const [npa, state, zip] = pick(random, AREAS);
    const invalid = random.next() < invalidShare;
    const phone = invalid && random.next() < 0.2 ? '' : messyPhone(random, npa, invalid);
    const phone2 = random.next() < 0.15 ? messyPhone(random, pick(random, AREAS)[0], false) : '';
    const homeOwner = random.next() < 0.5 ? 'yes' : 'no';
    const income = String(20_000 + Math.floor(random.next() * 180) * 500);
    const purchase = new Date(base + Math.floor(random.next() * 1000) * 86_400_000).toISOString().slice(0, 10);
    chunk += `${quote(pick(random, FIRST))},${quote(pick(random, LAST))},${quote(phone)},${quote(phone2)},${state},${zip}${digits(random, 2)},${homeOwner},${income},${purchase}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(file, 'finish');
}
