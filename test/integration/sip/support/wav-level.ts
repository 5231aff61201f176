import { readFileSync } from 'node:fs';

/** Mean |sample| of one channel of a 16-bit stereo WAV (44-byte header) between two times, in seconds. */
export function channelLevel(file: string, channel: 0 | 1, fromS: number, toS: number): number {
  const data = readFileSync(file);
  const frames = (data.length - 44) / 4;
  let sum = 0;
  let n = 0;
  for (let i = Math.max(0, Math.floor(fromS * 8000)); i < Math.min(frames, Math.floor(toS * 8000)); i++) {
    sum += Math.abs(data.readInt16LE(44 + i * 4 + channel * 2));
    n++;
  }
  return n === 0 ? 0 : sum / n;
}
