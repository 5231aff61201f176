/**
 * G.711 µ-law (PCMU) and A-law (PCMA) with lookup tables: decoding is one index per sample, encoding one index into a
 * 64 Ki table, so the media hot path does no arithmetic per sample.
 */

export type Codec = 'PCMU' | 'PCMA';

function ulawDecodeSample(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign ? -magnitude : magnitude;
}

function ulawEncodeSample(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function alawDecodeSample(byte: number): number {
  const a = byte ^ 0x55;
  const sign = a & 0x80;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  if (magnitude > 32767) magnitude = 32767;
  return sign ? magnitude : -magnitude;
}

function alawEncodeSample(sample: number): number {
  let s = sample;
  const sign = s >= 0 ? 0x80 : 0;
  if (s < 0) s = -s - 1;
  if (s > 32767) s = 32767;
  let byte: number;
  if (s < 256) {
    byte = s >> 4;
  } else {
    let exponent = 1;
    for (let v = s >> 8; v > 1; v >>= 1) exponent++;
    byte = (exponent << 4) | ((s >> (exponent + 3)) & 0x0f);
  }
  return (byte | sign) ^ 0x55;
}

const ULAW_DECODE = new Int16Array(256);
const ALAW_DECODE = new Int16Array(256);
for (let i = 0; i < 256; i++) {
  ULAW_DECODE[i] = ulawDecodeSample(i);
  ALAW_DECODE[i] = alawDecodeSample(i);
}
const ULAW_ENCODE = new Uint8Array(65536);
const ALAW_ENCODE = new Uint8Array(65536);
for (let i = 0; i < 65536; i++) {
  const sample = i - 32768;
  ULAW_ENCODE[i] = ulawEncodeSample(sample);
  ALAW_ENCODE[i] = alawEncodeSample(sample);
}

/** The 256-entry decode table of a codec: `table[byte]` is the 16-bit sample (for decoding straight into a buffer). */
export function decodeTable(codec: Codec): Int16Array {
  return codec === 'PCMU' ? ULAW_DECODE : ALAW_DECODE;
}

export function decode(codec: Codec, payload: Uint8Array, out: Int16Array = new Int16Array(payload.length)): Int16Array {
  const table = codec === 'PCMU' ? ULAW_DECODE : ALAW_DECODE;
  for (let i = 0; i < payload.length; i++) out[i] = table[payload[i] ?? 0] ?? 0;
  return out;
}

export function encode(codec: Codec, pcm: Int16Array, out: Uint8Array = new Uint8Array(pcm.length)): Uint8Array {
  const table = codec === 'PCMU' ? ULAW_ENCODE : ALAW_ENCODE;
  for (let i = 0; i < pcm.length; i++) out[i] = table[(pcm[i] ?? 0) + 32768] ?? 0;
  return out;
}

/** µ-law ↔ A-law without a detour through the caller (a bridge between legs that negotiated different codecs). */
export function transcode(from: Codec, to: Codec, payload: Uint8Array): Uint8Array {
  if (from === to) return payload;
  return encode(to, decode(from, payload));
}

export const PAYLOAD_TYPE: Record<Codec, number> = { PCMU: 0, PCMA: 8 };

/** The payload byte of digital silence. */
export const SILENCE_BYTE: Record<Codec, number> = { PCMU: 0xff, PCMA: 0xd5 };
