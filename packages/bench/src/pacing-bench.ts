import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { POLICY_NAMES, VICIDIAL_VARIANTS } from '@outdial/core/pacing/policy-registry';
import type { ScenarioFile } from '@outdial/telephony/sim/scenario';
import type { PolicyFigures } from './pacing/pacing-aggregate.ts';
import { runPacingBench } from './pacing/pacing-bench-runner.ts';
import type { PacingBenchReport } from './pacing/pacing-bench-runner.ts';
import { progressBar } from './pacing/pacing-table.ts';
import { referenceFor } from './pacing/pacing-references.ts';
import { measureDecisionCost } from './pacing/decision-cost.ts';

/**
 * `npm run bench:pacing`: every public scenario in both regimes (uk24h with AMD off for the AMD scenarios S2–S5,
 * as the contract says), every policy including the four standard VICIdial variants, then the Pacing section of
 * the marked table in docs/benchmarks.md is rewritten (the rest of the section stays). Defaults are the contract's (20 seeds × 30 days); use --seeds,
 * --days and --only for shorter runs.
 */
/** The generated table's place in docs/benchmarks.md. */
const TABLE_START = '<!-- pacing-table:start (written by npm run bench:pacing) -->';
const TABLE_END = '<!-- pacing-table:end -->';
const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    days: { type: 'string', default: '30' },
    only: { type: 'string' },
    regimes: { type: 'string', default: 'us30d,uk24h' },
    policies: { type: 'string' },
    workers: { type: 'string', default: '2' },
    'scenarios-dir': { type: 'string', default: new URL('../../../../shared/scenarios/', import.meta.url).pathname },
    'no-docs': { type: 'boolean', default: false },
    /** Rebuild the table from bench-out/pacing/*.json of earlier runs instead of running. */
    'from-json': { type: 'boolean', default: false },
  },
});

const SCENARIOS = ['M10', 'M50', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6'];
const AMD_SCENARIOS = new Set(['S2', 'S3', 'S4', 'S5']);
const seeds = Number(values.seeds);
const days = Number(values.days);
const scenarios = values.only ? values.only.split(',') : SCENARIOS;
const regimes = (values.regimes ?? 'us30d,uk24h').split(',') as Array<'us30d' | 'uk24h'>;
const policies = values.policies
  ? values.policies.split(';')
  : ['progressive', ...VICIDIAL_VARIANTS, ...POLICY_NAMES.filter((p) => p !== 'progressive' && p !== 'vicidial')];

const pct = (x: number): string => (x * 100).toFixed(2);

interface Row {
  report: PacingBenchReport;
  amdOff: boolean;
  violations: number;
}

const rows: Row[] = [];
await mkdir('bench-out/pacing', { recursive: true });
const started = Date.now();
const loadBefore = loadavg()[0] ?? 0;
for (const name of scenarios) {
  for (const regime of regimes) {
    const amdOff = regime === 'uk24h' && AMD_SCENARIOS.has(name);
    const out = `bench-out/pacing/${name}-${regime}.json`;
    if (values['from-json']) {
      const saved = JSON.parse(await readFile(out, 'utf8').catch(() => 'null')) as
        | { report: PacingBenchReport; violations: number; congested?: number }
        | PacingBenchReport
        | null;
      if (saved === null) continue;
      if ('report' in saved) rows.push({ report: saved.report, amdOff, violations: saved.violations });
      else rows.push({ report: saved, amdOff, violations: 0 });
      continue;
    }
    const file = JSON.parse(await readFile(`${values['scenarios-dir']}${name}.json`, 'utf8')) as ScenarioFile;
    process.stderr.write(`${name} ${regime}${amdOff ? ' (AMD off)' : ''}\n`);
    const outcome = await runPacingBench({
      scenario: file,
      policies,
      regime,
      seeds,
      days,
      amd: amdOff ? 'off' : 'scenario',
      workers: Number(values.workers),
      onProgress: (done, total) => process.stderr.write(progressBar(done, total) + (done === total ? '\n' : '')),
    });
    const problems = [...outcome.violations, ...outcome.crnMismatches];
    for (const p of problems.slice(0, 10)) process.stderr.write(`  INVARIANT: ${p}\n`);
    const congested = Object.values(outcome.seedResults).flat().reduce((a, r) => a + r.congested, 0);
    rows.push({ report: outcome.report, amdOff, violations: problems.length });
    await mkdir('bench-out/pacing', { recursive: true });
    await writeFile(out, JSON.stringify({ report: outcome.report, violations: problems.length, problems: problems.slice(0, 20), congested }, null, 1));
  }
}
const wall = (Date.now() - started) / 1000;

/** Best of the four standard VICIdial variants: highest occupancy among those with ≤ 5 % windows over 3 %. */
function bestVicidial(report: PacingBenchReport): [string, PolicyFigures] | undefined {
  const candidates: Array<[string, PolicyFigures]> = [];
  for (const v of VICIDIAL_VARIANTS) {
    const f = report.policies[v];
    if (f !== undefined && f.abandonRate.windowsOver3pct <= 0.05) candidates.push([v, f]);
  }
  candidates.sort((a, b) => b[1].occupancy.mean - a[1].occupancy.mean);
  const best = candidates[0];
  return best === undefined ? undefined : [best[0], best[1]];
}

const lines: string[] = [];
const runSeeds = rows[0]?.report.seeds ?? seeds;
const runDays = rows[0]?.report.days ?? days;
lines.push(`Command: \`npm run bench:pacing -- --seeds ${runSeeds} --days ${runDays}${values.only ? ` --only ${values.only}` : ''}\``);
lines.push(
  `(${runSeeds} seeds × ${runDays} days per scenario, regime and policy; the real dialer engine with the sim driver in virtual time; ` +
    (values['from-json']
      ? `scenario runs collected from bench-out/pacing; per-run wall time in the table's source JSON. `
      : `wall ${Math.round(wall)} s on the shared 2-core machine, load average ${loadBefore.toFixed(1)} at the start. `) +
    `Occupancy = (talk + wrap) / non-paused logged-in time, mean over seeds with its 95 % t-interval. Abandonment is judged per ` +
    `window: us30d = abandoned / live answers per 30-day period; uk24h = per calendar day with AMD false positives counted. ` +
    `uk24h runs S2–S5 with AMD off. "Reference" is the README's exact CMDP bound (M) or matched-means surrogate (S), and ` +
    `progressive's exact renewal figure; both are computed references, not measurements.)`,
);
lines.push('');
lines.push('| scenario | regime | seeds × days | policy | occupancy % (CI95) | abandon mean % | max window % | windows > 3 % | connects / agent-h | idle p95 s | decision µs mean / p99 | reference |');
lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  const r = row.report;
  const ref = referenceFor(r.scenario, row.amdOff);
  const refText = ref === undefined ? '–' : `${ref.kind} ${pct(ref.reference)}; progressive ${pct(ref.progressive)}`;
  for (const [policy, f] of Object.entries(r.policies)) {
    lines.push(
      `| ${r.scenario} | ${r.regime}${row.amdOff ? ' (AMD off)' : ''} | ${r.seeds} × ${r.days} | ${policy} | ${pct(f.occupancy.mean)} (${pct(f.occupancy.ci95[0])}–${pct(f.occupancy.ci95[1])}) | ` +
        `${pct(f.abandonRate.mean)} | ${pct(f.abandonRate.maxWindow)} | ${(f.abandonRate.windowsOver3pct * 100).toFixed(1)} % | ` +
        `${f.connectsPerAgentHour.mean.toFixed(2)} | ${f.idleGapSeconds.p95.toFixed(1)} | ${f.decisionMicros.mean.toFixed(1)} / ${f.decisionMicros.p99.toFixed(1)} | ` +
        `${policy === 'outdial' ? refText : ''} |`,
    );
  }
}
lines.push('');
lines.push('Outdial against the best of the four VICIdial variants (highest occupancy with ≤ 5 % windows over 3 %), and against the reference:');
lines.push('');
lines.push('| scenario | regime | best VICIdial | its occupancy % / abandon % | outdial occupancy % / abandon % | outdial − VICIdial (pp) | outdial − reference (pp) | idle ratio to reference | invariant breaches |');
lines.push('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  const r = row.report;
  const o = r.policies['outdial'];
  if (o === undefined) continue;
  const best = bestVicidial(r);
  const ref = referenceFor(r.scenario, row.amdOff);
  lines.push(
    `| ${r.scenario} | ${r.regime} | ${best?.[0] ?? 'none compliant'} | ${best ? `${pct(best[1].occupancy.mean)} / ${pct(best[1].abandonRate.mean)}` : '–'} | ` +
      `${pct(o.occupancy.mean)} / ${pct(o.abandonRate.mean)} | ${best ? ((o.occupancy.mean - best[1].occupancy.mean) * 100).toFixed(2) : '–'} | ` +
      `${ref ? ((o.occupancy.mean - ref.reference) * 100).toFixed(2) : '–'} | ${ref ? ((1 - o.occupancy.mean) / (1 - ref.reference)).toFixed(2) : '–'} | ${row.violations} |`,
  );
}
const cost = measureDecisionCost(200, 2000);
lines.push('');
lines.push(
  `Decision cost of \`outdial\` at 200 agents (S3-like floor, ~300 calls in flight, \`measureDecisionCost\` in ` +
    `packages/bench/src/pacing/decision-cost.ts; fastest of 3 identical copies per decision to filter pre-emption): ` +
    `mean ${cost.mean.toFixed(1)} µs, p99 ${cost.p99.toFixed(1)} µs over 2 000 decisions (load average ${(loadavg()[0] ?? 0).toFixed(1)}).`,
);
const section = lines.join('\n');
process.stdout.write(`${section}\n`);

if (!values['no-docs']) {
  const path = new URL('../../../docs/benchmarks.md', import.meta.url);
  const doc = await readFile(path, 'utf8');
  const start = doc.indexOf('## Pacing');
  if (start < 0) throw new Error('docs/benchmarks.md has no "## Pacing" section');
  // Only the marked table is replaced: the notes and earlier tables of the section stay.
  const from = doc.indexOf(TABLE_START, start);
  const to = from < 0 ? -1 : doc.indexOf(TABLE_END, from);
  const block = `${TABLE_START}\n${section}\n${TABLE_END}`;
  const afterHeading = doc.indexOf('\n', start) + 1;
  const updated = from >= 0 && to >= 0
    ? `${doc.slice(0, from)}${block}${doc.slice(to + TABLE_END.length)}`
    : `${doc.slice(0, afterHeading)}\n${block}\n${doc.slice(afterHeading)}`;
  await writeFile(path, updated);
  process.stderr.write('docs/benchmarks.md: the pacing table updated\n');
}
if (rows.some((r) => r.violations > 0)) process.exitCode = 1;
