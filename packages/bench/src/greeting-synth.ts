import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

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
