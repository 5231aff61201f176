import { createPacingPolicy } from '@outdial/core/pacing/policy-registry';
import type { Scenario } from '@outdial/telephony/sim/scenario';
import type { SimDriver } from '@outdial/telephony/sim/sim-driver';
import { createSimRun, DEFAULT_SIM_START_MS } from '@outdial/telephony/sim/sim-run';
import { PacingMetrics } from './pacing-metrics.ts';
import type { Regime, SeedMetrics } from './pacing-metrics.ts';
import { TimedPolicy } from './timed-policy.ts';

export type AmdMode = 'on' | 'off' | 'scenario';

export interface PacingRunSpec {
  scenario: Scenario;
  policy: string;
  regime: Regime;
  seed: number;
  days: number;
  amd: AmdMode;
}

/** The scenario's hour 0 is 09:00 local: VICIdial's day boundary and TAPERED's HHMM are read in that local time. */
const LOCAL_OFFSET_MINUTES = 9 * 60;

/** Runs one policy on one seed: the real dialer engine, the sim driver and agent bots, in virtual time. */
export function runPacingSeed(spec: PacingRunSpec): SeedMetrics {
  const { scenario } = spec;
  const graceMs = scenario.graceMs ?? 2000;
  let truth: (callId: string) => ReturnType<SimDriver['truth']> = () => undefined;
  const metrics = new PacingMetrics({ regime: spec.regime, graceMs, start: DEFAULT_SIM_START_MS, truth: (id) => truth(id) });
  const made = createPacingPolicy(spec.policy, {
    regime: spec.regime,
    abandonTarget: 0.03,
    graceMs,
    hoursPerDay: scenario.hoursPerDay,
    utcOffsetMinutes: LOCAL_OFFSET_MINUTES,
  });
  if (!made.ok) throw new Error(made.error);
  const policy = new TimedPolicy(made.policy, (us) => metrics.recordDecision(us));
  const run = createSimRun({
    scenario,
    seed: spec.seed,
    amd: spec.amd,
    startMs: DEFAULT_SIM_START_MS,
    campaign: { dialMode: 'predictive', pacingPolicy: spec.policy, regime: spec.regime },
    policyFor: () => policy,
  });
  truth = (callId) => run.driver.truth(callId);
  run.sink.add(metrics);
  run.runDays(spec.days);
  metrics.finish(run.clock.now());
  const result = metrics.result(spec.seed);
  result.decisions = policy.decisions;
  for (const r of run.bots.refusals.slice(0, 5)) result.violations.push(`agent bot: ${r.command} refused for ${r.agentId}: ${r.error}`);
  return result;
}
