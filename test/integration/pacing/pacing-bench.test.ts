import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPacingBench } from '@outdial/bench/pacing/pacing-bench-runner';
import type { ScenarioFile } from '@outdial/telephony/sim/scenario';

const scenario = (name: string): ScenarioFile =>
  JSON.parse(readFileSync(new URL(`../../../../shared/scenarios/${name}.json`, import.meta.url), 'utf8')) as ScenarioFile;

/** A short S6 (5 agents) day: every policy on the real engine and sim driver. */
function shortS6(): ScenarioFile {
  return { ...scenario('S6'), hoursPerDay: 2 };
}

describe('pacing bench (short run on the real engine)', () => {
  const policies = ['progressive', 'vicidial', 'vicidial:tally=Y,maxLevel=10', 'samuelson', 'outdial'];

  it('keeps the invariants in both regimes: no ringing call cancelled before 15 s, nobody kept past the grace', async () => {
    for (const regime of ['us30d', 'uk24h'] as const) {
      const outcome = await runPacingBench({ scenario: shortS6(), policies, regime, seeds: 2, days: 1, amd: 'scenario', workers: 0 });
      expect(outcome.violations, regime).toEqual([]);
      for (const p of policies) {
        const f = outcome.report.policies[p];
        expect(f, p).toBeDefined();
        expect(f?.calls).toBeGreaterThan(100);
        expect(f?.occupancy.mean).toBeGreaterThan(0.2);
        expect(f?.occupancy.mean).toBeLessThan(1);
      }
    }
  });

  it('gives every policy the same leads with the same draws (common random numbers)', async () => {
    const outcome = await runPacingBench({ scenario: shortS6(), policies, regime: 'us30d', seeds: 2, days: 1, amd: 'scenario', workers: 0 });
    expect(outcome.crnMismatches).toEqual([]);
    const bySeed = policies.map((p) => outcome.seedResults[p]?.[0]);
    const reference = bySeed[0];
    expect(reference?.firstContacts.slice(0, 5)).toEqual(['L0', 'L1', 'L2', 'L3', 'L4']);
    for (const r of bySeed) {
      const n = Math.min(r?.firstContacts.length ?? 0, reference?.firstContacts.length ?? 0);
      expect(n).toBeGreaterThan(50);
      expect(r?.drawFingerprint.split(',').slice(0, n)).toEqual(reference?.drawFingerprint.split(',').slice(0, n));
    }
    // Different seeds draw differently.
    expect(outcome.seedResults['progressive']?.[1]?.drawFingerprint).not.toEqual(reference?.drawFingerprint);
  });

  it('keeps common random numbers when the live rate follows the time of day (a lead\'s kind then depends on when it is dialed)', async () => {
    const steep: ScenarioFile = {
      ...scenario('S6'), hoursPerDay: 1, agents: 8,
      liveRateSchedule: [{ atHour: 0, live: 0.4 }, { atHour: 1, live: 0.05 }],
      amd: { enabled: true, delaySeconds: 2, falsePositive: 0.3, falseNegative: 0.3 },
    };
    const outcome = await runPacingBench({ scenario: steep, policies: ['progressive', 'samuelson', 'outdial'], regime: 'us30d', seeds: 2, days: 1, amd: 'scenario', workers: 0 });
    expect(outcome.crnMismatches).toEqual([]);
    expect(outcome.violations).toEqual([]);
  });

  it('runs on worker threads with the same figures as in-process', async () => {
    const one = { scenario: shortS6(), policies: ['progressive'], regime: 'us30d' as const, seeds: 2, days: 1, amd: 'scenario' as const };
    const inline = await runPacingBench({ ...one, workers: 0 });
    const threaded = await runPacingBench({ ...one, workers: 2 });
    const a = inline.report.policies['progressive'];
    const b = threaded.report.policies['progressive'];
    expect(b?.occupancy).toEqual(a?.occupancy);
    expect(b?.abandonRate).toEqual(a?.abandonRate);
    expect(b?.calls).toBe(a?.calls);
  });
});
