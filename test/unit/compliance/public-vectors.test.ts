import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decide } from '@outdial/core/compliance/decide';
import type { ComplianceRequest } from '@outdial/core/compliance/types';

interface Vector {
  request: ComplianceRequest;
  expect: { verdict: string; categories: string[]; notBefore: string | null; note: string };
}

const file = fileURLToPath(new URL('../../../../shared/vectors/compliance.public.jsonl', import.meta.url));
const vectors: Vector[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Partial<Vector>)
  .filter((entry): entry is Vector => entry.request !== undefined);

describe('public compliance vectors', () => {
  it('reads every vector of the file', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(26);
  });
  for (const vector of vectors) {
    it(`${vector.request.id}: ${vector.expect.verdict} ${vector.expect.categories.join(',')}`, () => {
      const decision = decide(vector.request);
      const summary = { verdict: decision.verdict, notBefore: decision.notBefore, categories: decision.reasons.map((r) => r.category) };
      expect(summary.verdict, JSON.stringify(decision.reasons)).toBe(vector.expect.verdict);
      expect(summary.notBefore).toBe(vector.expect.notBefore);
      expect(summary.categories).toEqual(expect.arrayContaining(vector.expect.categories));
      expect(decision.id).toBe(vector.request.id);
    });
  }
});
