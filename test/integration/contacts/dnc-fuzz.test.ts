import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { DncLists } from '@outdial/contacts/dnc/dnc-lists';
import { NationalRegistry } from '@outdial/contacts/dnc/national-registry';
import { PhoneNormaliser } from '@outdial/contacts/phone/phone-normaliser';
import { importContacts } from '@outdial/contacts/import/import-pipeline';
import { forEachDialect, uniqueName } from '../../support/store-fixtures.ts';

const NOW = Date.UTC(2026, 10, 27);
const dir = mkdtempSync(join(tmpdir(), 'outdial-dnc-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Area codes in service (libphonenumber and the geo tables know them), exchanges 200-999.
const AREA_CODES = ['212', '213', '305', '312', '415', '512', '617', '702', '808', '907', '270', '928'];
const numberArb = fc.tuple(fc.constantFrom(...AREA_CODES), fc.integer({ min: 200, max: 999 }), fc.integer({ min: 0, max: 9999 }))
  .filter(([, nxx]) => nxx % 100 !== 11)
  .map(([npa, nxx, line]) => `${npa}${nxx}${String(line).padStart(4, '0')}`);

/** Every way a vendor list or a person writes a NANP number. */
function spellings(ten: string): string[] {
  const a = ten.slice(0, 3);
  const b = ten.slice(3, 6);
  const c = ten.slice(6);
  return [
    ten, `(${a}) ${b}-${c}`, `${a}.${b}.${c}`, `${a}-${b}-${c}`, `+1 ${a} ${b}${c}`, `+1${ten}`, `1${ten}`, `1-${a}-${b}-${c}`,
    `001${ten}`, `001 ${a} ${b} ${c}`, `${a} ${b} ${c}`, `(${a})${b}-${c}`, `+1 (${a}) ${b}-${c}`, `${a}-${b}-${c} x123`,
    `${a}.${b}.${c} ext. 9`, `(${a}) ${b}-${c} extension 42`, ` ${a}/${b}-${c} `,
  ];
}

forEachDialect('do-not-call fuzz: no listed number escapes, whatever its spelling', (getStore) => {
  it('finds every listed number written in every format, in dnc check and in the import flag', async () => {
    const db = getStore().db;
    const samples = fc.sample(fc.uniqueArray(numberArb, { minLength: 40, maxLength: 40 }), { numRuns: 1, seed: 2026 })[0] ?? [];
    const listed = samples.slice(0, 30);
    const unlisted = samples.slice(30);
    // The registry file itself mixes the three FTC layouts.
    const registryText = listed.map((n, i) => (i % 3 === 0 ? n : i % 3 === 1 ? `${n.slice(0, 3)},${n.slice(3)}` : `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`)).join('\r\n');
    const registryFile = join(dir, `${getStore().kind}-registry.txt`);
    writeFileSync(registryFile, `${registryText}\n`);
    const binary = join(dir, `${getStore().kind}-${uniqueName('dnc')}.bin`);
    await DncLists.open(db, binary).loadNational([registryFile], '2026-11-20', NOW);

    // A restart reads the binary form: the same answers.
    const lists = DncLists.open(db, binary);
    expect(NationalRegistry.load(binary).size()).toBe(listed.length);
    const normaliser = new PhoneNormaliser('US');
    const escaped: string[] = [];
    const falseHits: string[] = [];
    for (const ten of [...listed, ...unlisted]) {
      for (const text of spellings(ten)) {
        const result = normaliser.normalise(text);
        if (!result.ok) { escaped.push(`${text}: ${result.detail}`); continue; }
        const hits = (await lists.check([result.e164])).get(result.e164) ?? [];
        const isListed = listed.includes(ten);
        if (isListed && !hits.some((h) => h.kind === 'national' && h.syncedAt === '2026-11-20')) escaped.push(text);
        if (!isListed && hits.length > 0) falseHits.push(text);
      }
    }
    expect(escaped).toEqual([]);
    expect(falseHits).toEqual([]);

    // The import flags every spelling of a listed number: one file per spelling, all numbers in it.
    const spellingCount = spellings(listed[0] ?? '').length;
    for (let k = 0; k < spellingCount; k++) {
      const csv = join(dir, `${getStore().kind}-spelling-${k}.csv`);
      writeFileSync(csv, `phone,kind\n${[...listed, ...unlisted].map((ten) => `"${spellings(ten)[k] ?? ''}",${listed.includes(ten) ? 'listed' : 'unlisted'}`).join('\n')}\n`);
      const summary = await importContacts({ db, file: csv, listName: uniqueName('fuzz'), dnc: lists, now: () => NOW });
      expect(summary, `spelling ${k}`).toMatchObject({ rows: 40, imported: 40, dncFlagged: listed.length });
      const stored = await db.selectFrom('contacts').select(['phone', 'dnc_flag']).where('list_id', '=', summary.listId).execute();
      const flaggedPhones = stored.filter((r) => r.dnc_flag === 1).map((r) => r.phone).sort();
      expect(flaggedPhones, `spelling ${k}`).toEqual(listed.map((ten) => `+1${ten}`).sort());
    }
  });
});
