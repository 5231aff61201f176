import { describe, expect, it } from 'vitest';
import { decode, encode, transcode } from '@outdial/driver-sip/media/g711';

describe('G.711', () => {
  it('encodes known µ-law and A-law values', () => {
    expect([...encode('PCMU', Int16Array.from([0, -1, 32767, -32768]))]).toEqual([0xff, 0x7f, 0x80, 0x00]);
    expect([...encode('PCMA', Int16Array.from([0, 32767, -32768]))]).toEqual([0xd5, 0xaa, 0x2a]);
  });

  it('round-trips speech-level samples within the quantisation step', () => {
    for (const codec of ['PCMU', 'PCMA'] as const) {
      const pcm = Int16Array.from({ length: 200 }, (_, i) => Math.round(Math.sin(i / 5) * 12000));
      const back = decode(codec, encode(codec, pcm));
      pcm.forEach((x, i) => expect(Math.abs((back[i] ?? 0) - x)).toBeLessThanOrEqual(Math.max(16, Math.abs(x) / 16)));
    }
  });

  it('transcodes µ-law to A-law through linear', () => {
    const pcm = Int16Array.from([1000, -2000, 3000]);
    const a = transcode('PCMU', 'PCMA', encode('PCMU', pcm));
    const back = decode('PCMA', a);
    pcm.forEach((x, i) => expect(Math.abs((back[i] ?? 0) - x)).toBeLessThan(200));
  });
});
