import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '@outdial/core/virtual-clock';
import { agentsAt, liveRateAt, parseScenario, scenarioRingTimeoutSeconds } from '@outdial/telephony/sim/scenario';
import { loadDemoScenario } from '@outdial/telephony/sim/demo-scenario';
import { SimDriver } from '@outdial/telephony/sim/sim-driver';
import { leadHash } from '@outdial/telephony/sim/lead-random';
import { hashString } from '@outdial/core/random/seeded-random';

const load = (name: string) => {
  const parsed = parseScenario(JSON.parse(readFileSync(new URL(`../../../../shared/scenarios/${name}.json`, import.meta.url), 'utf8')));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.scenario;
};
const T0 = Date.UTC(2026, 0, 5);

describe('scenario files', () => {
  it('every public scenario parses', () => {
    for (const name of ['M10', 'M50', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6']) expect(load(name).name).toBe(name);
  });

  it('reports the first wrong field', () => {
    const s2 = JSON.parse(readFileSync(new URL('../../../../shared/scenarios/S2.json', import.meta.url), 'utf8'));
    expect(parseScenario({ ...s2, outcomes: { ...s2.outcomes, live: 0.5 } })).toMatchObject({ ok: false, error: expect.stringMatching(/sum to 1/) });
    expect(parseScenario({ ...s2, talkSeconds: { dist: 'lognormal', mean: -3, cv: 1 } })).toMatchObject({ ok: false, error: expect.stringMatching(/talkSeconds/) });
    const { noAnswerTimeoutSeconds: _dropped, ...noTimeout } = s2;
    expect(parseScenario(noTimeout)).toMatchObject({ ok: false, error: expect.stringMatching(/noAnswerTimeoutSeconds/) });
  });

  it('reads schedules as the README says: live rate interpolated, agents as a step function', () => {
    const s4 = load('S4');
    expect(liveRateAt(s4, 0)).toBeCloseTo(0.25, 6);
    expect(liveRateAt(s4, 0.125)).toBeCloseTo((0.25 + 0.2474) / 2, 6);
    expect(liveRateAt(s4, 9)).toBeCloseTo(0.15, 6);
    expect(agentsAt(s4, 0.49)).toBe(40);
    expect(agentsAt(s4, 0.5)).toBe(50);
    expect(s4.maxAgents).toBe(60);
  });

  it('no ring timeout when the network ends no-answers itself (M files)', () => {
    expect(scenarioRingTimeoutSeconds(load('M10'))).toBeGreaterThan(1e6);
    expect(scenarioRingTimeoutSeconds(load('S2'))).toBe(25);
  });
});

describe('common random numbers', () => {
  it('the same (seed, contact, attempt) gets the same draws whatever else was dialed before', () => {
    const s2 = load('S2');
    const a = new SimDriver({ clock: new VirtualClock(T0), scenario: s2, seed: 5, dayOrigin: T0 });
    const b = new SimDriver({ clock: new VirtualClock(T0), scenario: s2, seed: 5, dayOrigin: T0 });
    for (let i = 0; i < 100; i++) b.draw(`other-${i}`, 1, T0);
    for (let i = 0; i < 200; i++) expect(b.draw(`L${i}`, 1, T0 + 1000)).toEqual(a.draw(`L${i}`, 1, T0 + 1000));
    expect(a.draw('L1', 2, T0)).not.toEqual(a.draw('L1', 1, T0));
    const other = new SimDriver({ clock: new VirtualClock(T0), scenario: s2, seed: 6, dayOrigin: T0 });
    expect(other.draw('L1', 1, T0)).not.toEqual(a.draw('L1', 1, T0));
  });

  it('a lead\'s stream is seeded by the hash of "contactId#attemptNo" (leadHash builds no string)', () => {
    for (const seed of [0, 1, 5, 0xffffffff, 123456789]) {
      for (const [contact, attempt] of [['L0', 1], ['L123456', 3], ['c-ü-é', 12], ['', 1], ['L9', 1000]] as const) {
        expect(leadHash(seed, contact, attempt)).toBe(hashString(`${contact}#${attempt}`, seed));
      }
    }
  });

  it('draws follow the scenario mix', () => {
    const s2 = load('S2');
    const sim = new SimDriver({ clock: new VirtualClock(T0), scenario: s2, seed: 1, dayOrigin: T0 });
    const n = 20_000;
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const k = sim.draw(`L${i}`, 1, T0).kind;
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect((counts.live ?? 0) / n).toBeCloseTo(0.2, 1);
    expect((counts.noAnswer ?? 0) / n).toBeCloseTo(0.4, 1);
    expect((counts.machine ?? 0) / n).toBeCloseTo(0.25, 1);
  });

  it('a live-rate schedule moves leads between live and no-answer by the time of the dial', () => {
    const s4 = load('S4');
    const sim = new SimDriver({ clock: new VirtualClock(T0), scenario: s4, seed: 1, dayOrigin: T0 });
    const liveShare = (hour: number) => {
      let live = 0;
      for (let i = 0; i < 10_000; i++) if (sim.draw(`L${i}`, 1, T0 + hour * 3_600_000).kind === 'live') live++;
      return live / 10_000;
    };
    expect(liveShare(0)).toBeCloseTo(0.25, 1);
    expect(liveShare(4.5)).toBeCloseTo(0.07, 1);
  });
});

describe('the demo scenario', () => {
  it('is human-watchable: short rings, conversations of 20–60 s', () => {
    const s = loadDemoScenario();
    expect(s.liveAnswer.mean).toBeLessThan(8);
    expect(s.talk.mean).toBeGreaterThan(20);
    expect(s.talk.mean).toBeLessThan(60);
    expect(s.amd.enabled).toBe(true);
  });
});

describe('the per-lead stream', () => {
  it('is the core seeded generator, without closures', async () => {
    const { LeadRandom } = await import('@outdial/telephony/sim/lead-random');
    const { seededRandom } = await import('@outdial/core/random/seeded-random');
    for (const seed of [0, 1, 12345, 0xffffffff]) {
      const a = new LeadRandom(seed);
      const b = seededRandom(seed);
      for (let i = 0; i < 20; i++) expect(a.next()).toBe(b.next());
    }
  });
});
