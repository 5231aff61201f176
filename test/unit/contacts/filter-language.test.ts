import { describe, expect, it } from 'vitest';
import { parseFilter } from '@outdial/core/contacts/filter/filter-parser';
import { compileFilterText } from '@outdial/core/contacts/filter/filter-typecheck';
import { evaluateFilter, matchesFilter } from '@outdial/core/contacts/filter/filter-evaluator';
import type { TypedFilter } from '@outdial/core/contacts/filter/filter-ast';

const NOW = Date.UTC(2026, 10, 27);
const schema = { attributes: { homeOwner: 'boolean', income: 'number', lastPurchaseAt: 'date', segment: 'text' } as const, now: NOW };

function compile(text: string): TypedFilter {
  const result = compileFilterText(text, schema);
  if (!result.ok) throw new Error(result.problem.message);
  return result.value;
}

describe('filter language', () => {
  it('parses the issue example with precedence (and binds tighter than or)', () => {
    const ast = parseFilter('homeOwner = true and income >= 50000 and lastPurchaseAt > now - 365d and region in ("TX", "FL")');
    expect(ast.ok).toBe(true);
    const or = parseFilter('a = 1 or b = 2 and c = 3');
    expect(or.ok && or.value.kind).toBe('or');
  });

  it('resolves now - 365d against the injected instant, as ISO text for attributes and epoch ms for columns', () => {
    const attr = compile('lastPurchaseAt > now - 365d');
    expect(attr).toMatchObject({ kind: 'compare', value: new Date(NOW - 365 * 86_400_000).toISOString() });
    const column = compile('createdAt >= now - 2w');
    expect(column).toMatchObject({ kind: 'compare', value: NOW - 14 * 86_400_000 });
  });

  it('selects the contacts of the example', () => {
    const f = compile('homeOwner = true and income >= 50000 and lastPurchaseAt > now - 365d and region in ("TX", "FL")');
    const recent = new Date(NOW - 10 * 86_400_000).toISOString();
    const subject = (region: string | null, attributes: Record<string, unknown>) => ({ columns: { region }, attributes });
    expect(matchesFilter(f, subject('TX', { homeOwner: true, income: 60000, lastPurchaseAt: recent }))).toBe(true);
    expect(matchesFilter(f, subject('NY', { homeOwner: true, income: 60000, lastPurchaseAt: recent }))).toBe(false);
    expect(matchesFilter(f, subject('TX', { homeOwner: true, income: 40000, lastPurchaseAt: recent }))).toBe(false);
    expect(matchesFilter(f, subject('TX', { homeOwner: true, lastPurchaseAt: recent }))).toBe(false);
  });

  it('follows SQL three-valued logic for missing values', () => {
    const f = compile('not (income > 5)');
    expect(evaluateFilter(f, { columns: {}, attributes: {} })).toBeNull();
    expect(matchesFilter(compile('income is null'), { columns: {}, attributes: {} })).toBe(true);
    expect(matchesFilter(compile('income is null or income > 5'), { columns: {}, attributes: {} })).toBe(true);
  });

  it.each([
    ['income >= "lots"', /income is a number; the text "lots" does not fit/, 11],
    ['homeOwner > true', /only = and != apply/, 1],
    ['shoeSize = 4', /unknown field "shoeSize"/, 1],
    ['income >= ', /expected a value/, 11],
    ['(income > 1', /expected "\)"/, 12],
    ['income > 1 region = "TX"', /unexpected "region"/, 12],
    ['lastPurchaseAt > now - 5y', /unexpected "5y"/, 24],
    ['segment = "open', /string not closed/, 11],
    ['income ; 5', /unexpected character ";"/, 8],
    ['lastPurchaseAt > "yesterday"', /use now - 30d/, 18],
    ['income = 1; drop table contacts', /unexpected character ";"/, 11],
  ])('rejects %s with a message and column', (text, message, column) => {
    const result = compileFilterText(text, schema);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.message).toMatch(message);
      expect(result.problem.column).toBe(column);
    }
  });

  it('refuses nesting deep enough to exhaust the stack', () => {
    const deep = `${'('.repeat(200)}income = 1${')'.repeat(200)}`;
    const result = compileFilterText(deep, schema);
    expect(result.ok).toBe(false);
  });
});
