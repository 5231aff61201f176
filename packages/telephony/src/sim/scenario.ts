import { compileDistribution, type DistributionSpec, type Sampler } from './distributions.ts';

/** A pacing-bench scenario file (../shared/contracts/pacing-bench.md), plus the sim's optional extensions. */
export interface ScenarioFile {
  name: string;
  agents?: number;
  agentSchedule?: Array<{ atHour: number; agents: number }>;
  hoursPerDay: number;
  outcomes: { live: number; machine: number; noAnswer: number; busy: number; invalid: number };
  liveRateSchedule?: Array<{ atHour: number; live: number }>;
  liveAnswerSeconds: DistributionSpec;
  machineAnswerSeconds: DistributionSpec;
  noAnswerTimeoutSeconds?: number;
  busySeconds: DistributionSpec;
  invalidSeconds: DistributionSpec;
  setupSeconds: DistributionSpec;
  talkSeconds: DistributionSpec;
  wrapSeconds: DistributionSpec;
  amd: { enabled: boolean; delaySeconds: number; falsePositive: number; falseNegative: number };
  graceSeconds?: number;
  trunks?: number;
  noAnswerSeconds?: DistributionSpec;
  machineAgentSeconds?: number;
  /** Sim extension: how long a human's greeting lasts (default: the AMD delay with AMD on, else 0). */
  greetingSeconds?: DistributionSpec;
  /** Sim extension: length of the abandon message (default 8 s). */
  abandonMessageSeconds?: number;
}

/** A validated scenario with compiled samplers. */
export interface Scenario {
  file: ScenarioFile;
  name: string;
  hoursPerDay: number;
  /** Cumulative outcome thresholds are computed per dial (the live rate may follow a schedule). */
  outcomes: ScenarioFile['outcomes'];
  liveAnswer: Sampler;
  machineAnswer: Sampler;
  noAnswer: Sampler | null;
  noAnswerTimeoutMs: number | null;
  busy: Sampler;
  invalid: Sampler;
  setup: Sampler;
  talk: Sampler;
  wrap: Sampler;
  greeting: Sampler | null;
  amd: ScenarioFile['amd'];
  graceMs: number | null;
  trunks: number | null;
  machineAgentMs: number;
  abandonMessageMs: number;
  /** Maximum logged-in agents over the day. */
  maxAgents: number;
}

export type ScenarioParseResult = { ok: true; scenario: Scenario } | { ok: false; error: string };

/** Validates a scenario document (parsed JSON). Errors name the field. */
export function parseScenario(doc: unknown): ScenarioParseResult {
  try {
    return { ok: true, scenario: compileScenario(doc) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

function compileScenario(doc: unknown): Scenario {
  if (typeof doc !== 'object' || doc === null) throw new Error('scenario: an object is required');
  const f = doc as ScenarioFile;
  if (typeof f.name !== 'string' || f.name === '') throw new Error('name: a string is required');
  if (!(typeof f.hoursPerDay === 'number' && f.hoursPerDay > 0 && f.hoursPerDay <= 24)) {
    throw new Error('hoursPerDay: a number in (0, 24] is required');
  }
  const o = f.outcomes;
  if (typeof o !== 'object' || o === null) throw new Error('outcomes: an object is required');
  for (const k of ['live', 'machine', 'noAnswer', 'busy', 'invalid'] as const) {
    if (!(typeof o[k] === 'number' && o[k] >= 0)) throw new Error(`outcomes.${k}: a number ≥ 0 is required`);
  }
  const sum = o.live + o.machine + o.noAnswer + o.busy + o.invalid;
  if (Math.abs(sum - 1) > 1e-6) throw new Error(`outcomes: must sum to 1 (got ${sum})`);
  let maxAgents: number;
  if (f.agentSchedule !== undefined) {
    if (!Array.isArray(f.agentSchedule) || f.agentSchedule.length === 0) throw new Error('agentSchedule: a non-empty array is required');
    for (const [i, s] of f.agentSchedule.entries()) {
      if (!(typeof s.atHour === 'number' && s.atHour >= 0) || !(Number.isInteger(s.agents) && s.agents >= 0)) {
        throw new Error(`agentSchedule[${i}]: atHour ≥ 0 and an integer agents ≥ 0 are required`);
      }
    }
    maxAgents = Math.max(...f.agentSchedule.map((s) => s.agents));
  } else {
    if (!(Number.isInteger(f.agents) && (f.agents as number) > 0)) throw new Error('agents: a positive integer is required');
    maxAgents = f.agents as number;
  }
  if (f.liveRateSchedule !== undefined) {
    for (const [i, s] of f.liveRateSchedule.entries()) {
      if (!(typeof s.atHour === 'number' && typeof s.live === 'number' && s.live >= 0 && s.live <= o.live + o.noAnswer)) {
        throw new Error(`liveRateSchedule[${i}]: live must be within [0, outcomes.live + outcomes.noAnswer]`);
      }
    }
  }
  const amd = f.amd;
  if (typeof amd !== 'object' || amd === null || typeof amd.enabled !== 'boolean') throw new Error('amd.enabled: a boolean is required');
  for (const k of ['delaySeconds', 'falsePositive', 'falseNegative'] as const) {
    if (!(typeof amd[k] === 'number' && amd[k] >= 0)) throw new Error(`amd.${k}: a number ≥ 0 is required`);
  }
  if (f.noAnswerSeconds === undefined && !(typeof f.noAnswerTimeoutSeconds === 'number' && f.noAnswerTimeoutSeconds > 0)) {
    throw new Error('noAnswerTimeoutSeconds: required (a number > 0) when noAnswerSeconds is absent');
  }
  const optionalNumber = (x: unknown, where: string): number | null => {
    if (x === undefined) return null;
    if (!(typeof x === 'number' && x >= 0)) throw new Error(`${where}: a number ≥ 0 is required`);
    return x;
  };
  const grace = optionalNumber(f.graceSeconds, 'graceSeconds');
  const trunks = optionalNumber(f.trunks, 'trunks');
  return {
    file: f,
    name: f.name,
    hoursPerDay: f.hoursPerDay,
    outcomes: o,
    liveAnswer: compileDistribution(f.liveAnswerSeconds, 'liveAnswerSeconds'),
    machineAnswer: compileDistribution(f.machineAnswerSeconds, 'machineAnswerSeconds'),
    noAnswer: f.noAnswerSeconds === undefined ? null : compileDistribution(f.noAnswerSeconds, 'noAnswerSeconds'),
    noAnswerTimeoutMs: f.noAnswerTimeoutSeconds === undefined ? null : f.noAnswerTimeoutSeconds * 1000,
    busy: compileDistribution(f.busySeconds, 'busySeconds'),
    invalid: compileDistribution(f.invalidSeconds, 'invalidSeconds'),
    setup: compileDistribution(f.setupSeconds, 'setupSeconds'),
    talk: compileDistribution(f.talkSeconds, 'talkSeconds'),
    wrap: compileDistribution(f.wrapSeconds, 'wrapSeconds'),
    greeting: f.greetingSeconds === undefined ? null : compileDistribution(f.greetingSeconds, 'greetingSeconds'),
    amd,
    graceMs: grace === null ? null : grace * 1000,
    trunks: trunks === null ? null : Math.floor(trunks),
    machineAgentMs: (optionalNumber(f.machineAgentSeconds, 'machineAgentSeconds') ?? 15) * 1000,
    abandonMessageMs: (optionalNumber(f.abandonMessageSeconds, 'abandonMessageSeconds') ?? 8) * 1000,
    maxAgents,
  };
}

/** The live-answer fraction at an hour of the day (piecewise-linear schedule, else the base rate). */
export function liveRateAt(s: Scenario, hour: number): number {
  const sched = s.file.liveRateSchedule;
  if (sched === undefined || sched.length === 0) return s.outcomes.live;
  const first = sched[0] as { atHour: number; live: number };
  if (hour <= first.atHour) return first.live;
  for (let i = 1; i < sched.length; i++) {
    const b = sched[i] as { atHour: number; live: number };
    if (hour <= b.atHour) {
      const a = sched[i - 1] as { atHour: number; live: number };
      const span = b.atHour - a.atHour;
      return span <= 0 ? b.live : a.live + ((b.live - a.live) * (hour - a.atHour)) / span;
    }
  }
  return (sched[sched.length - 1] as { live: number }).live;
}

/** Logged-in agents at an hour of the day (step function), or the fixed count. */
export function agentsAt(s: Scenario, hour: number): number {
  const sched = s.file.agentSchedule;
  if (sched === undefined) return s.file.agents ?? 0;
  let n = 0;
  for (const step of sched) {
    if (step.atHour <= hour) n = step.agents;
    else break;
  }
  return n;
}

/**
 * The dialer's ring timeout for a scenario: `noAnswerTimeoutSeconds`, or, when the network ends no-answers itself
 * (`noAnswerSeconds`), no timeout at all (a very long one, so the model stays Markov).
 */
export function scenarioRingTimeoutSeconds(s: Scenario): number {
  return s.noAnswerTimeoutMs === null ? 1e7 : s.noAnswerTimeoutMs / 1000;
}
