import { describe, expect, it } from 'vitest';
import { lookupAreaCode } from '@outdial/core/geo/area-codes';
import { locateContact } from '@outdial/core/geo/locate';
import { parsePhone } from '@outdial/core/geo/phone-number';
import { lookupUsZip } from '@outdial/core/geo/postal-codes';

describe('area codes', () => {
  it('lists both zones for the overlays the reference corrects', () => {
    expect(lookupAreaCode('364')?.zones).toEqual(expect.arrayContaining(['America/Chicago', 'America/New_York']));
    expect(lookupAreaCode('448')?.zones).toEqual(expect.arrayContaining(['America/Chicago', 'America/New_York']));
    expect(lookupAreaCode('930')?.zones).toEqual(expect.arrayContaining(['America/Chicago', 'America/New_York']));
    expect(lookupAreaCode('458')?.zones).toEqual(expect.arrayContaining(['America/Los_Angeles', 'America/Denver']));
    expect(lookupAreaCode('928')?.zones).toEqual(expect.arrayContaining(['America/Phoenix', 'America/Denver']));
    expect(lookupAreaCode('907')?.zones).toEqual(expect.arrayContaining(['America/Anchorage', 'America/Adak']));
  });
  it('keeps Arizona on America/Phoenix and knows newer codes', () => {
    expect(lookupAreaCode('602')?.zones).toEqual(['America/Phoenix']);
    for (const npa of ['448', '645', '624', '983', '350', '357', '472', '363', '948', '835', '943', '738', '329', '945']) {
      expect(lookupAreaCode(npa), npa).not.toBeNull();
    }
  });
});

describe('ZIP codes', () => {
  it('corrects the places zipcode-to-timezone gets wrong', () => {
    expect(lookupUsZip('42101')?.zones).toEqual(['America/Chicago']);
    expect(lookupUsZip('47708')?.zones).toEqual(['America/Chicago']);
    expect(lookupUsZip('46320')?.zones).toEqual(['America/Chicago']);
    expect(lookupUsZip('97914')?.zones).toEqual(['America/Denver']);
    expect(lookupUsZip('89883')?.zones).toEqual(['America/Denver']);
    expect(lookupUsZip('99546')?.zones).toEqual(['America/Adak']);
    expect(lookupUsZip('00901')?.zones).toEqual(['America/Puerto_Rico']);
  });
  it('has no zone for malformed, unassigned and military ZIPs', () => {
    for (const zip of ['1234', 'ABCDE', '00000', '09012', '96201', '34001']) expect(lookupUsZip(zip), zip).toBeNull();
  });
});

describe('phones and candidate locations', () => {
  it('parses E.164 and national formats', () => {
    expect(parsePhone('(212) 201-0123', 'US')).toMatchObject({ ok: true, e164: '+12122010123', areaCode: '212' });
    expect(parsePhone('07400 123456', 'GB')).toMatchObject({ ok: true, e164: '+447400123456', country: 'GB' });
    expect(parsePhone('+37126123456')).toMatchObject({ ok: true, country: 'LV' });
  });
  it('rejects what cannot be dialed lawfully', () => {
    for (const [phone, country] of [['+12125550123', 'US'], ['+19002010123', 'US'], ['abc', 'US'], ['+999123456789', 'US'], ['0123', 'ZZ'], ['+449012345678', 'GB'], ['+18762010123', 'US']]) {
      expect(parsePhone(phone, country).ok, phone).toBe(false);
    }
  });
  it('unites the zones of the number and the address', () => {
    const location = locateContact({ phone: '+14042010160', postalCode: '94110', region: 'CA' });
    expect(location.ok && location.zones.sort()).toEqual(['America/Los_Angeles', 'America/New_York']);
    expect(location.ok && location.jurisdictions).toEqual(expect.arrayContaining(['US', 'US-GA', 'US-CA']));
  });
  it('puts a toll-free number in every state', () => {
    const location = locateContact({ phone: '+18002010123' });
    expect(location.ok && location.jurisdictions).toEqual(expect.arrayContaining(['US-RI', 'US-HI', 'US-TX']));
  });
  it('fails on a postcode with no zone', () => {
    expect(locateContact({ phone: '+12122010123', postalCode: '00000' }).ok).toBe(false);
  });
});
