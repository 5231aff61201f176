import { describe, expect, it } from 'vitest';
import { BudgetController } from '@outdial/core/pacing/estimators/budget-controller';
import { FloorTracker } from '@outdial/core/pacing/estimators/floor-tracker';
import { MachineShare } from '@outdial/core/pacing/estimators/machine-share';
import { OutdialPolicy } from '@outdial/core/pacing/outdial-policy';
import { isMachineDisposition, type PacingObservation, type PacingPolicy } from '@outdial/core/pacing/policy';
import { seededRandom } from '@outdial/core/random/seeded-random';
import { TestDialer } from '../dialer/test-dialer.ts';
import { floor, repeat } from './snapshot-fixture.ts';

describe('MachineShare', () => {
  it('says nothing before any disposition', () => {
    const m = new MachineShare();
    expect(m.machineProbability(20_000)).toBe(0);
    expect(m.count).toBe(0);
  });

  it('learns P(machine | ring time): people answer early, machines late', () => {
    const m = new MachineShare();
    // People at 6–10 s, machines at 18–22 s; 1 person in 4 at 18–22 s as well.
    for (let i = 0; i < 400; i++) {
      m.add(6000 + (i % 5) * 1000, false);
      m.add(18_000 + (i % 5) * 1000, true);
      if (i % 3 === 0) m.add(18_000 + (i % 5) * 1000, false);
    }
    expect(m.machineProbability(8000)).toBeLessThan(0.05);
    expect(m.machineProbability(20_000)).toBeGreaterThan(0.7);
    expect(m.machineProbability(20_000)).toBeLessThan(0.8);
    // A ring time never seen takes the overall share (about 0.43 here).
    expect(m.machineProbability(40_000)).toBeCloseTo(m.overall(), 6);
    expect(m.overall()).toBeGreaterThan(0.38);
    expect(m.overall()).toBeLessThan(0.48);
  });

  it('forgets: a list without machines brings the share down', () => {
    const m = new MachineShare(2000, 40, 200);
    for (let i = 0; i < 1000; i++) m.add(20_000, true);
    for (let i = 0; i < 1000; i++) m.add(20_000, false);
    expect(m.machineProbability(20_000)).toBeLessThan(0.05);
  });
});

describe('BudgetController with machine corrections', () => {
  const settings = { target: 0.03, hoursPerDay: 8, theta0: 0.01, z: 1.64, integralGain: 0.1, proportionalGain: 0.3, regime: 'us30d' as const };

  it('counts only the person share of an abandon, and takes machines out of the live answers', () => {
    const b = new BudgetController(settings);
    for (let i = 0; i < 100; i++) b.onLiveAnswer(1000 + i);
    b.onAbandon(2000, 0.25);
    b.correctLive(2000, -1);
    b.correctLive(2000, -1);
    const { abandons, liveAnswers } = b.counts();
    expect(abandons).toBeCloseTo(0.25, 9);
    // 100 counted − 2 machines connected − 0.75 of the abandoned call.
    expect(liveAnswers).toBeCloseTo(97.25, 9);
  });

  it('measures the recent rate on people: 30 abandons, 2/3 of them machines, over 600 people', () => {
    const b = new BudgetController(settings);
    for (let i = 0; i < 3000; i++) b.onLiveAnswer(i);
    const before = b.recentRate();
    expect(before).toBeLessThan(0.001);
    // 600 people and 200 machines counted as live answers; 30 abandons each 1/3 a person.
    for (let i = 0; i < 800; i++) {
      b.onLiveAnswer(3000 + i);
      if (i % 4 === 3) b.correctLive(3000 + i, -1);
      if (i % 27 === 0) b.onAbandon(3000 + i, 1 / 3);
    }
    // ≈ 10 person-abandons among ≈ 600 people, with the EWMA's memory of 500: well under the 5 % a machine-blind count gives.
    expect(b.recentRate()).toBeGreaterThan(0.008);
    expect(b.recentRate()).toBeLessThan(0.025);
  });
});

describe('FloorTracker machine dispositions', () => {
  function connectAndDisposition(t: FloorTracker, id: string, ringMs: number, machine: boolean, at: number): void {
    t.observe({ type: 'dialed', at, callId: id });
    t.observe({ type: 'answered', at: at + ringMs, callId: id, ringMs, live: true });
    t.observe({ type: 'live-answer-counted', at: at + ringMs, callId: id });
    t.observe({ type: 'connected', at: at + ringMs + 100, callId: id, agentId: 'x', waitMs: 100 });
    t.observe({ type: 'call-ended', at: at + ringMs + 15_000, callId: id, agentId: 'x', talkMs: 15_000 });
    t.observe({ type: 'wrap-ended', at: at + ringMs + 15_000, agentId: 'x', wrapMs: 0, machine });
  }

  it('learns the machine share by ring time from dispositions and weighs abandons and live answers by it', () => {
    const t = new FloorTracker(2000);
    const live: number[] = [];
    const abandons: number[] = [];
    const corrections: number[] = [];
    t.onLiveAnswer = () => live.push(1);
    t.onAbandon = (_at, person) => abandons.push(person);
    t.onLiveCorrection = (_at, delta) => corrections.push(delta);
    let at = 0;
    for (let i = 0; i < 200; i++) {
      connectAndDisposition(t, `p${i}`, 8000, false, at);
      connectAndDisposition(t, `m${i}`, 20_000, true, at + 40_000);
      at += 100_000;
    }
    expect(live.length).toBe(400);
    expect(corrections).toEqual(Array.from({ length: 200 }, () => -1));
    expect(t.machineShare.count).toBe(400);
    // An abandoned call that rang 20 s was a machine; one that rang 8 s a person.
    for (const [id, ringMs] of [['late', 20_500], ['early', 8500]] as const) {
      t.observe({ type: 'dialed', at, callId: id });
      t.observe({ type: 'answered', at: at + ringMs, callId: id, ringMs, live: true });
      t.observe({ type: 'abandoned', at: at + ringMs + 2000, callId: id });
    }
    expect(abandons[0]).toBeLessThan(0.05);
    expect(abandons[1]).toBeGreaterThan(0.95);
  });

  it('without dispositions (machine flag absent) every abandon is a person, as before', () => {
    const t = new FloorTracker(2000);
    const abandons: number[] = [];
    const corrections: number[] = [];
    t.onAbandon = (_at, person) => abandons.push(person);
    t.onLiveCorrection = (_at, delta) => corrections.push(delta);
    t.observe({ type: 'dialed', at: 0, callId: 'a' });
    t.observe({ type: 'answered', at: 8000, callId: 'a', ringMs: 8000, live: true });
    t.observe({ type: 'connected', at: 8100, callId: 'a', agentId: 'x', waitMs: 100 });
    t.observe({ type: 'call-ended', at: 23_100, callId: 'a', agentId: 'x', talkMs: 15_000 });
    t.observe({ type: 'wrap-ended', at: 23_100, agentId: 'x', wrapMs: 0 });
    t.observe({ type: 'dialed', at: 0, callId: 'b' });
    t.observe({ type: 'answered', at: 20_000, callId: 'b', ringMs: 20_000, live: true });
    t.observe({ type: 'abandoned', at: 22_000, callId: 'b' });
    expect(abandons).toEqual([1]);
    expect(corrections).toEqual([]);
  });

  it('reaches the policy budget: machines connected leave the window count of live answers', () => {
    const p = new OutdialPolicy({ regime: 'us30d' });
    const feed = (o: PacingObservation): void => p.observe(o);
    let at = 0;
    for (let i = 0; i < 50; i++) {
      for (const [id, ringMs, machine] of [[`p${i}`, 8000, false], [`m${i}`, 20_000, true]] as const) {
        feed({ type: 'dialed', at, callId: id });
        feed({ type: 'answered', at: at + ringMs, callId: id, ringMs, live: true });
        feed({ type: 'live-answer-counted', at: at + ringMs, callId: id });
        feed({ type: 'connected', at: at + ringMs, callId: id, agentId: 'x', waitMs: 0 });
        feed({ type: 'call-ended', at: at + ringMs + 15_000, callId: id, agentId: 'x', talkMs: 15_000 });
        feed({ type: 'wrap-ended', at: at + ringMs + 15_000, agentId: 'x', wrapMs: 0, machine });
        at += 60_000;
      }
    }
    expect(p.budget.counts().liveAnswers).toBe(50);
  });
});

describe('isMachineDisposition', () => {
  it('recognises machine and voicemail dispositions by code or label', () => {
    expect(isMachineDisposition({ code: 'answering_machine', label: 'Answering machine' })).toBe(true);
    expect(isMachineDisposition({ code: 'AM', label: 'Left no message' })).toBe(true);
    expect(isMachineDisposition({ code: 'vm', label: 'Voicemail' })).toBe(true);
    expect(isMachineDisposition({ code: 'sale', label: 'Sale' })).toBe(false);
    expect(isMachineDisposition({ code: 'not_interested', label: 'Not interested' })).toBe(false);
    expect(isMachineDisposition({ code: 'AMBER' })).toBe(false);
  });

  it('the disposition\'s own machine flag wins over the guess from its name', () => {
    expect(isMachineDisposition({ code: 'beep', label: 'Left no message', machine: true })).toBe(true);
    expect(isMachineDisposition({ code: 'voicemail_callback', label: 'Voicemail: call back', machine: false })).toBe(false);
  });
});

describe('engine → policy: the disposition says whether a machine reached the agent', () => {
  it('wrap-ended carries machine: true for a machine disposition, false for a person', () => {
    const seen: PacingObservation[] = [];
    const recorder = (): PacingPolicy => ({
      name: 'recorder',
      decide: (s) => (s.readyAgents > 0 ? Math.min(1, s.dialable) - s.ringing - s.waiting : 0),
      observe: (o) => seen.push(o),
    });
    const d = new TestDialer({ policyFor: recorder }).campaign({ dialMode: 'predictive', pacingPolicy: 'recorder', amd: false });
    d.contact('k1', { kind: 'answer', party: 'machine', afterMs: 1000 });
    d.contact('k2', { kind: 'answer', party: 'human', afterMs: 1000 });
    d.signIn('a1').agentReady('a1').tick(3000);
    d.agentHangup('a1').tick(50).disposition('a1', 'answering_machine').tick(3000);
    d.agentHangup('a1').tick(50).disposition('a1', 'sale').tick(50);
    const wraps = seen.filter((o) => o.type === 'wrap-ended');
    expect(wraps.map((o) => (o.type === 'wrap-ended' ? o.machine : undefined))).toEqual([true, false]);
  });
});

describe('outdial look-ahead with machines that reach agents (AMD off)', () => {
  /**
   * A history of dials: 10 % people after 6–14 s (talk ~200 s), 20 % machines after 19–21 s (held 15 s, no wrap-up),
   * the rest failed after 25 s. `flag`: whether the dispositions say which calls were machines.
   */
  function warmWithMachines(policy: OutdialPolicy, flag: boolean): number {
    const rng = seededRandom(5);
    let t = 0;
    for (let i = 0; i < 3000; i++) {
      const id = `w${i}`;
      t += 1000;
      policy.observe({ type: 'dialed', at: t, callId: id });
      const u = rng.next();
      if (u < 0.3) {
        const machine = u >= 0.1;
        const ring = machine ? 19_000 + rng.next() * 2000 : 6000 + rng.next() * 8000;
        const talk = machine ? 15_000 : -Math.log(1 - rng.next()) * 200_000;
        policy.observe({ type: 'answered', at: t + ring, callId: id, ringMs: ring, live: true });
        policy.observe({ type: 'live-answer-counted', at: t + ring, callId: id });
        policy.observe({ type: 'connected', at: t + ring, callId: id, agentId: 'x', waitMs: 0 });
        policy.observe({ type: 'call-ended', at: t + ring + talk, callId: id, agentId: 'x', talkMs: talk });
        policy.observe({ type: 'wrap-ended', at: t + ring + talk, agentId: 'x', wrapMs: 0, ...(flag ? { machine } : {}) });
      } else {
        policy.observe({ type: 'not-answered', at: t + 25_000, callId: id, ringMs: 25_000 });
      }
    }
    return t + 30_000;
  }

  it('learns how long a machine holds an agent', () => {
    const p = new OutdialPolicy({ graceMs: 2000 });
    warmWithMachines(p, true);
    expect(p.tracker.machineShare.holdMs()).toBeCloseTo(15_000, -2);
    expect(p.tracker.personProbability(20_000)).toBeLessThan(0.05);
    expect(p.tracker.personProbability(9000)).toBeGreaterThan(0.95);
  });

  it('expects agents early in calls that rang 20 s (machines, likely) to be free sooner than after calls that rang 8 s', () => {
    const make = (ringMs: number): { p: OutdialPolicy; now: number } => {
      const p = new OutdialPolicy({ graceMs: 2000 });
      let now = warmWithMachines(p, true);
      // Agents a0..a4 connected 10 s ago to calls that asked for an agent `ringMs` after the dial.
      now += 60_000;
      for (let i = 0; i < 5; i++) {
        p.observe({ type: 'dialed', at: now - ringMs - 10_000, callId: `c${i}` });
        p.observe({ type: 'answered', at: now - 10_000, callId: `c${i}`, ringMs, live: true });
        p.observe({ type: 'connected', at: now - 10_000, callId: `c${i}`, agentId: `a${i}`, waitMs: 0 });
      }
      return { p, now };
    };
    const late = make(20_000);
    const early = make(8000);
    expect(late.p.tracker.callMachineProbability('a0')).toBeGreaterThan(0.9);
    expect(early.p.tracker.callMachineProbability('a0')).toBeLessThan(0.1);
    const state = (now: number) => floor(now, repeat(5, ['on_call', 10_000] as const));
    expect(late.p.marginalDials(state(late.now), 0.02, 1000)).toBeGreaterThan(early.p.marginalDials(state(early.now), 0.02, 1000));
  });

  it('dials more when it knows that late answers are mostly machines that free their agent after 15 s', () => {
    const aware = new OutdialPolicy({ graceMs: 2000 });
    const blind = new OutdialPolicy({ graceMs: 2000 });
    const now = warmWithMachines(aware, true);
    warmWithMachines(blind, false);
    expect(blind.tracker.machineShare.holdMs()).toBeUndefined();
    const state = floor(now, [...repeat(2, ['ready', 0] as const), ...repeat(3, ['on_call', 100_000] as const)]);
    const withReturns = aware.marginalDials(state, 0.02, 1000);
    const without = blind.marginalDials(state, 0.02, 1000);
    expect(without).toBeGreaterThan(0);
    expect(withReturns).toBeGreaterThan(without);
  });
});

describe('BudgetController: margin on the rest of the window, and when the budget is spent', () => {
  it('keeps a safety margin of z binomial s.d. of the window, or of the abandons still to come when smaller', () => {
    const settings = { target: 0.03, hoursPerDay: 8, theta0: 0.01, z: 1.64, integralGain: 0.1, proportionalGain: 0.3, regime: 'uk24h' as const };
    const at = (hours: number, dispersion?: number): BudgetController => {
      // 100 live answers an hour, no abandons yet.
      const b = new BudgetController({ ...settings, ...(dispersion === undefined ? {} : { dispersion }) });
      const live = Math.round(hours * 100);
      for (let i = 0; i < live; i++) {
        const t = (i * hours * 3_600_000) / live;
        b.tick(t);
        b.onLiveAnswer(t);
      }
      b.tick(hours * 3_600_000);
      return b;
    };
    const whole = 24 - 1.64 * Math.sqrt(0.0291 * 800);
    // Without a dispersion: the whole day's margin, 800 expected: 0.03 · 800 − 1.64 · √(0.0291 · 800).
    expect(at(1).allowedRemaining()).toBeCloseTo(whole, 6);
    expect(at(7).allowedRemaining()).toBeCloseTo(whole, 6);
    // Dispersion 1: 1 h in, 700 to come: ≈ 24 − 1.64 · √(0.0291 · 700); 7 h in, 100 to come, but never less than half
    // the whole day's margin: 24 − 1.64 · √(0.0291 · 200).
    expect(at(1, 1).allowedRemaining()).toBeCloseTo(24 - 1.64 * Math.sqrt(0.0291 * 700), 0);
    expect(at(7, 1).allowedRemaining()).toBeCloseTo(24 - 1.64 * Math.sqrt(0.0291 * 200), 0);
    // Dispersion 3: the whole day's margin until the rest is under a third of the day.
    expect(at(1, 3).allowedRemaining()).toBeCloseTo(whole, 6);
    expect(at(7, 3).allowedRemaining()).toBeCloseTo(24 - 1.64 * Math.sqrt(0.0291 * 300), 0);
  });
});

describe('BudgetController.spent', () => {
  const settings = { target: 0.03, hoursPerDay: 8, theta0: 0.01, z: 1.64, integralGain: 0.1, proportionalGain: 0.3, regime: 'uk24h' as const };

  /** A UK day of `hours` staffed hours with `live` live answers and `abandons` abandons, evenly spread. */
  function day(hours: number, live: number, abandons: number): BudgetController {
    const b = new BudgetController(settings);
    const step = (hours * 3_600_000) / live;
    for (let i = 0; i < live; i++) {
      const at = i * step;
      b.tick(at);
      b.onLiveAnswer(at);
      if (i < abandons) b.onAbandon(at);
    }
    b.tick(hours * 3_600_000);
    return b;
  }

  it('is not spent late in a small team\'s day while the abandons left still allow the target rate', () => {
    // 7.5 h of an 8-h day, 500 live answers, 7 abandons: ~33 live answers left, budget ≈ 2.5 abandons (≈ 7 %).
    const b = day(7.5, 500, 7);
    expect(b.allowedRemaining()).toBeGreaterThan(1);
    expect(b.allowedRemaining()).toBeLessThan(3);
    expect(b.spent()).toBe(false);
  });

  it('is spent when less than one abandon is left, or a few are left for much of the day', () => {
    expect(day(7.5, 500, 14).spent()).toBe(true);
    // 2 h into the day with the budget used up to ~2 abandons for ~6 h left.
    const early = day(2, 140, 9);
    expect(early.allowedRemaining()).toBeLessThan(3);
    expect(early.spent()).toBe(true);
  });
});

describe('outdial budget margin by regime', () => {
  /** Allowed abandons after `days` full 8-h days and `hours` of the next, 100 live answers an hour, none abandoned. */
  function allowedAfter(p: OutdialPolicy, days: number, hours: number): number {
    for (let d = 0; d <= days; d++) {
      const h = d < days ? 8 : hours;
      const start = d * 86_400_000;
      for (let i = 0; i < h * 100; i++) {
        const t = start + i * 36_000;
        p.budget.tick(t);
        p.budget.onLiveAnswer(t);
      }
      p.budget.tick(start + h * 3_600_000);
    }
    return p.budget.allowedRemaining();
  }

  it('keeps the whole window\'s margin to the end by default in both regimes; od = 3 shrinks it late in the window', () => {
    const ukDefault = allowedAfter(new OutdialPolicy({ regime: 'uk24h' }), 0, 7);
    const ukWhole = allowedAfter(new OutdialPolicy({ regime: 'uk24h', dispersion: 1e9 }), 0, 7);
    const ukShrunk = allowedAfter(new OutdialPolicy({ regime: 'uk24h', dispersion: 3 }), 0, 7);
    expect(ukDefault).toBeCloseTo(ukWhole, 9);
    expect(ukShrunk).toBeGreaterThan(ukDefault + 1);
    // Last day of a 30-day window: dispersion 3 would have shrunk the margin; the default keeps the whole window's.
    const usDefault = allowedAfter(new OutdialPolicy({ regime: 'us30d' }), 29, 7);
    const usWhole = allowedAfter(new OutdialPolicy({ regime: 'us30d', dispersion: 1e9 }), 29, 7);
    const usShrunk = allowedAfter(new OutdialPolicy({ regime: 'us30d', dispersion: 3 }), 29, 7);
    expect(usDefault).toBeCloseTo(usWhole, 9);
    expect(usShrunk).toBeGreaterThan(usDefault + 5);
  });
});
