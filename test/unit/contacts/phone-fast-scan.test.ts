import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhoneNormaliser } from '@outdial/contacts/phone/phone-normaliser';
import type { PhoneResult } from '@outdial/contacts/phone/phone-normaliser';
import { splitExtension } from '@outdial/core/contacts/phone-digits';

/**
 * The normaliser's scan of North American spellings (digits and phone punctuation, no strings built) must decide
 * exactly as its general steps, which every other spelling still takes: the same E.164, extension, country, reason
 * and detail. (phone-fast-path.test.ts compares both with libphonenumber-js itself.)
 */
function general(normaliser: PhoneNormaliser, input: string): PhoneResult {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'missing_phone', detail: 'no phone number' };
  const { number, ext } = splitExtension(text);
  return normaliser['general'](number, ext, text);
}

const digit = fc.integer({ min: 0, max: 9 }).map(String);
/** Characters vendor files put in phone cells, the scan's own and the ones that send a text to the general steps. */
const messyChar = fc.oneof(
  { weight: 10, arbitrary: digit },
  { weight: 4, arbitrary: fc.constantFrom(' ', '-', '.', '(', ')', '/', '+', '\u00a0') },
  { weight: 1, arbitrary: fc.constantFrom('\t', 'x', 'X', 'e', 't', '#', ',', ';', '=', ':', 'a', '\u2003', '\ufeff', '0', '1', '00', '001', '011', 'ext. ', ' x') },
);
const messy = fc.array(messyChar, { maxLength: 24 }).map((parts) => parts.join(''));
/** Real NANP shapes with noise around them: the area codes and exchanges the fast path caches. */
const shaped = fc.tuple(
  fc.constantFrom('', '+1', '1', '001', '0111', '+', '00', '+44', '1-', '+1 ', '(', ' '),
  fc.constantFrom('212', '555', '911', '268', '983', '416', '787', '800', '020', '199', '340', '664'),
  fc.constantFrom('201', '555', '911', '600', '101', '020', '999', '473'),
  fc.tuple(digit, digit, digit, digit).map((d) => d.join('')),
  fc.constantFrom('', ' ', '-', '.', '/', ') ', '\u00a0'),
  fc.constantFrom('', ' x12', ' ext. 9', ';ext=5', ' #7', '\t', ' extension 123456789', 'x', ' 1'),
).map(([prefix, a, e, l, sep, tail]) => `${prefix}${a}${sep}${e}${sep}${l}${tail}`);

describe('phone normaliser: the fast scan decides as the general steps', () => {
  for (const country of ['US', 'CA', 'GB']) {
    it(`on random and messy spellings (default country ${country})`, () => {
      const fast = new PhoneNormaliser(country);
      const slow = new PhoneNormaliser(country);
      fc.assert(fc.property(fc.oneof(messy, shaped), (input) => {
        expect({ input, result: fast.normalise(input) }).toEqual({ input, result: general(slow, input) });
      }), { numRuns: 4000 });
    });
  }

  it('on the spellings of the benchmark generator and their neighbours', () => {
    const fast = new PhoneNormaliser('US');
    const slow = new PhoneNormaliser('US');
    const inputs = ['(212) 201-0123', '212.201.0123', '+1 212 2010123', '0012122010123', '1-212-201-0123 x123', '2122010123',
      '212-201-0123 ext. 45', '12345', '212-555', 'n/a', '(212) 101-0123', '555-0100', 'CALL ME', '+12122010123', '+1 +212 201 0123',
      '1+2122010123', '++12122010123', '01112122010123', '0111 212 201 0123', '00442079460958', '+442079460958', ' 212 201 0123 ',
      '212\u00a0201\u00a00123', '(212)201-0123', '212/201-0123', '212-201-01234', '21220101', '+1 (555) 555-0123'];
    for (const input of inputs) expect({ input, result: fast.normalise(input) }).toEqual({ input, result: general(slow, input) });
  });
});
