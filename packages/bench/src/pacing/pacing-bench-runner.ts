import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { parseScenario } from '@outdial/telephony/sim/scenario';
import type { ScenarioFile } from '@outdial/telephony/sim/scenario';
import { aggregatePolicy } from './pacing-aggregate.ts';
import type { PolicyFigures } from './pacing-aggregate.ts';
import type { Regime, SeedMetrics } from './pacing-metrics.ts';
import { runPacingSeed } from './pacing-run.ts';
import type { AmdMode } from './pacing-run.ts';
import type { PacingTask } from './pacing-worker.ts';

export interface PacingBenchOptions {
  scenario: ScenarioFile;
  policies: readonly string[];
  regime: Regime;
  seeds: number;
  days: number;
  amd: AmdMode;
  /** Worker threads (0 = run in this thread). Default 2. */
  workers?: number;
  /** First seed (seeds are first..first+seeds−1). Default 1. */
  firstSeed?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The contract's `--json` document, plus what the checks found. */
export interface PacingBenchReport {
  scenario: string;
  regime: Regime;
  seeds: number;
  days: number;
  policies: Record<string, PolicyFigures>;
  wallSeconds: number;
}

export interface PacingBenchOutcome {
  report: PacingBenchReport;
  /** Invariant breaches (a ringing call cancelled before 15 s, a person kept past the grace, a 72-h redial, ...). */
  violations: string[];
  /** Seeds where two policies met different lead draws (common random numbers broken). */
  crnMismatches: string[];
  seedResults: Record<string, SeedMetrics[]>;
}

export async function runPacingBench(o: PacingBenchOptions): Promise<PacingBenchOutcome> {
  const started = performance.now();
  const parsed = parseScenario(o.scenario);
  if (!parsed.ok) throw new Error(`scenario: ${parsed.error}`);
  const firstSeed = o.firstSeed ?? 1;
  const tasks: PacingTask[] = [];
  for (let s = 0; s < o.seeds; s++) {
    for (const policy of o.policies) {
      tasks.push({ id: tasks.length, scenario: o.scenario, policy, regime: o.regime, seed: firstSeed + s, days: o.days, amd: o.amd });
    }
  }
  // Workers take the longest runs first (seed runs stay whole: a compliance window spans days), so the last runs
  // handed out are short ones and neither core idles long at the end. Results keep the seed-major order above.
  const dispatch = [...tasks].sort((a, b) => policyCost(b.policy) - policyCost(a.policy) || a.id - b.id);
  const results = new Array<SeedMetrics | undefined>(tasks.length);
  let done = 0;
  const workers = Math.max(0, Math.min(o.workers ?? 2, tasks.length));
  if (workers === 0) {
    for (const task of dispatch) {
      results[task.id] = runPacingSeed({ ...task, scenario: parsed.scenario });
      o.onProgress?.(++done, tasks.length);
    }
  } else {
    await runOnWorkers(dispatch, workers, (id, result) => {
      results[id] = result;
      o.onProgress?.(++done, tasks.length);
    });
  }
  const seedResults: Record<string, SeedMetrics[]> = {};
  for (const task of tasks) (seedResults[task.policy] ??= []).push(results[task.id] as SeedMetrics);
  const policies: Record<string, PolicyFigures> = {};
  const violations: string[] = [];
  for (const [policy, seeds] of Object.entries(seedResults)) {
    policies[policy] = aggregatePolicy(seeds);
    for (const s of seeds) for (const v of s.violations) violations.push(`${policy} seed ${s.seed}: ${v}`);
  }
  return {
    report: {
      scenario: parsed.scenario.name,
      regime: o.regime,
      seeds: o.seeds,
      days: o.days,
      policies,
      wallSeconds: Math.round((performance.now() - started) / 100) / 10,
    },
    violations,
    crnMismatches: checkCommonRandomNumbers(seedResults),
    seedResults,
  };
}

/**
 * Relative CPU cost of one seed run by policy (S2, 2026-11-27: outdial 1.38, samuelson 0.50, progressive 0.38,
 * vicidial 0.29 CPU-s per simulated day): only the order matters. Variants (`outdial:...`) cost like their base.
 */
const POLICY_COST: Record<string, number> = { outdial: 4, samuelson: 1.5, progressive: 1.2, vicidial: 1 };

export function policyCost(policy: string): number {
  return POLICY_COST[policy.split(':')[0] ?? policy] ?? 2;
}

/** Every policy must meet the same leads in the same order with the same draws, seed by seed. */
export function checkCommonRandomNumbers(seedResults: Record<string, SeedMetrics[]>): string[] {
  const mismatches: string[] = [];
  const entries = Object.entries(seedResults);
  const first = entries[0];
  if (first === undefined) return mismatches;
  for (const [policy, seeds] of entries.slice(1)) {
    seeds.forEach((s, i) => {
      const ref = first[1][i];
      if (ref === undefined) return;
      const n = Math.min(ref.firstContacts.length, s.firstContacts.length);
      const a = ref.drawFingerprint.split(',').slice(0, n).join(',');
      const b = s.drawFingerprint.split(',').slice(0, n).join(',');
      if (ref.firstContacts.slice(0, n).join() !== s.firstContacts.slice(0, n).join() || a !== b) {
        mismatches.push(`seed ${s.seed}: ${policy} met different leads or draws than ${first[0]}`);
      }
    });
  }
  return mismatches;
}

/**
 * Young-generation size of the worker isolates (MB per semi-space, V8's default is at most 16). A seed run allocates
 * ~5 KB of short-lived events and records per dial; with a larger nursery most of it dies before a scavenge, which
 * cut the CPU of warm runs by 6 % (all four policies) to 12 % (progressive and samuelson) on S2 (2026-11-27).
 */
const WORKER_SEMI_SPACE_MB = 32;

function runOnWorkers(tasks: readonly PacingTask[], count: number, onResult: (id: number, r: SeedMetrics) => void): Promise<void> {
  // Heap flags are read when an isolate is created: set here, they size the workers' heaps, not this thread's.
  setFlagsFromString(`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
  setFlagsFromString(`--min-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
  return new Promise((resolve, reject) => {
    let next = 0;
    let finished = 0;
    let failed = false;
    const pool: Worker[] = [];
    const stopAll = (): void => {
      for (const w of pool) void w.terminate();
    };
    const feed = (w: Worker): void => {
      const task = tasks[next++];
      if (task !== undefined) w.postMessage(task);
    };
    for (let i = 0; i < count; i++) {
      const w = new Worker(new URL('./pacing-worker-boot.mjs', import.meta.url));
      pool.push(w);
      w.on('message', (m: { id: number; ok: true; result: SeedMetrics } | { id: number; ok: false; error: string }) => {
        if (failed) return;
        if (!m.ok) {
          failed = true;
          stopAll();
          reject(new Error(m.error));
          return;
        }
        onResult(m.id, m.result);
        if (++finished === tasks.length) {
          stopAll();
          resolve();
        } else feed(w);
      });
      w.on('error', (err) => {
        if (failed) return;
        failed = true;
        stopAll();
        reject(err);
      });
      feed(w);
    }
  });
}
