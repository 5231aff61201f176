/**
 * How fast one pacing-bench run is, in this thread (no workers, so `node --cpu-prof` sees everything):
 * `npx tsx packages/bench/src/pacing/pacing-speed.ts --scenario ../shared/scenarios/S2.json --policy outdial
 * --days 3 [--seed 1] [--regime us30d] [--amd scenario] [--warmup-days 1]`. The policy may repeat; each run is the
 * bench's own `runPacingSeed` (engine, sim driver, bots, metrics). Prints dials, CPU time and CPU microseconds per
 * dial. `--warmup-days` first runs every policy that long on another seed, unmeasured: a bench worker compiles the
 * hot code once and then runs dozens of seed runs, so a short cold run overstates the cost per simulated day (JIT
 * compilation is a large part of a 1-day run).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseScenario } from '@outdial/telephony/sim/scenario';
import { runPacingSeed } from './pacing-run.ts';
import type { AmdMode } from './pacing-run.ts';
import type { Regime } from './pacing-metrics.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: new URL('../../../../../shared/scenarios/S2.json', import.meta.url).pathname },
    policy: { type: 'string', multiple: true },
    days: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    regime: { type: 'string', default: 'us30d' },
    amd: { type: 'string', default: 'scenario' },
    'warmup-days': { type: 'string', default: '0' },
  },
});
const parsed = parseScenario(JSON.parse(readFileSync(values.scenario, 'utf8')));
if (!parsed.ok) throw new Error(parsed.error);
const days = Number(values.days);
const policies = values.policy ?? ['progressive'];
const warmupDays = Number(values['warmup-days']);
if (warmupDays > 0) {
  for (const policy of policies) {
    const seed = Number(values.seed) + 1000;
    runPacingSeed({ scenario: parsed.scenario, policy, regime: values.regime as Regime, seed, days: warmupDays, amd: values.amd as AmdMode });
  }
}
const rows: Array<Record<string, string | number>> = [];
let totalDials = 0;
let totalCpu = 0;
for (const policy of policies) {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const r = runPacingSeed({
    scenario: parsed.scenario,
    policy,
    regime: values.regime as Regime,
    seed: Number(values.seed),
    days,
    amd: values.amd as AmdMode,
  });
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  totalDials += r.calls;
  totalCpu += cpuSeconds;
  rows.push({
    policy,
    dials: r.calls,
    cpuSeconds: round(cpuSeconds),
    wallSeconds: round((performance.now() - wall0) / 1000),
    cpuMicrosPerDial: round((cpuSeconds * 1e6) / r.calls),
    decisions: r.decisions,
    decisionMicrosMean: round(r.decisionMicros.count > 0 ? r.decisionMicros.sum / r.decisionMicros.count : 0),
  });
}
process.stdout.write(
  `${JSON.stringify({ scenario: parsed.scenario.name, days, seed: Number(values.seed), warmupDays, runs: rows, cpuMicrosPerDial: round((totalCpu * 1e6) / totalDials) }, null, 1)}\n`,
);

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
