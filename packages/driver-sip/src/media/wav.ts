import type { Codec } from './g711.ts';
import { decode } from './g711.ts';

/** Reads a WAV file's audio as 8 kHz 16-bit mono (PCM, µ-law or A-law input; other rates are resampled linearly). */
export function readWav(data: Buffer): { samples: Int16Array } | { error: string } {
  if (data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') return { error: 'not a RIFF/WAVE file' };
  let offset = 12;
  let format: { tag: number; channels: number; rate: number; bits: number } | undefined;
  while (offset + 8 <= data.length) {
    const id = data.toString('ascii', offset, offset + 4);
    const size = data.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = { tag: data.readUInt16LE(body), channels: data.readUInt16LE(body + 2), rate: data.readUInt32LE(body + 4), bits: data.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!format) return { error: 'data chunk before fmt chunk' };
      const end = Math.min(data.length, body + size);
      const raw = data.subarray(body, end);
      let mono: Int16Array;
      const ch = Math.max(1, format.channels);
      if (format.tag === 1 && format.bits === 16) {
        const frames = Math.floor(raw.length / (2 * ch));
        mono = new Int16Array(frames);
        for (let i = 0; i < frames; i++) mono[i] = raw.readInt16LE(i * 2 * ch);
      } else if ((format.tag === 7 || format.tag === 6) && format.bits === 8) {
        const codec: Codec = format.tag === 7 ? 'PCMU' : 'PCMA';
        const frames = Math.floor(raw.length / ch);
        const first = new Uint8Array(frames);
        for (let i = 0; i < frames; i++) first[i] = raw[i * ch] ?? 0;
        mono = decode(codec, first);
      } else {
        return { error: `unsupported WAV encoding (format ${format.tag}, ${format.bits} bits): use 16-bit PCM, µ-law or A-law` };
      }
      return { samples: format.rate === 8000 ? mono : resample(mono, format.rate, 8000) };
    }
    offset = body + size + (size % 2);
  }
  return { error: 'no data chunk' };
}

function resample(input: Int16Array, from: number, to: number): Int16Array {
  const out = new Int16Array(Math.floor((input.length * to) / from));
  const step = from / to;
  for (let i = 0; i < out.length; i++) {
    const pos = i * step;
    const j = Math.floor(pos);
    const frac = pos - j;
    out[i] = Math.round((input[j] ?? 0) * (1 - frac) + (input[j + 1] ?? input[j] ?? 0) * frac);
  }
  return out;
}

/** A 16-bit PCM WAV of interleaved channels at 8 kHz. */
export function writeWav(channels: Int16Array[], sampleRate = 8000): Buffer {
  const n = channels.length;
  const frames = Math.max(0, ...channels.map((c) => c.length));
  const dataBytes = frames * n * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(n, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * n * 2, 28);
  buf.writeUInt16LE(n * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  let o = 44;
  for (let i = 0; i < frames; i++) {
    for (const c of channels) {
      buf.writeInt16LE(c[i] ?? 0, o);
      o += 2;
    }
  }
  return buf;
}
