import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeVerdicts, encodeVerdicts, libraryVersion, probeAreaCode, probeExchange, SHIPPED_VERDICTS } from '@outdial/contacts/phone/nanp-verdicts';
import { NANP_VERDICTS, NANP_VERDICTS_LIBRARY_VERSION } from '@outdial/contacts/phone/nanp-verdicts.data';

describe('shipped NANP verdicts', () => {
  it('were made from the installed libphonenumber-js (else run generate-nanp-verdicts.ts)', () => {
    expect(NANP_VERDICTS_LIBRARY_VERSION).toBe(libraryVersion());
    expect(SHIPPED_VERDICTS).not.toBeNull();
  });

  const shipped = decodeVerdicts(NANP_VERDICTS);

  it('agree with the library on every area code 200-999', () => {
    for (let npa = 200; npa < 1000; npa++) expect({ npa, verdict: shipped.areaCodes[npa] }).toEqual({ npa, verdict: probeAreaCode(npa) });
  });

  it('agree with the library on random exchanges of the valid area codes, and on every exchange of the irregular ones', () => {
    const valid = [...Array(800).keys()].map((k) => k + 200).filter((npa) => shipped.areaCodes[npa] === 1);
    fc.assert(fc.property(fc.constantFrom(...valid), fc.integer({ min: 200, max: 999 }), (npa, nxx) => {
      const npaNxx = npa * 1000 + nxx;
      expect({ npaNxx, verdict: shipped.exchanges[npaNxx] }).toEqual({ npaNxx, verdict: probeExchange(npaNxx) });
    }), { numRuns: 3000 });
    for (const npa of [876, 983]) {
      for (let nxx = 200; nxx < 1000; nxx++) expect(shipped.exchanges[npa * 1000 + nxx]).toBe(probeExchange(npa * 1000 + nxx));
    }
  });

  it('decode what they encode', () => {
    const areaRule = (npa: number): number => (npa % 7 === 0 ? 2 : npa % 5 === 0 ? 3 : 1);
    const exchangeRule = (npaNxx: number): number => (npaNxx % 1000 === 555 || npaNxx % 97 === 0 ? 3 : npaNxx % 89 === 0 ? 2 : 1);
    const text = encodeVerdicts(areaRule, exchangeRule);
    const tables = decodeVerdicts(text);
    expect(tables.areaCodes[210]).toBe(2);
    expect(tables.areaCodes[215]).toBe(3);
    expect(tables.exchanges[201_000 + 555]).toBe(3);
    for (let nxx = 200; nxx < 1000; nxx++) expect(tables.exchanges[201_000 + nxx]).toBe(exchangeRule(201_000 + nxx));
    expect(encodeVerdicts((npa) => tables.areaCodes[npa] as number, (npaNxx) => tables.exchanges[npaNxx] as number)).toBe(text);
  });
});
