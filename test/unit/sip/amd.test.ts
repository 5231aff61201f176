import { describe, expect, it } from 'vitest';
import { amdConfig } from '@outdial/driver-sip/amd/amd-config';
import type { AmdOverrides } from '@outdial/driver-sip/amd/amd-config';
import { AmdEngine } from '@outdial/driver-sip/amd/amd-engine';
import type { AmdEvent } from '@outdial/driver-sip/amd/amd-engine';
import { LevelHistogram } from '@outdial/driver-sip/amd/level-histogram';
import { NoiseFloor } from '@outdial/driver-sip/amd/noise-floor';
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

/**
 * Voiced-speech-like sound (harmonics of a 150 Hz voice from 300 Hz to 1.2 kHz under a 4 Hz syllable envelope, so
 * it dips between syllables without going silent), pure tones and silence, then optional white noise of RMS
 * `noiseRms`. The speech has an RMS of ≈ 3000 (−20 dBFS), so noise of 950 is 10 dB below it.
 */
function audio(segments: Segment[], noiseRms = 0, seed = 7): Int16Array {
  const out: number[] = [];
  for (const seg of segments) {
    if ('speechMs' in seg) {
      const n = seg.speechMs * 8;
      for (let i = 0; i < n; i++) {
        const t = i / 8000;
        let v = 0;
        for (let k = 2; k <= 8; k++) v += Math.sin(2 * Math.PI * 150 * k * t + k);
        out.push(v * 1500 * (0.55 + 0.45 * Math.cos(2 * Math.PI * 4 * t)));
      }
    } else if ('silenceMs' in seg) {
      for (let i = 0; i < seg.silenceMs * 8; i++) out.push(0);
    } else {
      for (let i = 0; i < seg.ms * 8; i++) out.push(Math.sin((2 * Math.PI * seg.toneHz * i) / 8000) * 8000);
    }
  }
  const rnd = lcg(seed);
  // Uniform noise in ±a has RMS a/√3.
  const a = noiseRms * Math.sqrt(3);
  return Int16Array.from(out, (x) => Math.max(-32768, Math.min(32767, Math.round(x + (rnd() * 2 - 1) * a))));
}

function run(samples: Int16Array, engine = new AmdEngine(amdConfig())): Array<AmdEvent & { t: number }> {
  const events: Array<AmdEvent & { t: number }> = [];
  for (let i = 0; i + 160 <= samples.length; i += 160) {
    for (const e of engine.feed(samples.subarray(i, i + 160))) events.push({ ...e, t: (i / 160 + 1) * 20 });
  }
  return events;
}

const engine = (o: AmdOverrides = {}): AmdEngine => new AmdEngine(amdConfig(o));

const verdictOf = (events: Array<AmdEvent & { t: number }>): string | undefined => {
  const v = events.find((e) => e.kind === 'verdict');
  return v?.kind === 'verdict' ? `${v.result}:${v.cause}` : undefined;
};
const verdictAt = (events: Array<AmdEvent & { t: number }>): number | undefined => events.find((e) => e.kind === 'verdict')?.t;

/** A machine's greeting: words of 250 ms with 80 ms gaps and a 300 ms pause between sentences, for `ms`. */
function greeting(ms: number): Segment[] {
  const out: Segment[] = [];
  for (let t = 0, k = 0; t < ms; k++) {
    out.push({ speechMs: 250 }, { silenceMs: k % 5 === 4 ? 300 : 80 });
    t += k % 5 === 4 ? 550 : 330;
  }
  return out;
}

describe('noise floor (minimum statistics)', () => {
  it('stays on the noise while loud bursts come and go, and follows a change of noise within one window', () => {
    const floor = new NoiseFloor(10, 8, 0.5); // 80-frame window
    const rnd = lcg(3);
    const noise = (p: number): number => p * (0.8 + 0.4 * rnd());
    // 200 frames of noise of power 1e4 with a burst 100 times louder for 6 frames in every 16 (words and gaps).
    for (let f = 0; f < 200; f++) floor.update(f % 16 < 6 && f > 20 ? noise(1e6) : noise(1e4));
    expect(floor.floor).toBeGreaterThan(0.7e4);
    expect(floor.floor).toBeLessThan(1.3e4);
    // The noise becomes 10 dB louder: within a window and a sub-window the floor has followed it...
    for (let f = 0; f < 90; f++) floor.update(noise(1e5));
    expect(floor.floor).toBeGreaterThan(0.7e5);
    // ...and when it becomes quieter the floor follows as fast as the smoothing lets it (the minimum).
    for (let f = 0; f < 6; f++) floor.update(1e3);
    expect(floor.floor).toBeLessThan(3e3);
  });

  it('ranks: the second-least sub-window minimum ignores one quiet dip', () => {
    const least = new NoiseFloor(10, 8, 0, 0);
    const second = new NoiseFloor(10, 8, 0, 1);
    for (let f = 0; f < 80; f++) {
      const p = f >= 30 && f < 40 ? 100 : 1e4; // one sub-window of near-silence
      least.update(p);
      second.update(p);
    }
    expect(least.floor).toBe(100);
    expect(second.floor).toBe(1e4);
  });
});

/**
 * A crowd: `talkers` voices (harmonics of their own pitch, 100–235 Hz) each saying syllables of 80–250 ms with
 * 30–200 ms between them at random strengths, summed and scaled to an RMS of `rms`; its level swings like speech.
 */
function crowd(ms: number, rms: number, talkers = 10, seed = 11): Float64Array {
  const n = ms * 8;
  const x = new Float64Array(n);
  const rnd = lcg(seed);
  for (let t = 0; t < talkers; t++) {
    const f0 = 100 + 15 * t;
    let i = -Math.floor(rnd() * 2000);
    while (i < n) {
      const on = Math.round((80 + 170 * rnd()) * 8);
      const amp = 0.3 + 0.7 * rnd();
      for (let j = 0; j < on; j++, i++) {
        if (i < 0 || i >= n) continue;
        const env = amp * Math.sin((Math.PI * j) / on);
        let v = 0;
        for (let k = 2; k <= 8; k++) v += Math.sin((2 * Math.PI * f0 * k * i) / 8000 + k * t);
        x[i] = (x[i] ?? 0) + v * env;
      }
      i += Math.round((30 + 170 * rnd()) * 8);
    }
  }
  let power = 0;
  for (const v of x) power += v * v;
  const scale = rms / Math.sqrt(power / n || 1);
  return x.map((v) => v * scale);
}

/** `audio(segments)` with a crowd of RMS `rms` mixed under it. */
function inCrowd(segments: Segment[], rms: number): Int16Array {
  const clean = audio(segments);
  const noise = crowd(clean.length / 8, rms);
  return Int16Array.from(clean, (v, i) => Math.max(-32768, Math.min(32767, Math.round(v + (noise[i] ?? 0)))));
}

/** Like `inCrowd`, with each run of segments at its own gain: a talker whose level changes. */
function inCrowdAt(parts: Array<[Segment[], number]>, rms: number): Int16Array {
  const clean = parts.flatMap(([segments, gain]) => Array.from(audio(segments), (v) => v * gain));
  const noise = crowd(clean.length / 8, rms);
  return Int16Array.from(clean, (v, i) => Math.max(-32768, Math.min(32767, Math.round(v + (noise[i] ?? 0)))));
}

describe('level histogram', () => {
  it('gives percentiles of the last frames only, to the bin', () => {
    const h = new LevelHistogram(4, 0.5);
    for (const db of [40, 50, 60, 70]) h.add(10 ** (db / 10));
    const dbOf = (p: number): number => 10 * Math.log10(p);
    expect(dbOf(h.percentile(25))).toBeCloseTo(40.25, 1);
    expect(dbOf(h.percentile(50))).toBeCloseTo(50.25, 1);
    expect(dbOf(h.percentile(100))).toBeCloseTo(70.25, 1);
    // Two louder frames push the two oldest out of the window.
    h.add(10 ** 8);
    h.add(10 ** 9);
    expect(h.size).toBe(4);
    expect(dbOf(h.percentile(25))).toBeCloseTo(60.25, 1);
    expect(new LevelHistogram(4).percentile(50)).toBe(0);
  });
});

describe('energy AMD', () => {
  it('calls a short hello followed by silence a human, after the after-greeting silence', () => {
    const events = run(audio([{ silenceMs: 400 }, { speechMs: 500 }, { silenceMs: 3000 }]));
    expect(verdictOf(events)).toBe('human:HUMAN');
    // 400 + 500 + 800 ms, give or take the frame smoothing.
    expect(verdictAt(events)).toBeGreaterThanOrEqual(1680);
    expect(verdictAt(events)).toBeLessThanOrEqual(1760);
    expect(events.filter((e) => e.kind === 'speech-start' || e.kind === 'speech-end').map((e) => e.kind)).toEqual(['speech-start', 'speech-end']);
  });

  it('calls a short hello a human in white noise 10 dB below it, as quickly as in silence', () => {
    const events = run(audio([{ silenceMs: 600 }, { speechMs: 500 }, { silenceMs: 3000 }], 950));
    expect(verdictOf(events)).toBe('human:HUMAN');
    expect(verdictAt(events)).toBeLessThanOrEqual(600 + 500 + 800 + 100);
  });

  it('answers a short hello sooner with the short-greeting rule, and not a longer greeting', () => {
    const quick = { shortGreetingMs: 800, shortGreetingSilenceMs: 500 };
    const hello = run(audio([{ silenceMs: 400 }, { speechMs: 500 }, { silenceMs: 3000 }], 950), engine(quick));
    expect(verdictOf(hello)).toBe('human:SHORTGREETING');
    expect(verdictAt(hello)).toBeLessThanOrEqual(400 + 500 + 500 + 100);
    const longer = run(audio([{ silenceMs: 400 }, { speechMs: 1500 }, { silenceMs: 3000 }], 950), engine(quick));
    expect(verdictOf(longer)).toBe('human:HUMAN');
  });

  it('calls a long greeting a machine, clean and in noise 10 dB below it, where a floor that crept up under the voice called it a human', () => {
    const long = [{ silenceMs: 300 }, ...greeting(5000)];
    expect(verdictOf(run(audio(long)))).toMatch(/^machine:(LONGGREETING|MAXWORDS)$/);
    expect(verdictOf(run(audio(long, 950)))).toMatch(/^machine:(LONGGREETING|MAXWORDS)$/);
    // Many words are a machine even when their total is short of greetingMs.
    expect(verdictOf(run(audio(long), engine({ greetingMs: 10_000 })))).toBe('machine:MAXWORDS');
  });

  it('calls a long first utterance a machine when that rule is on', () => {
    const events = run(audio([{ silenceMs: 300 }, ...greeting(5000)], 950), engine({ maxFirstUtteranceMs: 1500, greetingMs: 10_000, maxWords: 99 }));
    expect(verdictOf(events)).toBe('machine:LONGFIRSTUTTERANCE');
    expect(verdictAt(events)).toBeLessThanOrEqual(300 + 1500 + 100);
  });

  it('keeps a human a human under steady background noise (adaptive floor); a fixed threshold would not', () => {
    const noisyHello = audio([{ silenceMs: 500 }, { speechMs: 500 }, { silenceMs: 3000 }], 1200);
    expect(verdictOf(run(noisyHello))).toBe('human:HUMAN');
    // app_amd's fixed threshold (256), i.e. no margin over the floor: the noise counts as voice, the hello becomes a long greeting.
    expect(verdictOf(run(noisyHello, engine({ noiseMarginDb: 0, voiceHoldMarginDb: 0 })))).toMatch(/^machine:/);
  });

  it('under a crowd 9 dB below the voice, calls a hello a human and a long greeting a machine; without the swing gate the crowd is voice', () => {
    const hello = inCrowd([{ silenceMs: 500 }, { speechMs: 500 }, { silenceMs: 4000 }], 1060);
    const gated = engine();
    expect(verdictOf(run(hello, gated))).toBe('human:HUMAN');
    expect((gated as unknown as { energy: { gate: { swinging: boolean } } }).energy.gate.swinging).toBe(true);
    // The floor-and-margin detector alone hears the crowd as talk that goes on: a long greeting.
    expect(verdictOf(run(hello, engine({ backgroundPercentile: 0 })))).toMatch(/^machine:/);
    const long = inCrowd([{ silenceMs: 400 }, ...greeting(4500), { silenceMs: 1000 }], 1060);
    expect(verdictOf(run(long))).toMatch(/^machine:(LONGGREETING|MAXWORDS)$/);
  });

  it('under a crowd, does not take a quiet machine cut by the gate into words and "silence" for a human (QUIETTOOLONG)', () => {
    // A machine at the crowd's level but for one louder syllable every 1.5 s: the gate lets only those through.
    const parts: Array<[Segment[], number]> = [[[{ silenceMs: 500 }], 1]];
    for (let k = 0; k < 6; k++) parts.push([[{ speechMs: 300 }, { silenceMs: 80 }], 1], [greeting(1200), 0.4]);
    const quiet = inCrowdAt(parts, 1060);
    const e = run(quiet);
    expect(verdictOf(e)).toBe('machine:QUIETTOOLONG');
    expect(verdictAt(e)).toBe(5000);
    // Without the quiet-greeting rule, 800 ms between the loud syllables make a human; without its last step, unknown.
    expect(verdictOf(run(quiet, engine({ quietGreetingPeakDb: 0 })))).toBe('human:HUMAN');
    expect(verdictOf(run(quiet, engine({ quietGreetingTooLongIsMachine: false })))).toBe('unknown:TOOLONG');
    // A hello well over the crowd is not a quiet greeting: a human as soon as without the rule.
    const hello = inCrowdAt([[[{ silenceMs: 500 }, { speechMs: 500 }, { silenceMs: 4500 }], 2.5]], 1060);
    const loud = run(hello);
    expect(verdictOf(loud)).toBe('human:HUMAN');
    expect(verdictAt(loud)).toBe(verdictAt(run(hello, engine({ quietGreetingPeakDb: 0 }))));
  });

  it('leaves the swing gate off under steady noise', () => {
    const e = engine();
    expect(verdictOf(run(audio([{ silenceMs: 500 }, { speechMs: 500 }, { silenceMs: 3000 }], 950), e))).toBe('human:HUMAN');
    expect((e as unknown as { energy: { gate: { swinging: boolean } } }).energy.gate.swinging).toBe(false);
  });

  it('calls a silent or steadily noisy line a machine (INITIALSILENCE), like app_amd', () => {
    expect(verdictOf(run(audio([{ silenceMs: 3000 }])))).toBe('machine:INITIALSILENCE');
    expect(verdictOf(run(audio([{ silenceMs: 3000 }], 950)))).toBe('machine:INITIALSILENCE');
  });

  it('counts lost frames as silence', () => {
    const e = engine();
    const hello = audio([{ silenceMs: 300 }, { speechMs: 400 }]);
    for (let i = 0; i + 160 <= hello.length; i += 160) e.feed(hello.subarray(i, i + 160));
    const events: Array<AmdEvent & { t: number }> = [];
    for (let i = 0; i < 45; i++) events.push(...e.feed(undefined).map((x) => ({ ...x, t: i })));
    expect(verdictOf(events)).toBe('human:HUMAN');
  });
});

describe('tone detection', () => {
  it('finds a steady tone and its frequency, also in noise, and no tone in speech or noise', () => {
    expect(toneOf(audio([{ toneHz: 1000, ms: 20 }]), 0.7, 256)?.hz).toBeCloseTo(1000, -2);
    // 15 dB above white noise: zero-crossing counting is thrown off here, the autocorrelation estimate is not.
    expect(toneOf(audio([{ toneHz: 1400, ms: 20 }], 1000), 0.7, 256)?.hz).toBeCloseTo(1400, -2);
    expect(toneOf(audio([{ toneHz: 440, ms: 20 }], 1000), 0.7, 256)?.hz).toBeCloseTo(440, -2);
    expect(toneOf(audio([{ speechMs: 20 }]), 0.7, 256)).toBeUndefined();
    expect(toneOf(audio([{ silenceMs: 20 }], 2000), 0.7, 256)).toBeUndefined();
  });

  it('reports a voicemail beep when the tone ends, clean and in noise', () => {
    for (const noise of [0, 1000]) {
      const events = run(audio([...greeting(1500), { silenceMs: 300 }, { toneHz: 1000, ms: 500 }, { silenceMs: 500 }], noise));
      const beeps = events.filter((e) => e.kind === 'beep');
      expect(beeps).toHaveLength(1);
      const beep = beeps[0];
      expect(beep?.kind === 'beep' ? beep.hz : 0).toBeCloseTo(1000, -2);
      expect(beep?.t).toBeGreaterThanOrEqual(1650 + 300 + 500);
    }
  });

  it('ignores tones shorter than the minimum beep', () => {
    const detector = new ToneDetector(amdConfig());
    const short = audio([{ toneHz: 1000, ms: 100 }, { silenceMs: 200 }], 500);
    const events = [];
    for (let i = 0; i + 160 <= short.length; i += 160) events.push(...detector.feed(short.subarray(i, i + 160)));
    expect(events).toEqual([]);
  });

  it('recognises the SIT tri-tone, clean and in noise, and does not call its first tone a beep', () => {
    for (const noise of [0, 800]) {
      const sit = audio([{ silenceMs: 200 }, { toneHz: 913.8, ms: 274 }, { toneHz: 1370.6, ms: 274 }, { toneHz: 1776.7, ms: 380 }, { silenceMs: 1000 }], noise);
      const events = run(sit);
      expect(events.filter((e) => e.kind === 'sit')).toHaveLength(1);
      expect(events.filter((e) => e.kind === 'beep')).toEqual([]);
    }
  });
});
