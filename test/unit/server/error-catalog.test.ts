import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '@outdial/server/errors';

/** The documented codes and the catalog in code must be the same set, with the same HTTP statuses. */
describe('error catalog', () => {
  const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `(OUTDIAL_ERR_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => ({ code: m[1] ?? '', status: Number(m[2]) }));

  it('documents every code of the catalog with its status', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
      expect(rows.find((r) => r.code === code), `${code} is missing from docs/errors.md`).toEqual({ code, status: entry.status });
    }
  });

  it('documents no code the catalog does not have', () => {
    const known = new Set(Object.keys(ERROR_CATALOG));
    expect(rows.filter((r) => !known.has(r.code)).map((r) => r.code)).toEqual([]);
  });

  it('uses the OUTDIAL_ERR_<AREA>_<WHAT> form and HTTP error statuses', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
      expect(code).toMatch(/^OUTDIAL_ERR_[A-Z]+(_[A-Z]+)*$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
    }
  });
});
