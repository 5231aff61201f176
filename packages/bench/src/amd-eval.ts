/**
 * AMD evaluation (`npm run bench:amd`): synthesises greetings with espeak-ng and sox into a temp dir (humans short
 * and long, machines with and without a beep, each clean and with background noise), sends them through G.711 as
 * a call would, runs the driver's detector and reports accuracy, false positives and time to verdict per set.
 * Synthetic speech is easier than real callers: these are regression figures, not product accuracy claims.
 *
 *   npm run bench:amd [-- --json] [-- --set maxWords=4 --set greetingMs=2500] [-- --noise-dbfs -30]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AmdOverrides } from '@outdial/driver-sip/amd/amd-config';
import { amdConfig } from '@outdial/driver-sip/amd/amd-config';
import { AmdEngine } from '@outdial/driver-sip/amd/amd-engine';
import { decode, encode } from '@outdial/driver-sip/media/g711';
import { readWav } from '@outdial/driver-sip/media/wav';
import type { GreetingPart } from './greeting-synth.ts';
import { synthesizeGreeting, toolsAvailable } from './greeting-synth.ts';

type Kind = 'human-short' | 'human-long' | 'machine-beep' | 'machine-nobeep';

interface Clip {
  name: string;
  kind: Kind;
  parts: GreetingPart[];
}

const VOICES = [
  { voice: 'en-us', speed: 165 },
  { voice: 'en-gb', speed: 175 },
  { voice: 'en-us+f3', speed: 155 },
  { voice: 'en-gb-x-rp+m3', speed: 180 },
];

const HUMAN_SHORT = ['Hello?', 'Yeah, hello?', 'Hi.', 'Hello, who is this?'];
const HUMAN_LONG = ["Hello, this is John, who's calling?", 'Hi, this is Mike speaking, how can I help you?'];
const MACHINES = [
  "Hi, you've reached Sarah. I can't take your call right now, please leave a message after the tone.",
  'The person you are calling is not available. Please leave a message after the tone.',
  "Hey, it's Dan. Leave a message.",
  'You have reached the voicemail of extension four two one. Please record your message after the beep, and press pound when finished.',
];

function clips(): Clip[] {
  const out: Clip[] = [];
  VOICES.forEach((v, vi) => {
    HUMAN_SHORT.forEach((text, i) => {
      // A person says hello and waits; some say it again after a pause.
      const parts: GreetingPart[] = [{ silenceS: 0.4 }, { say: text, ...v }, { silenceS: 2.5 }];
      if ((i + vi) % 2 === 1) parts.push({ say: 'Hello?', ...v }, { silenceS: 2 });
      out.push({ name: `hs-${vi}-${i}`, kind: 'human-short', parts });
    });
    HUMAN_LONG.forEach((text, i) => {
      out.push({ name: `hl-${vi}-${i}`, kind: 'human-long', parts: [{ silenceS: 0.4 }, { say: text, ...v }, { silenceS: 3 }] });
    });
    MACHINES.forEach((text, i) => {
      const base: GreetingPart[] = [{ silenceS: 0.3 }, { say: text, ...v }];
      out.push({ name: `mb-${vi}-${i}`, kind: 'machine-beep', parts: [...base, { silenceS: 0.3 }, { beepHz: [1000, 850, 1400, 440][i % 4] ?? 1000, beepS: 0.5 }, { silenceS: 2 }] });
      out.push({ name: `mn-${vi}-${i}`, kind: 'machine-nobeep', parts: [...base, { silenceS: 3 }] });
    });
  });
  return out;
}

interface Run {
  clip: Clip;
  noisy: boolean;
  verdict: string;
  cause: string;
  decisionMs: number;
  beepMs: number | undefined;
  correct: boolean;
}

/** Runs the detector as the driver does: 20 ms G.711 frames from the answer; a beep before a verdict is a machine. */
function evaluate(samples: Int16Array, overrides: AmdOverrides): { verdict: string; cause: string; decisionMs: number; beepMs: number | undefined } {
  const engine = new AmdEngine(amdConfig(overrides));
  let verdict: { verdict: string; cause: string; decisionMs: number } | undefined;
  let beepMs: number | undefined;
  const frame = new Int16Array(160);
  for (let i = 0; i + 160 <= samples.length; i += 160) {
    // Through the codec, as on a call.
    decode('PCMU', encode('PCMU', samples.subarray(i, i + 160)), frame);
    const t = (i / 160 + 1) * 20;
    for (const e of engine.feed(frame)) {
      if (e.kind === 'verdict' && !verdict) verdict = { verdict: e.result, cause: e.cause, decisionMs: t };
      if (e.kind === 'beep') {
        beepMs ??= t;
        verdict ??= { verdict: 'machine', cause: 'BEEP', decisionMs: t };
      }
    }
    if (verdict && beepMs !== undefined) break;
  }
  return { ...(verdict ?? { verdict: 'unknown', cause: 'NOAUDIODATA', decisionMs: samples.length / 8 }), beepMs };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor((s.length - 1) / 2)] ?? NaN);
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN);
}

function summary(runs: Run[]): Record<string, unknown> {
  const humans = runs.filter((r) => r.clip.kind.startsWith('human'));
  const machines = runs.filter((r) => r.clip.kind.startsWith('machine'));
  const beeped = runs.filter((r) => r.clip.kind === 'machine-beep');
  return {
    clips: runs.length,
    accuracy: Number((runs.filter((r) => r.correct).length / Math.max(1, runs.length)).toFixed(3)),
    humansCorrect: `${humans.filter((r) => r.correct).length}/${humans.length}`,
    machinesCorrect: `${machines.filter((r) => r.correct).length}/${machines.length}`,
    // The harmful error: a person taken for a machine is hung up on (an abandoned call).
    falsePositives: humans.filter((r) => r.verdict === 'machine').length,
    unknown: runs.filter((r) => r.verdict === 'unknown').length,
    beepsFound: `${beeped.filter((r) => r.beepMs !== undefined).length}/${beeped.length}`,
    beepFalseAlarms: runs.filter((r) => r.clip.kind !== 'machine-beep' && r.beepMs !== undefined).length,
    humanVerdictMedianMs: median(humans.map((r) => r.decisionMs)),
    humanVerdictP90Ms: percentile(humans.map((r) => r.decisionMs), 0.9),
    machineVerdictMedianMs: median(machines.map((r) => r.decisionMs)),
    machineVerdictP90Ms: percentile(machines.map((r) => r.decisionMs), 0.9),
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      json: { type: 'boolean' },
      set: { type: 'string', multiple: true },
      'noise-dbfs': { type: 'string' },
      verbose: { type: 'boolean' },
      'clips-dir': { type: 'string' },
    },
  });
  if (!toolsAvailable()) {
    console.error('bench:amd needs espeak-ng and sox (Debian packages espeak-ng, sox)');
    return 1;
  }
  const overrides: Record<string, number> = {};
  for (const kv of values.set ?? []) {
    const [k, v] = kv.split('=');
    if (!k || v === undefined || !Number.isFinite(Number(v))) {
      console.error(`--set ${kv}: expected name=number`);
      return 2;
    }
    overrides[k] = Number(v);
  }
  const noiseDbfs = Number(values['noise-dbfs'] ?? -30);
  // --clips-dir keeps the synthesised clips for parameter sweeps; by default they live in a temp dir.
  const keep = values['clips-dir'];
  if (keep) mkdirSync(keep, { recursive: true });
  const dir = keep ?? mkdtempSync(path.join(tmpdir(), 'outdial-amd-'));
  const started = Date.now();
  const runs: Run[] = [];
  try {
    for (const clip of clips()) {
      for (const noisy of [false, true]) {
        const name = `${clip.name}-${noisy ? `n${-noiseDbfs}` : 'c'}`;
        const cached = path.join(dir, `${name}.wav`);
        const file = keep && existsSync(cached) ? cached : synthesizeGreeting(dir, name, { parts: clip.parts, encoding: 'pcm16', ...(noisy ? { noiseDbfs } : {}) });
        const wav = readWav(readFileSync(file));
        if ('error' in wav) throw new Error(`${file}: ${wav.error}`);
        const r = evaluate(wav.samples, overrides as AmdOverrides);
        const correct = clip.kind.startsWith('human') ? r.verdict === 'human' : r.verdict === 'machine';
        runs.push({ clip, noisy, ...r, correct });
        if (values.verbose) console.error(`${clip.name} ${noisy ? 'noisy' : 'clean'} ${clip.kind}: ${r.verdict} (${r.cause}) ${r.decisionMs} ms${r.beepMs ? ` beep ${r.beepMs} ms` : ''}`);
      }
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  const report = {
    detector: 'energy (app_amd rules, adaptive noise floor) + Goertzel beep/SIT',
    parameters: amdConfig(overrides as AmdOverrides),
    noiseDbfs,
    clean: summary(runs.filter((r) => !r.noisy)),
    noisy: summary(runs.filter((r) => r.noisy)),
    perKind: Object.fromEntries(
      (['human-short', 'human-long', 'machine-beep', 'machine-nobeep'] as const).map((k) => [
        k,
        { clean: `${runs.filter((r) => r.clip.kind === k && !r.noisy && r.correct).length}/${runs.filter((r) => r.clip.kind === k && !r.noisy).length}`, noisy: `${runs.filter((r) => r.clip.kind === k && r.noisy && r.correct).length}/${runs.filter((r) => r.clip.kind === k && r.noisy).length}` },
      ]),
    ),
    errors: runs.filter((r) => !r.correct).map((r) => `${r.clip.name}${r.noisy ? ' (noisy)' : ''} ${r.clip.kind} → ${r.verdict} ${r.cause}`),
    seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
  };
  if (values.json) console.log(JSON.stringify(report));
  else console.log(JSON.stringify(report, null, 2));
  return 0;
}

process.exitCode = await main();
