import { describe, expect, it } from 'vitest';
import { PhoneNormaliser } from '@outdial/contacts/phone/phone-normaliser';
import { hasNanpShape, nanpDigits, splitExtension } from '@outdial/core/contacts/phone-digits';

describe('phone normalisation', () => {
  const us = new PhoneNormaliser('US');
  it.each([
    ['(212) 201-0123', '+12122010123', null],
    ['212.201.0123', '+12122010123', null],
    ['+1 212 2010123', '+12122010123', null],
    ['0012122010123', '+12122010123', null],
    ['001 212 201 0123', '+12122010123', null],
    ['1-212-201-0123', '+12122010123', null],
    ['212-201-0123 x45', '+12122010123', '45'],
    ['212 201 0123 ext. 45', '+12122010123', '45'],
    ['(212) 201-0123 extension 7', '+12122010123', '7'],
    ['+1 (416) 555-0199', '+14165550199', null],
    ['+44 20 7946 0958', '+442079460958', null],
    ['0044 20 7946 0958', '+442079460958', null],
  ])('%s → %s', (input, e164, ext) => {
    expect(us.normalise(input)).toMatchObject({ ok: true, e164, ext });
  });

  it.each(['12345', '212-CALL-NOW', '(555) 201-0123', '911-201-0123', '212-101-0123', '+1 212 201 01234', 'n/a'])('%s is invalid', (input) => {
    expect(us.normalise(input)).toMatchObject({ ok: false, reason: 'invalid_phone' });
  });

  it('calls an empty cell missing, not invalid', () => {
    expect(us.normalise('  ')).toMatchObject({ ok: false, reason: 'missing_phone' });
  });

  it('uses the default country for national numbers', () => {
    expect(new PhoneNormaliser('GB').normalise('020 7946 0958')).toMatchObject({ ok: true, e164: '+442079460958' });
  });

  it('splits extensions and finds NANP digits without a library', () => {
    expect(splitExtension('212-201-0123 #99')).toEqual({ number: '212-201-0123', ext: '99' });
    expect(nanpDigits('(212) 201-0123')).toBe('2122010123');
    expect(nanpDigits('+44 20 7946 0958')).toBeNull();
    expect(hasNanpShape('2122010123')).toBe(true);
    expect(hasNanpShape('2121010123')).toBe(false);
  });
});
