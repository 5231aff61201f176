import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvFile } from '@outdial/contacts/csv/csv-file-reader';
import type { CsvFileInfo } from '@outdial/contacts/csv/csv-file-reader';

const dir = mkdtempSync(join(tmpdir(), 'outdial-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readFile(name: string, bytes: Buffer | string): Promise<{ rows: string[][]; info: CsvFileInfo | undefined }> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const rows: string[][] = [];
  let info: CsvFileInfo | undefined;
  for await (const batch of readCsvFile(path, {}, (i) => { info = i; })) rows.push(...batch.map((r) => r.fields));
  return { rows, info };
}

describe('CSV files', () => {
  it('reads UTF-8 with a BOM', async () => {
    const { rows, info } = await readFile('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name;city\nZoë;Malmö\n')]));
    expect(rows).toEqual([['name', 'city'], ['Zoë', 'Malmö']]);
    expect(info).toMatchObject({ encoding: 'utf-8', delimiter: ';', gzip: false });
  });

  it('reads Windows-1252 when the bytes are not UTF-8', async () => {
    const { rows, info } = await readFile('cp1252.csv', iconv.encode('name,note\nJosé,“quoted” – €5\n', 'windows1252'));
    expect(rows[1]).toEqual(['José', '“quoted” – €5']);
    expect(info?.encoding).toBe('windows-1252');
  });

  it('reads .csv.gz', async () => {
    const { rows, info } = await readFile('list.csv.gz', gzipSync('phone\tname\n2122010123\tAnn\n'));
    expect(rows).toEqual([['phone', 'name'], ['2122010123', 'Ann']]);
    expect(info).toMatchObject({ gzip: true, delimiter: '\t' });
  });

  it('streams a file larger than its chunks, multi-byte characters split across chunks included', async () => {
    const line = 'Zoë,“ü”,2122010123\n';
    const { rows } = await readFile('big.csv', `a,b,c\n${line.repeat(40_000)}`);
    expect(rows).toHaveLength(40_001);
    expect(rows[40_000]).toEqual(['Zoë', '“ü”', '2122010123']);
  });

  it('yields nothing for an empty file', async () => {
    expect((await readFile('empty.csv', '')).rows).toEqual([]);
  });

  it('refuses a 100 MB line without holding it', async () => {
    const path = join(dir, 'huge.csv');
    writeFileSync(path, `phone,name\n2122010123,${'x'.repeat(100 * 1024 * 1024)}\n`);
    const read = async (): Promise<void> => { for await (const _ of readCsvFile(path)) { /* drain */ } };
    await expect(read()).rejects.toThrowError(/row 2, column 2: record longer than/);
  });
});
