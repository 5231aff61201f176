import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DncLists } from '@outdial/contacts/dnc/dnc-lists';
import { writeContactsFile } from '@outdial/contacts/generate/contacts-generator';
import { importContacts, ImportInputError } from '@outdial/contacts/import/import-pipeline';
import type { ImportRequest } from '@outdial/contacts/import/import-pipeline';
import { forEachDialect, uniqueName } from '../../support/store-fixtures.ts';

const NOW = Date.UTC(2026, 10, 27, 15);
const dir = mkdtempSync(join(tmpdir(), 'outdial-import-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const generated = join(dir, 'generated.csv');
await writeContactsFile(generated, { rows: 3000, seed: 7, invalidShare: 0.05 });

/** Everything an import stored, without the ids and list ids that differ between two imports of the same file. */
const COMPARED = ['phone', 'phones_json', 'first_name', 'last_name', 'email', 'address', 'city', 'region', 'postal_code', 'country', 'timezones_json',
  'jurisdictions_json', 'line_type', 'attributes_json', 'status', 'next_dial_at', 'dnc_flag', 'import_key', 'source_row', 'created_at', 'updated_at'] as const;

forEachDialect('contact import in a worker thread', (getStore) => {
  const request = (overrides: Partial<ImportRequest> & { file: string }): ImportRequest => ({
    db: getStore().db, storeUrl: getStore().url, listName: uniqueName('list'), now: () => NOW,
    dnc: DncLists.open(getStore().db, join(dir, `${getStore().kind}-${uniqueName('reg')}.bin`)), ...overrides,
  });
  const stored = async (listId: string) => (await getStore().db.selectFrom('contacts').select(COMPARED).where('list_id', '=', listId).orderBy('source_row').execute());

  it('stores exactly what the same import on the main thread stores, rejects file included', async () => {
    const inThread = await importContacts(request({ file: generated, parallel: false, batchRows: 700, rejectsFile: join(dir, `${getStore().kind}-a.csv`) }));
    const inWorker = await importContacts(request({ file: generated, parallel: true, batchRows: 700, rejectsFile: join(dir, `${getStore().kind}-b.csv`) }));
    expect(inThread.rows).toBe(3000);
    expect(inThread.rejected).toBeGreaterThan(100);
    const { seconds: _a, importId: _b, listId: _c, ...expected } = inThread;
    expect(inWorker).toMatchObject(expected);
    const rows = await stored(inThread.listId);
    expect(rows.length).toBe(inThread.imported);
    expect(await stored(inWorker.listId)).toEqual(rows);
    expect(readFileSync(join(dir, `${getStore().kind}-b.csv`), 'utf8')).toBe(readFileSync(join(dir, `${getStore().kind}-a.csv`), 'utf8'));
    const again = await importContacts(request({ file: generated, parallel: true, batchRows: 700, listName: undefined, listId: inWorker.listId }));
    expect(again).toMatchObject({ rows: 3000, imported: 0, rejected: inThread.rejected, duplicates: inThread.imported + inThread.duplicates });
  });

  it('reports a malformed row found by the worker with its row and column, keeping the batches before it', async () => {
    // Longer than the head the main thread samples, so that the worker is the one to meet the bad quote.
    const good = Array.from({ length: 30_000 }, (_, i) => `${2122000000 + i},x`).join('\n');
    const path = join(dir, `broken-${getStore().kind}.csv`);
    writeFileSync(path, `phone,name\n${good}\n2123000000,"open quote\n`);
    const listName = uniqueName('broken');
    const failed = importContacts(request({ file: path, listName, batchRows: 4000, parallel: true }));
    await expect(failed).rejects.toThrow(ImportInputError);
    await expect(failed).rejects.toThrow(/row 30002, column 2: quoted field is not closed/);
    const list = await getStore().db.selectFrom('lists').select('id').where('name', '=', listName).executeTakeFirstOrThrow();
    const record = await getStore().db.selectFrom('imports').selectAll().where('list_id', '=', list.id).executeTakeFirstOrThrow();
    expect(record).toMatchObject({ status: 'failed', committed_row: 28_001, imported: 28_000 });
  });
});
