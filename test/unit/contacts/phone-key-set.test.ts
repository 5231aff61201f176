import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhoneKeySet } from '@outdial/contacts/import/phone-key-set';

describe('phone key set', () => {
  it('answers like a Set for any sequence of adds and lookups, through growth', () => {
    const key = fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 12_000_000_000, max: 19_999_999_999 }), fc.constant(999_999_999_999_999));
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), key), { maxLength: 3000 }), (operations) => {
      const set = new PhoneKeySet(4);
      const reference = new Set<number>();
      for (const [adding, k] of operations) {
        if (adding) {
          expect(set.add(k)).toBe(!reference.has(k));
          reference.add(k);
        } else {
          expect(set.has(k)).toBe(reference.has(k));
        }
      }
      expect(set.size).toBe(reference.size);
    }), { numRuns: 60 });
  });

  it('keeps no key that is not a positive safe integer', () => {
    const set = new PhoneKeySet();
    expect(set.add(Number.NaN)).toBe(true);
    expect(set.add(0)).toBe(true);
    expect(set.has(Number.NaN)).toBe(false);
    expect(set.size).toBe(0);
  });
});
