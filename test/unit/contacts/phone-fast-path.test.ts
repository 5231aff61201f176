import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { PhoneNormaliser } from '@outdial/contacts/phone/phone-normaliser';
import { hasNanpShape } from '@outdial/core/contacts/phone-digits';

/** What libphonenumber-js alone (full metadata) makes of a spelling: the reference the fast path must agree with. */
function reference(input: string): { ok: boolean; e164?: string; ext?: string | null } {
  const compact = input.replace(/[\s\-.()/]/g, '');
  const candidate = compact.startsWith('00') ? `+${compact.slice(2)}` : input;
  const parsed = parsePhoneNumberFromString(candidate, { defaultCountry: 'US' });
  if (parsed === undefined || !parsed.isValid()) return { ok: false };
  return { ok: true, e164: parsed.number, ext: parsed.ext ?? null };
}

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
// Area codes from all over the plan (in service, not in service, Caribbean, N11) and any exchange. Not 0-led: "(004)
// 921-0000" reads as an international 00 prefix, a different question.
const npa = fc.oneof(
  fc.constantFrom('212', '718', '213', '415', '305', '512', '907', '808', '416', '787', '268', '983', '555', '911', '800', '999'),
  fc.tuple(fc.integer({ min: 1, max: 9 }), digits(2)).map(([first, rest]) => `${first}${rest}`),
);
const nxx = digits(3);
const line = digits(4);
const ext = fc.oneof(fc.constant(''), digits(3).map((d) => ` x${d}`), digits(2).map((d) => ` ext. ${d}`));

/** The spellings vendor lists use (the generator's seven and a few more). */
const spelling = fc.tuple(npa, nxx, line, ext, fc.integer({ min: 0, max: 8 })).map(([a, e, l, x, form]) => ({ ten: `${a}${e}${l}`, input: write(a, e, l, x, form) }));

function write(a: string, e: string, l: string, x: string, form: number): string {
  switch (form) {
    case 0: return `(${a}) ${e}-${l}${x}`;
    case 1: return `${a}.${e}.${l}${x}`;
    case 2: return `+1 ${a} ${e}${l}`;
    case 3: return `001${a}${e}${l}`;
    case 4: return `1-${a}-${e}-${l}${x}`;
    case 5: return `${a}${e}${l}`;
    case 6: return `${a}-${e}-${l} ext. ${l.slice(0, 2)}`;
    case 7: return `+1 (${a}) ${e}-${l}`;
    default: return `${a} ${e} ${l}${x}`;
  }
}

describe('phone normaliser fast path', () => {
  const normaliser = new PhoneNormaliser('US');

  it('agrees with libphonenumber-js on validity, E.164 and extension for messy North American spellings', () => {
    fc.assert(fc.property(spelling, ({ ten, input }) => {
      const fast = normaliser.normalise(input);
      // Deliberately stricter than the library: an area code or exchange that is not NANP-shaped (0/1-led, N11) is
      // never a callable number, whatever the metadata allows.
      if (!hasNanpShape(ten)) {
        expect({ input, ok: fast.ok }).toEqual({ input, ok: false });
        return;
      }
      const slow = reference(input);
      expect({ input, ok: fast.ok }).toEqual({ input, ok: slow.ok });
      if (fast.ok && slow.ok) expect({ input, e164: fast.e164, ext: fast.ext }).toEqual({ input, e164: slow.e164, ext: slow.ext });
    }), { numRuns: 3000 });
  });
});
