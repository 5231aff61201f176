import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Biquad } from '@outdial/driver-sip/amd/band-filter';
import { readWav } from '@outdial/driver-sip/media/wav';

/**
 * Builds telephone-band greetings offline with espeak-ng and sox (reference telephony.md §4.3): speech parts and
 * pauses, an optional beep, optional background noise, 8 kHz. Nothing is downloaded; missing tools are reported.
 */
export type GreetingPart =
  | { say: string; voice?: string; speed?: number }
  | { silenceS: number }
  | { beepHz: number; beepS: number };

export interface GreetingSpec {
  parts: GreetingPart[];
  /** White noise mixed under everything, as dBFS (e.g. -30); omitted: clean. */
  noiseDbfs?: number;
  /** `ulaw` for SIPp's rtp_stream, `pcm16` for analysis. */
  encoding: 'ulaw' | 'pcm16';
}

export function toolsAvailable(): boolean {
  return ['espeak-ng', 'sox'].every((tool) => {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

function sox(args: string[]): void {
  execFileSync('sox', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
}

/** Writes `name`.wav into `dir` and returns its path. */
export function synthesizeGreeting(dir: string, name: string, spec: GreetingSpec): string {
  const pieces: string[] = [];
  spec.parts.forEach((part, i) => {
    const piece = path.join(dir, `${name}.part${i}.wav`);
    if ('say' in part) {
      const raw = path.join(dir, `${name}.part${i}.raw.wav`);
      execFileSync('espeak-ng', ['-v', part.voice ?? 'en-us', '-s', String(part.speed ?? 165), '-w', raw, part.say], { stdio: 'ignore', timeout: 30_000 });
      // Telephone band and level: 300–3400 Hz, normalised to -6 dBFS peak.
      sox([raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', piece, 'highpass', '300', 'lowpass', '3400', 'gain', '-n', '-6']);
    } else if ('silenceS' in part) {
      sox(['-n', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', piece, 'trim', '0', String(part.silenceS)]);
    } else {
      sox(['-n', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', piece, 'synth', String(part.beepS), 'sine', String(part.beepHz), 'gain', '-n', '-8']);
    }
    pieces.push(piece);
  });
  const joined = path.join(dir, `${name}.clean.wav`);
  sox([...pieces, joined]);
  let source = joined;
  if (spec.noiseDbfs !== undefined) {
    const noise = path.join(dir, `${name}.noise.wav`);
    const seconds = Number(execFileSync('soxi', ['-D', joined]).toString().trim());
    // -R: sox seeds its noise generator the same way every run, so the noisy set is reproducible.
    sox(['-R', '-n', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', noise, 'synth', String(seconds), 'whitenoise', 'gain', '-n', String(spec.noiseDbfs)]);
    const mixed = path.join(dir, `${name}.mixed.wav`);
    // -v 1 on both: sox -m would otherwise halve each input and hide the noise level asked for.
    sox(['-m', '-v', '1', joined, '-v', '1', noise, mixed]);
    source = mixed;
  }
  const out = path.join(dir, `${name}.wav`);
  sox([source, '-r', '8000', '-c', '1', ...(spec.encoding === 'ulaw' ? ['-e', 'u-law', '-b', '8'] : ['-e', 'signed-integer', '-b', '16']), out]);
  if (!existsSync(out)) throw new Error(`sox did not write ${out}`);
  return out;
}

// ---- Seeded mixing for the AMD evaluation: speech is synthesised once per utterance (cached), everything else —
// pauses, levels, beeps, noise — is built here from a seed, so a set is reproducible and cheap to regenerate.

/** A small seeded PRNG (xorshift32) in [0, 1): the same seed gives the same set on every machine. */
export function seededRandom(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

export interface Utterance {
  text: string;
  voice: string;
  /** Words per minute (espeak-ng -s). */
  speed: number;
  /** 0–99 (espeak-ng -p). */
  pitch: number;
}

/** One utterance as 8 kHz telephone-band speech, peak-normalised to −6 dBFS; cached in `cacheDir` by its parameters. */
export function speak(cacheDir: string, u: Utterance): Int16Array {
  const key = createHash('sha1').update(JSON.stringify([u.text, u.voice, u.speed, u.pitch])).digest('hex').slice(0, 16);
  const out = path.join(cacheDir, `say-${key}.wav`);
  if (!existsSync(out)) {
    const raw = path.join(cacheDir, `say-${key}.raw.wav`);
    execFileSync('espeak-ng', ['-v', u.voice, '-s', String(u.speed), '-p', String(u.pitch), '-w', raw, u.text], { stdio: 'ignore', timeout: 30_000 });
    sox([raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', out, 'highpass', '300', 'lowpass', '3400', 'gain', '-n', '-6']);
    rmSync(raw, { force: true });
  }
  const wav = readWav(readFileSync(out));
  if ('error' in wav) throw new Error(`${out}: ${wav.error}`);
  return trimSilence(wav.samples);
}

/** espeak-ng pads its output with silence; the evaluation places pauses itself. */
function trimSilence(x: Int16Array): Int16Array {
  let a = 0;
  let b = x.length;
  while (a < b && Math.abs(x[a] ?? 0) < 40) a++;
  while (b > a && Math.abs(x[b - 1] ?? 0) < 40) b--;
  return x.slice(a, b);
}

function gaussian(rnd: () => number): number {
  // Box–Muller; 1 - rnd() keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

export type NoiseKind = 'white' | 'pink' | 'babble';

/**
 * Background noise of `n` samples as it reaches the line, i.e. after the 300–3400 Hz telephone channel, scaled to
 * `dbfs` RMS relative to a full-scale sine (AES17). White and pink are Gaussian; pink sums one-pole low-passed white
 * noises at octave-spaced corners weighted 1/√corner, which approximates a 1/f spectrum; babble is `talkers` voices
 * from `speechPool` at similar levels talking at once with random offsets and short gaps: a crowd (a canteen, a
 * call-centre floor), as in standard babble recordings. One or two nearby talkers are competing speech, which no
 * energy detector can tell from the called party; that is not what this noise models.
 */
export function backgroundNoise(kind: NoiseKind, n: number, dbfs: number, rnd: () => number, speechPool: Int16Array[] = [], talkers = 10): Float64Array {
  const x = new Float64Array(n);
  if (kind === 'white') {
    for (let i = 0; i < n; i++) x[i] = gaussian(rnd);
  } else if (kind === 'pink') {
    const corners = [3200, 1600, 800, 400, 200, 100, 50, 25];
    const state = corners.map(() => 0);
    const poles = corners.map((fc) => Math.exp((-2 * Math.PI * fc) / 8000));
    const weights = corners.map((fc) => 1 / Math.sqrt(fc));
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let k = 0; k < corners.length; k++) {
        const a = poles[k] ?? 0;
        const y = a * (state[k] ?? 0) + (1 - a) * gaussian(rnd);
        state[k] = y;
        sum += y * (weights[k] ?? 0);
      }
      x[i] = sum;
    }
  } else {
    if (speechPool.length === 0) throw new Error('babble needs a speech pool');
    for (let t = 0; t < talkers; t++) {
      let i = -Math.floor(rnd() * 16000); // each talker is somewhere in a sentence when the call starts
      while (i < n) {
        const s = speechPool[Math.floor(rnd() * speechPool.length)] ?? new Int16Array(0);
        const gain = 0.8 + 0.4 * rnd();
        for (let j = 0; j < s.length; j++, i++) if (i >= 0 && i < n) x[i] = (x[i] ?? 0) + (s[j] ?? 0) * gain;
        i += Math.floor(rnd() * 2400); // up to 0.3 s between sentences
      }
    }
  }
  telephoneBand(x);
  let power = 0;
  for (let i = 0; i < n; i++) power += (x[i] ?? 0) ** 2;
  const rms = Math.sqrt(power / Math.max(1, n)) || 1;
  const target = (32767 / Math.SQRT2) * 10 ** (dbfs / 20);
  for (let i = 0; i < n; i++) x[i] = ((x[i] ?? 0) * target) / rms;
  return x;
}

/** The 300–3400 Hz telephone channel (2nd-order Butterworth high-pass and low-pass), in place. */
function telephoneBand(x: Float64Array): void {
  const hp = new Biquad('highpass', 300);
  const lp = new Biquad('lowpass', 3400);
  for (let i = 0; i < x.length; i++) x[i] = lp.step(hp.step(x[i] ?? 0));
}

/** A pure tone (a voicemail beep) at `dbfs` peak, with 5 ms ramps so it does not click. */
export function tone(hz: number, seconds: number, dbfs: number): Float64Array {
  const n = Math.round(seconds * 8000);
  const amp = 32767 * 10 ** (dbfs / 20);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = amp * Math.sin((2 * Math.PI * hz * i) / 8000) * Math.min(1, i / 40, (n - 1 - i) / 40);
  return out;
}

/** Sums `noise` under `signal` and rounds to 16-bit PCM with clipping. */
export function mixToPcm(signal: Float64Array, noise?: Float64Array): Int16Array {
  return Int16Array.from(signal, (s, i) => Math.max(-32768, Math.min(32767, Math.round(s + (noise?.[i] ?? 0)))));
}
