import type { CampaignSettings } from '@outdial/core/campaign/types';
import { POLICY_NAMES } from '@outdial/core/pacing/policy-registry';
import type { ScenarioFile } from '@outdial/telephony/sim/scenario';
import { runPacingBench } from './pacing-bench-runner.ts';

/** What a campaign has seen so far (from its attempts), or what the caller gives instead. */
export interface SimulationInputs {
  agents: number;
  hours: number;
  /** Fraction of dials that reach a person. */
  liveRate: number;
  talkSeconds: number;
  wrapSeconds: number;
  amd: boolean;
  seeds: number;
  policies: readonly string[];
}

export interface PolicyForecast {
  occupancy: number;
  occupancyCi95: [number, number];
  abandonRate: number;
  maxWindowAbandonRate: number;
  connectsPerAgentHour: number;
}

export interface SimulationResult {
  regime: CampaignSettings['regime'];
  inputs: SimulationInputs;
  policies: Record<string, PolicyForecast>;
  /** The policy with the highest occupancy whose abandonment stays within the campaign's target on every day. */
  recommended: string | null;
}

export const DEFAULT_SIMULATION_POLICIES: readonly string[] = POLICY_NAMES;

/**
 * "Simulate before you dial": a scenario built from the campaign's own settings and its observed (or given) answer
 * rate and talk times, run for one day on the real engine and sim driver for each policy, on common random numbers.
 * Unknown quantities take the reference defaults (answer time lognormal median 8 s / p90 18 s, set-up 1.5 s,
 * no-answer timeout from the campaign's ring timeout).
 */
export async function simulateCampaign(campaign: CampaignSettings, inputs: SimulationInputs): Promise<SimulationResult> {
  const live = Math.min(0.9, Math.max(0.005, inputs.liveRate));
  const machine = inputs.amd ? Math.min(0.2, (1 - live) / 4) : Math.min(0.15, (1 - live) / 4);
  const rest = 1 - live - machine;
  const scenario: ScenarioFile = {
    name: `simulate:${campaign.id}`,
    agents: inputs.agents,
    hoursPerDay: inputs.hours,
    outcomes: { live, machine, noAnswer: rest * 0.7, busy: rest * 0.1, invalid: rest * 0.2 },
    liveAnswerSeconds: { dist: 'lognormal', median: 8, p90: 18 },
    machineAnswerSeconds: { dist: 'normal', mean: 20, sd: 3 },
    noAnswerTimeoutSeconds: Math.max(15, campaign.ringTimeoutSeconds),
    busySeconds: { dist: 'fixed', value: 4 },
    invalidSeconds: { dist: 'fixed', value: 3 },
    setupSeconds: { dist: 'lognormal', median: 1.5, p90: 3 },
    talkSeconds: { dist: 'lognormal', mean: Math.max(5, inputs.talkSeconds), cv: 1 },
    wrapSeconds: inputs.wrapSeconds > 0 ? { dist: 'lognormal', mean: inputs.wrapSeconds, cv: 0.5 } : { dist: 'fixed', value: 0 },
    amd: inputs.amd
      ? { enabled: true, delaySeconds: 2.5, falsePositive: 0.05, falseNegative: 0.1 }
      : { enabled: false, delaySeconds: 0, falsePositive: 0, falseNegative: 0 },
  };
  const outcome = await runPacingBench({
    scenario,
    policies: inputs.policies,
    regime: campaign.regime,
    seeds: inputs.seeds,
    days: 1,
    amd: 'scenario',
    workers: Math.min(2, inputs.seeds * inputs.policies.length),
  });
  const policies: Record<string, PolicyForecast> = {};
  let recommended: string | null = null;
  let best = -1;
  for (const [name, f] of Object.entries(outcome.report.policies)) {
    policies[name] = {
      occupancy: f.occupancy.mean,
      occupancyCi95: f.occupancy.ci95,
      abandonRate: f.abandonRate.mean,
      maxWindowAbandonRate: f.abandonRate.maxWindow,
      connectsPerAgentHour: f.connectsPerAgentHour.mean,
    };
    if (f.abandonRate.maxWindow <= campaign.abandonTarget && f.occupancy.mean > best) {
      best = f.occupancy.mean;
      recommended = name;
    }
  }
  return { regime: campaign.regime, inputs, policies, recommended };
}
