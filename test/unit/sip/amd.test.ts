import { describe, expect, it } from 'vitest';
import { amdConfig } from '@outdial/driver-sip/amd/amd-config';
import { AmdEngine } from '@outdial/driver-sip/amd/amd-engine';
import type { AmdEvent } from '@outdial/driver-sip/amd/amd-engine';
import { ToneDetector, toneOf } from '@outdial/driver-sip/amd/tone-detector';

/** A small deterministic PRNG so the "speech" and the noise are the same every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

type Segment = { speechMs: number } | { silenceMs: number } | { toneHz: number; ms: number };

/** Syllable-like bursts (noise under a 4 Hz envelope) for speech, pure tones, silence; optional background noise. */
function audio(segments: Segment[], noise = 0, seed = 7): Int16Array {
  const rnd = lcg(seed);
  const out: number[] = [];
  for (const seg of segments) {
    if ('speechMs' in seg) {
      const n = seg.speechMs * 8;
      for (let i = 0; i < n; i++) out.push((rnd() * 2 - 1) * 9000 * (0.6 + 0.4 * Math.sin((i / 8000) * 2 * Math.PI * 4)));
    } else if ('silenceMs' in seg) {
      for (let i = 0; i < seg.silenceMs * 8; i++) out.push(0);
    } else {
      for (let i = 0; i < seg.ms * 8; i++) out.push(Math.sin((2 * Math.PI * seg.toneHz * i) / 8000) * 8000);
    }
  }
  const rnd2 = lcg(seed + 1);
  return Int16Array.from(out, (x) => Math.max(-32768, Math.min(32767, Math.round(x + (rnd2() * 2 - 1) * noise))));
}

function run(samples: Int16Array, engine = new AmdEngine(amdConfig())): Array<AmdEvent & { t: number }> {
  const events: Array<AmdEvent & { t: number }> = [];
  for (let i = 0; i + 160 <= samples.length; i += 160) {
    for (const e of engine.feed(samples.subarray(i, i + 160))) events.push({ ...e, t: (i / 160 + 1) * 20 });
  }
  return events;
}

const verdictOf = (events: AmdEvent[]): string | undefined => {
  const v = events.find((e) => e.kind === 'verdict');
  return v?.kind === 'verdict' ? `${v.result}:${v.cause}` : undefined;
};

describe('energy AMD', () => {
  it('calls a short hello followed by silence a human, after the after-greeting silence', () => {
    const events = run(audio([{ silenceMs: 400 }, { speechMs: 500 }, { silenceMs: 3000 }]));
    expect(verdictOf(events)).toBe('human:HUMAN');
    const verdict = events.find((e) => e.kind === 'verdict');
    expect(verdict?.t).toBe(400 + 500 + 800);
    expect(events.filter((e) => e.kind === 'speech-start' || e.kind === 'speech-end').map((e) => e.kind)).toEqual(['speech-start', 'speech-end']);
  });

  it('calls many words a machine (MAXWORDS) and a long unbroken greeting a machine', () => {
    const words: Segment[] = [{ silenceMs: 300 }];
    for (let i = 0; i < 10; i++) words.push({ speechMs: 200 }, { silenceMs: 120 });
    expect(verdictOf(run(audio(words)))).toBe('machine:MAXWORDS');
    expect(verdictOf(run(audio([{ silenceMs: 300 }, { speechMs: 4000 }])))).toBe('machine:LONGGREETING');
  });

  it('calls a silent line a machine (INITIALSILENCE), like app_amd', () => {
    expect(verdictOf(run(audio([{ silenceMs: 3000 }])))).toBe('machine:INITIALSILENCE');
  });

  it('keeps a human a human under steady background noise (adaptive floor); a fixed threshold would not', () => {
    const noisyHello = audio([{ silenceMs: 500 }, { speechMs: 500 }, { silenceMs: 3000 }], 1200);
    expect(verdictOf(run(noisyHello))).toBe('human:HUMAN');
    // app_amd's fixed threshold (256): the noise counts as voice and the hello becomes a long greeting.
    const fixed = new AmdEngine(amdConfig({ noiseMarginDb: 0, noiseFloorRisePerFrame: 0, silenceThreshold: 256 }));
    expect(verdictOf(run(noisyHello, fixed))).toMatch(/^machine:/);
  });

  it('counts lost frames as silence', () => {
    const engine = new AmdEngine(amdConfig());
    const hello = audio([{ silenceMs: 300 }, { speechMs: 400 }]);
    for (let i = 0; i + 160 <= hello.length; i += 160) engine.feed(hello.subarray(i, i + 160));
    const events: AmdEvent[] = [];
    for (let i = 0; i < 40; i++) events.push(...engine.feed(undefined));
    expect(verdictOf(events)).toBe('human:HUMAN');
  });
});

describe('tone detection', () => {
  it('finds a steady tone and its frequency, and no tone in speech-like noise', () => {
    expect(toneOf(audio([{ toneHz: 1000, ms: 20 }]), 0.7, 256)?.hz).toBeCloseTo(1000, -2);
    expect(toneOf(audio([{ speechMs: 20 }]), 0.7, 256)).toBeUndefined();
  });

  it('reports a voicemail beep when the tone ends', () => {
    const events = run(audio([{ speechMs: 1500 }, { silenceMs: 300 }, { toneHz: 1000, ms: 500 }, { silenceMs: 500 }]));
    const beep = events.find((e) => e.kind === 'beep');
    expect(beep).toMatchObject({ kind: 'beep' });
    expect(beep?.kind === 'beep' ? beep.hz : 0).toBeCloseTo(1000, -2);
    expect(beep?.t).toBeGreaterThanOrEqual(1500 + 300 + 500);
  });

  it('ignores tones shorter than the minimum beep', () => {
    const detector = new ToneDetector(amdConfig());
    const short = audio([{ toneHz: 1000, ms: 100 }, { silenceMs: 200 }]);
    const events = [];
    for (let i = 0; i + 160 <= short.length; i += 160) events.push(...detector.feed(short.subarray(i, i + 160)));
    expect(events).toEqual([]);
  });

  it('recognises the SIT tri-tone and does not call its first tone a beep', () => {
    const sit = audio([{ silenceMs: 200 }, { toneHz: 913.8, ms: 274 }, { toneHz: 1370.6, ms: 274 }, { toneHz: 1776.7, ms: 380 }, { silenceMs: 1000 }]);
    const events = run(sit);
    expect(events.filter((e) => e.kind === 'sit')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'beep')).toEqual([]);
  });
});
