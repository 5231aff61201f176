import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { DncListsRepository } from '@outdial/store/repositories/contact-import-dnc.repository';
import { ContactImportRepository } from '@outdial/store/repositories/contact-import.repository';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { DncLists } from '@outdial/contacts/dnc/dnc-lists';
import { importContacts, ImportInputError } from '@outdial/contacts/import/import-pipeline';
import type { ImportRequest } from '@outdial/contacts/import/import-pipeline';
import { forEachDialect, sampleCampaign, uniqueName } from '../../support/store-fixtures.ts';

const NOW = Date.UTC(2026, 10, 27, 15);
const dir = mkdtempSync(join(tmpdir(), 'outdial-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const LIST_CSV = `First Name,Last Name,Phone,Phone 2,State,Zip,Home Owner,Income,Last Purchase At
Ann,Lee,(212) 201-0123,,NY,10001,yes,50000,2026-01-05
Bob,Ray,212.201.0124 x12,+1 310 555 0100,CA,90001,no,"62,000",2025-06-30
Cid,Foo,+1 212 2010125,,NY,10001,yes,70000,2024-01-01
Dee,Bar,0012122010126,,KY,42101,no,10,2026-11-01
Eve,Baz,12345,,NY,,no,10,2026-11-01
Fay,Qux,,,NY,,no,10,2026-11-01
Gus,Dup,(212) 201-0123,,NY,,no,10,2026-11-01
Hal,Rag,2122010127
Ian,Odd,2122010128,,NY,,yes,lots,2026-11-01
`;

forEachDialect('contact import', (getStore) => {
  const registry = (): string => join(dir, `${getStore().kind}-${uniqueName('reg')}.bin`);
  const request = (overrides: Partial<ImportRequest> & { file: string }): ImportRequest => ({
    db: getStore().db, storeUrl: getStore().url, listName: uniqueName('list'), dnc: DncLists.open(getStore().db, registry()), now: () => NOW, ...overrides,
  });
  const contactsOf = async (listId: string) => getStore().db.selectFrom('contacts').selectAll().where('list_id', '=', listId).orderBy('source_row').execute();

  it('ends every row imported, duplicate or rejected with a reason, and writes the rejects to fix', async () => {
    const rejects = join(dir, `${getStore().kind}-rejects.csv`);
    // Income is text in the sample ("lots"): the override makes it a number and rejects Ian's row.
    const summary = await importContacts(request({ file: file('list.csv', LIST_CSV), rejectsFile: rejects, types: ['income=number'] }));
    expect(summary).toMatchObject({ rows: 9, imported: 4, duplicates: 1, rejected: 4, rejectReasons: { invalid_phone: 1, missing_phone: 1, ragged_row: 1, invalid_attribute: 1 } });
    expect(summary.imported + summary.duplicates + summary.rejected).toBe(summary.rows);
    const lines = readFileSync(rejects, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('First Name,Last Name,Phone,Phone 2,State,Zip,Home Owner,Income,Last Purchase At,reason,detail');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['Eve', 'Fay', 'Hal', 'Ian']);
    expect(lines[4]).toContain('invalid_attribute');
    expect(lines[4]).toContain('column 8 (Income)');

    const rows = await contactsOf(summary.listId);
    expect(rows.map((r) => r.phone)).toEqual(['+12122010123', '+12122010124', '+12122010125', '+12122010126']);
    const bob = rows[1];
    expect(JSON.parse(bob?.phones_json ?? '[]')).toEqual([{ phone: '+12122010124', ext: '12', kind: 'phone' }, { phone: '+13105550100', ext: null, kind: 'phone2' }]);
    expect(JSON.parse(bob?.attributes_json ?? '{}')).toEqual({ homeOwner: false, income: 62000, lastPurchaseAt: '2025-06-30T00:00:00.000Z' });
    // Area code 212 (New York) with a California address: both zones, both states.
    expect(JSON.parse(bob?.timezones_json ?? '[]')).toEqual(expect.arrayContaining(['America/New_York', 'America/Los_Angeles']));
    expect(JSON.parse(bob?.jurisdictions_json ?? '[]')).toEqual(expect.arrayContaining(['US', 'US-NY', 'US-CA']));
    // Bowling Green KY is Central although the number is a New York one.
    expect(JSON.parse(rows[3]?.timezones_json ?? '[]')).toEqual(expect.arrayContaining(['America/Chicago', 'America/New_York']));
    const list = await new ListsRepository(getStore().db).get(summary.listId);
    expect(list?.columnMapping).toMatchObject({ Phone: 'phone', 'Phone 2': 'phone2', Income: 'income:number', 'Home Owner': 'homeOwner:boolean', 'Last Purchase At': 'lastPurchaseAt:date' });
  });

  it('changes nothing when the same file is imported again', async () => {
    const listName = uniqueName('rerun');
    const path = file('rerun.csv', LIST_CSV);
    const first = await importContacts(request({ file: path, listName, types: ['income=number'] }));
    const before = await contactsOf(first.listId);
    const again = await importContacts(request({ file: path, listName, types: ['income=number'] }));
    expect(again).toMatchObject({ rows: 9, imported: 0, duplicates: 5, rejected: 4 });
    expect(await contactsOf(first.listId)).toEqual(before);
  });

  it('lets the unique (phone, list, import key) index refuse a row stored already, as the second guard', async () => {
    const first = await importContacts(request({ file: file('guard.csv', 'phone,name\n2122010301,Ann\n'), listName: uniqueName('guard') }));
    const [stored] = await contactsOf(first.listId);
    if (stored === undefined) throw new Error('nothing imported');
    const { priority: _p, attempts: _a, last_outcome: _o, last_attempt_at: _t, claimed_by: _c, claim_expires_at: _e, ...row } = stored;
    const repo = new ContactImportRepository(getStore().db);
    // The same phone, list and key under a new id: refused. The same key with another phone is another row.
    expect(await repo.insertContacts([{ ...row, id: `${row.id}-again` }])).toBe(0);
    expect(await repo.insertContacts([{ ...row, id: `${row.id}-other`, phone: '+12122010302' }])).toBe(1);
    expect((await contactsOf(first.listId)).map((r) => r.phone).sort()).toEqual(['+12122010301', '+12122010302']);
  });

  it('resumes an interrupted import after its last committed batch, losing and duplicating nothing', async () => {
    const listName = uniqueName('resume');
    const rows = Array.from({ length: 95 }, (_, i) => `${2122010200 + i},name${i}`).join('\n');
    const path = file(`resume-${getStore().kind}.csv`, `phone,name\n${rows}\n`);
    let commits = 0;
    await expect(importContacts(request({
      file: path, listName, batchRows: 20, transactionRows: 20,
      onProgress: () => { if (++commits === 2) throw new Error('power cut'); },
    }))).rejects.toThrow('power cut');
    const list = await new ListsRepository(getStore().db).findByName(listName);
    expect((await contactsOf(list?.id ?? '')).length).toBe(40);
    const resumed = await importContacts(request({ file: path, listName, batchRows: 20, transactionRows: 20 }));
    expect(resumed).toMatchObject({ rows: 95, imported: 95, duplicates: 0, rejected: 0 });
    const stored = await contactsOf(list?.id ?? '');
    expect(stored.length).toBe(95);
    expect(new Set(stored.map((r) => r.phone)).size).toBe(95);
  });

  it('commits several batches per transaction, and resumes after the last transaction committed', async () => {
    const listName = uniqueName('groups');
    const rows = Array.from({ length: 95 }, (_, i) => `${2122010600 + i},name${i}`).join('\n');
    const path = file(`groups-${getStore().kind}.csv`, `phone,name\n${rows}\n`);
    const committed: number[] = [];
    await expect(importContacts(request({
      file: path, listName, batchRows: 10, transactionRows: 30, transactionMs: 60_000,
      onProgress: (event) => { committed.push(event.rows); if (committed.length === 2) throw new Error('power cut'); },
    }))).rejects.toThrow('power cut');
    // Three 10-row batches per transaction: the progress comes once per commit.
    expect(committed).toEqual([30, 60]);
    const list = await new ListsRepository(getStore().db).findByName(listName);
    expect((await contactsOf(list?.id ?? '')).length).toBe(60);
    const record = await getStore().db.selectFrom('imports').selectAll().where('list_id', '=', list?.id ?? '').executeTakeFirstOrThrow();
    expect(record).toMatchObject({ committed_row: 61, imported: 60 });
    const resumed = await importContacts(request({ file: path, listName, batchRows: 10, transactionRows: 30 }));
    expect(resumed).toMatchObject({ rows: 95, imported: 95, duplicates: 0, rejected: 0 });
    expect(new Set((await contactsOf(list?.id ?? '')).map((r) => r.phone)).size).toBe(95);
  });

  it('skips numbers already in the campaign\'s other lists and attaches the list to the campaign', async () => {
    const db = getStore().db;
    const other = await importContacts(request({ file: file('other.csv', 'phone\n2122010301\n2122010302\n') }));
    const campaign = await new CampaignsRepository(db).create(sampleCampaign({ name: uniqueName('camp'), listIds: [other.listId] }));
    if (!campaign.ok) throw new Error(campaign.message);
    const summary = await importContacts(request({ file: file('more.csv', 'phone\n212-201-0302\n212-201-0303\n'), campaignName: campaign.value.name }));
    expect(summary).toMatchObject({ rows: 2, imported: 1, duplicates: 1 });
    const links = await db.selectFrom('campaign_lists').select('list_id').where('campaign_id', '=', campaign.value.id).execute();
    expect(links.map((l) => l.list_id).sort()).toEqual([other.listId, summary.listId].sort());
  });

  it('flags do-not-call hits and marks internal-list numbers not dialable', async () => {
    const db = getStore().db;
    const path = registry();
    writeFileSync(join(dir, 'npa212.txt'), '2122010401\n212,2010402\n');
    await DncLists.open(db, path).loadNational([join(dir, 'npa212.txt')], '2026-11-20', NOW);
    await new DncListsRepository(db).add('internal', null, ['+12122010403'], 'test', 'asked not to be called', NOW);
    const summary = await importContacts(request({ file: file('dnc.csv', 'phone,phone2\n(212) 201-0401,\n212.201.0403,\n2122010404,+1 212 201 0402\n2122010405,\n'), dnc: DncLists.open(db, path) }));
    expect(summary.dncFlagged).toBe(3);
    const rows = await contactsOf(summary.listId);
    expect(rows.map((r) => [r.phone, r.dnc_flag, r.status])).toEqual([
      ['+12122010401', 1, 'dialable'], ['+12122010403', 1, 'dnc'], ['+12122010404', 1, 'dialable'], ['+12122010405', 0, 'dialable'],
    ]);
  });

  it('refuses a mapping that names a missing column, naming it, and imports nothing', async () => {
    const listName = uniqueName('badmap');
    await expect(importContacts(request({ file: file('m.csv', 'phone,name\n2122010123,Ann\n'), listName, mappings: ['Telephone=phone'] })))
      .rejects.toThrow(/--map Telephone=phone: the file has no column "Telephone" \(columns: phone, name\)/);
    expect(await new ListsRepository(getStore().db).findByName(listName)).toBeUndefined();
  });

  it('uses --map and --type, and a file without a header', async () => {
    const summary = await importContacts(request({
      file: file('nohead.csv', 'Ann;(212) 201-0501;1\nBob;(212) 201-0502;0\n'), mappings: ['1=firstName'], types: ['column3=boolean'],
    }));
    expect(summary).toMatchObject({ rows: 2, imported: 2 });
    const rows = await contactsOf(summary.listId);
    expect(rows.map((r) => [r.first_name, r.phone, JSON.parse(r.attributes_json)])).toEqual([
      ['Ann', '+12122010501', { column3: true }], ['Bob', '+12122010502', { column3: false }],
    ]);
  });

  it('stops at a malformed row with its row and column, keeping what earlier batches stored', async () => {
    // Bigger than the first read, so that batches commit before the parser meets the bad quote at the end.
    const good = Array.from({ length: 30_000 }, (_, i) => `${2122000000 + i},x`).join('\n');
    const listName = uniqueName('broken');
    const path = file(`broken-${getStore().kind}.csv`, `phone,name\n${good}\n2123000000,"open quote\n`);
    const failed = importContacts(request({ file: path, listName, batchRows: 5000 }));
    await expect(failed).rejects.toThrow(ImportInputError);
    await expect(failed).rejects.toThrow(/row 30002, column 2: quoted field is not closed/);
    const list = await new ListsRepository(getStore().db).findByName(listName);
    expect((await contactsOf(list?.id ?? '')).length).toBe(30_000);
    const record = await getStore().db.selectFrom('imports').selectAll().where('list_id', '=', list?.id ?? '').executeTakeFirst();
    expect(record).toMatchObject({ status: 'failed', committed_row: 30_001 });
  });
});
