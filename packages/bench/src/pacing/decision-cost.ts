import { performance } from 'node:perf_hooks';
import { OutdialPolicy } from '@outdial/core/pacing/outdial-policy';
import type { AgentSnapshot, PacingSnapshot } from '@outdial/core/pacing/policy';
import { seededRandom } from '@outdial/core/random/seeded-random';

/**
 * Decision cost of `outdial` on a large floor (S3-like: 200 agents, ~300 calls in flight, lognormal talk and wrap),
 * measured apart from the simulation so that a loaded machine's pre-emption can be filtered: every decision is
 * timed three times on an identical copy of the state and the fastest is kept.
 */
export function measureDecisionCost(agents = 200, decisions = 2000): { mean: number; p99: number; max: number } {
  const rng = seededRandom(42);
  const lognormal = (mean: number, cv: number): number => {
    const s2 = Math.log(1 + cv * cv);
    const u = Math.max(1e-12, rng.next());
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
    return Math.exp(Math.log(mean) - s2 / 2 + Math.sqrt(s2) * z);
  };
  const make = (): OutdialPolicy => new OutdialPolicy({ graceMs: 2000, theta0: 0.008 });
  const copies = [make(), make(), make()];
  // A warm history: 20 000 dials at 19 % agent requests.
  let t = 0;
  for (let i = 0; i < 20_000; i++) {
    t += 200;
    const id = `h${i}`;
    const live = rng.next() < 0.19;
    const ring = live ? 1500 + lognormal(9000, 0.6) : 25_000;
    const talk = lognormal(180_000, 1);
    const wrap = lognormal(20_000, 0.5);
    for (const p of copies) {
      p.observe({ type: 'dialed', at: t, callId: id });
      if (live) {
        p.observe({ type: 'answered', at: t + ring, callId: id, ringMs: ring, live: true });
        p.observe({ type: 'live-answer-counted', at: t + ring, callId: id });
        p.observe({ type: 'connected', at: t + ring, callId: id, agentId: 'x', waitMs: 0 });
        p.observe({ type: 'call-ended', at: t + ring + talk, callId: id, agentId: 'x', talkMs: talk });
        p.observe({ type: 'wrap-ended', at: t + ring + talk + wrap, agentId: 'x', wrapMs: wrap });
      } else p.observe({ type: 'not-answered', at: t + ring, callId: id, ringMs: ring });
    }
  }
  const times: number[] = [];
  let now = t + 60_000;
  let seq = 0;
  for (let d = 0; d < decisions; d++) {
    now += 500;
    const floor: AgentSnapshot[] = [];
    for (let i = 0; i < agents; i++) {
      const u = rng.next();
      const state: AgentSnapshot['state'] = u < 0.03 ? 'ready' : u < 0.88 ? 'on_call' : 'wrap_up';
      floor.push({ agentId: `a${i}`, state, since: now - Math.floor(rng.next() * (state === 'on_call' ? 400_000 : 30_000)) });
    }
    // Keep ~300 calls in flight with spread ages.
    for (let k = 0; k < 3; k++) {
      const id = `r${seq++}`;
      for (const p of copies) p.observe({ type: 'dialed', at: now - Math.floor(rng.next() * 25_000), callId: id });
      if (seq > 300) for (const p of copies) p.observe({ type: 'not-answered', at: now, callId: `r${seq - 300}`, ringMs: 25_000 });
    }
    const snapshot: PacingSnapshot = {
      now,
      campaignId: 'c',
      agents: floor,
      readyAgents: floor.filter((a) => a.state === 'ready').length,
      ringing: Math.min(300, seq),
      waiting: 0,
      analysing: 0,
      dialable: 100_000,
      linesFree: 8,
      abandonTarget: 0.03,
    };
    let best = Number.POSITIVE_INFINITY;
    for (const p of copies) {
      const t0 = performance.now();
      p.decide(snapshot);
      best = Math.min(best, (performance.now() - t0) * 1000);
    }
    times.push(best);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return { mean, p99: times[Math.floor(times.length * 0.99)] ?? 0, max: times[times.length - 1] ?? 0 };
}
