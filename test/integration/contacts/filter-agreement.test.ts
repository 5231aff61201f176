import fc from 'fast-check';
import { expect, it } from 'vitest';
import { compileFilterText } from '@outdial/core/contacts/filter/filter-typecheck';
import { matchesFilter } from '@outdial/core/contacts/filter/filter-evaluator';
import type { ValueType } from '@outdial/core/contacts/filter/filter-ast';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { ContactImportRepository } from '@outdial/store/repositories/contact-import.repository';
import type { ImportedContactRow } from '@outdial/store/repositories/contact-import.repository';
import { SegmentQueries } from '@outdial/store/filter/segment-queries';
import { forEachDialect } from '../../support/store-fixtures.ts';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const DAY = 86_400_000;
const ATTRIBUTES: Record<string, ValueType> = { income: 'number', homeOwner: 'boolean', lastPurchaseAt: 'date', segment: 'text' };

// Small pools, so that random filters hit equalities and boundaries, not only misses.
const TEXTS = ['TX', 'FL', 'NY', 'a', 'B', 'é', 'Z', '😀', '', 'tx'];
const NUMBERS = [-1.5, 0, 10, 49999, 50000, 50000.5, 1e9];
const DAYS_AGO = [0, 1, 30, 364, 365, 366, 1000];
const isoDaysAgo = (d: number): string => new Date(NOW - d * DAY).toISOString();

const contactArb = fc.record({
  first_name: fc.option(fc.constantFrom(...TEXTS), { nil: null }),
  region: fc.option(fc.constantFrom(...TEXTS), { nil: null }),
  dnc_flag: fc.constantFrom(0, 1),
  created_at: fc.constantFrom(...DAYS_AGO).map((d) => NOW - d * DAY),
  attributes: fc.record({
    income: fc.constantFrom(...NUMBERS),
    homeOwner: fc.boolean(),
    lastPurchaseAt: fc.constantFrom(...DAYS_AGO).map(isoDaysAgo),
    segment: fc.constantFrom(...TEXTS),
  }, { requiredKeys: [] }),
});
interface GeneratedContact {
  first_name: string | null; region: string | null; dnc_flag: number; created_at: number; attributes: Record<string, unknown>;
}

const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const FIELDS: { name: string; type: ValueType }[] = [
  { name: 'firstName', type: 'text' }, { name: 'region', type: 'text' }, { name: 'attempts', type: 'number' }, { name: 'dncFlag', type: 'boolean' },
  { name: 'createdAt', type: 'date' }, { name: 'lastAttemptAt', type: 'date' },
  ...Object.entries(ATTRIBUTES).map(([name, type]) => ({ name, type })),
];

function literalArb(type: ValueType): fc.Arbitrary<string> {
  switch (type) {
    case 'text': return fc.constantFrom(...TEXTS).map(quote);
    case 'number': return fc.oneof(fc.constantFrom(...NUMBERS), fc.integer({ min: 0, max: 5 })).map((n) => String(n));
    case 'boolean': return fc.boolean().map(String);
    case 'date': return fc.oneof(
      fc.constantFrom(...DAYS_AGO).map((d) => (d === 0 ? 'now' : `now - ${d}d`)),
      fc.constantFrom('"2025-11-27"', '"2026-11-27T12:00:00Z"', 'now + 1h'),
    );
  }
}

const testArb: fc.Arbitrary<string> = fc.constantFrom(...FIELDS).chain((field) => {
  const ops = field.type === 'boolean' ? ['=', '!='] : ['=', '!=', '<', '<=', '>', '>='];
  return fc.oneof(
    fc.tuple(fc.constantFrom(...ops), literalArb(field.type)).map(([op, v]) => `${field.name} ${op} ${v}`),
    fc.tuple(fc.boolean(), fc.array(literalArb(field.type), { minLength: 1, maxLength: 3 })).map(([neg, vs]) => `${field.name} ${neg ? 'not in' : 'in'} (${vs.join(', ')})`),
    fc.boolean().map((neg) => `${field.name} is ${neg ? 'not ' : ''}null`),
  );
});

const filterArb: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    testArb,
    fc.tuple(tie('f'), fc.constantFrom('and', 'or'), tie('f')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    tie('f').map((a) => `not (${a})`),
  ),
})).f;

forEachDialect('segment filter: compiled SQL and the in-memory evaluator agree', (getStore) => {
  it('selects the same contacts for random filters and random contacts', async () => {
    const { db } = getStore();
    const contactSets: GeneratedContact[][] = fc.sample(fc.array(contactArb, { minLength: 20, maxLength: 40 }), { numRuns: 3, seed: 42 });
    let setNo = 0;
    for (const contacts of contactSets) {
      setNo++;
      const list = await new ListsRepository(db).create({ name: `agree-${setNo}`, now: NOW });
      if (!list.ok) throw new Error(list.message);
      const rows: ImportedContactRow[] = contacts.map((c, i) => ({
        id: `c-${setNo}-${String(i).padStart(3, '0')}`, list_id: list.value.id, phone: `+1212201${String(1000 + i)}`, phones_json: '[]',
        first_name: c.first_name, last_name: null, email: null, address: null, city: null, region: c.region, postal_code: null, country: 'US',
        timezones_json: '[]', jurisdictions_json: '[]', line_type: 'unknown', attributes_json: JSON.stringify(c.attributes), status: 'dialable',
        next_dial_at: NOW, dnc_flag: c.dnc_flag, import_key: null, source_row: i, created_at: c.created_at, updated_at: NOW,
      }));
      await new ContactImportRepository(db).insertContacts(rows);
      // attempts, priority, last_attempt_at and last_outcome keep their defaults (the import does not write them).
      const segments = new SegmentQueries(db);
      await fc.assert(fc.asyncProperty(filterArb, async (text) => {
        const typed = compileFilterText(text, { attributes: ATTRIBUTES, now: NOW });
        if (!typed.ok) throw new Error(`generated filter rejected: ${text}: ${typed.problem.message}`);
        const fromSql = await segments.ids(typed.value, [list.value.id]);
        const inMemory = rows.filter((row) => matchesFilter(typed.value, {
          columns: { ...row, attempts: 0, last_attempt_at: null, priority: 0, last_outcome: null },
          attributes: JSON.parse(row.attributes_json) as Record<string, unknown>,
        })).map((r) => r.id);
        expect(fromSql, text).toEqual(inMemory);
      }), { numRuns: getStore().kind === 'postgres' ? 150 : 300, seed: 7 + setNo });
    }
  });
});
