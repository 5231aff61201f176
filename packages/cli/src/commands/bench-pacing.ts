import { readFile } from 'node:fs/promises';
import { POLICY_NAMES } from '@outdial/core/pacing/policy-registry';
import { createPacingPolicy } from '@outdial/core/pacing/policy-registry';
import { runPacingBench } from '@outdial/bench/pacing/pacing-bench-runner';
import { formatPacingTable, progressBar } from '@outdial/bench/pacing/pacing-table';
import type { AmdMode } from '@outdial/bench/pacing/pacing-run';
import type { ScenarioFile } from '@outdial/telephony/sim/scenario';
import { parseScenario } from '@outdial/telephony/sim/scenario';
import type { CliCommand } from '../command.ts';
import { UsageError, parseFlags, writeJson } from '../command.ts';

function positiveInt(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a positive integer, got "${String(value)}"`);
  return n;
}

const command: CliCommand = {
  summary: 'the pacing benchmark',
  help: `outdial bench pacing --scenario FILE.json [--policy NAME]... [--regime us30d|uk24h] [--seeds N] [--days D] [--amd on|off|scenario] [--json]

Runs the real dialer engine with the sim driver in virtual time, one run per policy and seed, every policy on the
same leads and draws (common random numbers keyed by seed and lead).
  --scenario FILE   scenario file (../shared/contracts/pacing-bench.md)
  --policy NAME     repeatable; NAME or NAME:key=value,...; default: ${POLICY_NAMES.join(', ')}
  --regime R        us30d (default; abandoned / live answers per 30-day window, 2 s from the end of the greeting)
                    or uk24h (per calendar day, 2 s from the start of the greeting, AMD false positives abandoned)
  --seeds N         default 20
  --days D          default 30 (each of the scenario's hoursPerDay)
  --amd MODE        on, off or scenario (default)
  --workers N       worker threads (default 2)
  --json            one JSON document on standard output
Exit status 1 when a policy cancels a ringing call before 15 s, keeps an answered person past the grace without
the message, or the runs did not share their draws.`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      scenario: { type: 'string' },
      policy: { type: 'string', multiple: true },
      regime: { type: 'string' },
      seeds: { type: 'string' },
      days: { type: 'string' },
      amd: { type: 'string' },
      workers: { type: 'string' },
      json: { type: 'boolean' },
    });
    const file = values['scenario'];
    if (typeof file !== 'string' || file === '') throw new UsageError('--scenario FILE.json is required');
    const regime = (values['regime'] as string | undefined) ?? 'us30d';
    if (regime !== 'us30d' && regime !== 'uk24h') throw new UsageError(`--regime must be us30d or uk24h, got "${regime}"`);
    const amd = (values['amd'] as string | undefined) ?? 'scenario';
    if (amd !== 'on' && amd !== 'off' && amd !== 'scenario') throw new UsageError(`--amd must be on, off or scenario, got "${amd}"`);
    const seeds = positiveInt(values['seeds'], 'seeds', 20);
    const days = positiveInt(values['days'], 'days', 30);
    const workers = values['workers'] === undefined ? 2 : Number(values['workers']);
    if (!Number.isInteger(workers) || workers < 0) throw new UsageError('--workers must be an integer ≥ 0');
    const policies = (values['policy'] as string[] | undefined) ?? [...POLICY_NAMES];
    for (const p of policies) {
      const made = createPacingPolicy(p);
      if (!made.ok) throw new UsageError(`--policy: ${made.error}`);
    }
    let scenario: ScenarioFile;
    try {
      scenario = JSON.parse(await readFile(file, 'utf8')) as ScenarioFile;
    } catch (error) {
      throw new UsageError(`--scenario ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const parsed = parseScenario(scenario);
    if (!parsed.ok) throw new UsageError(`--scenario ${file}: ${parsed.error}`);

    const outcome = await runPacingBench({
      scenario,
      policies: [...new Set(policies)],
      regime,
      seeds,
      days,
      amd: amd as AmdMode,
      workers,
      onProgress: (done, total) => io.stderr.write(progressBar(done, total) + (done === total ? '\n' : '')),
    });
    if (values['json']) writeJson(io, outcome.report);
    else io.stdout.write(`${formatPacingTable(outcome.report)}\n`);
    const problems = [...outcome.violations, ...outcome.crnMismatches];
    if (problems.length > 0) {
      io.stderr.write(`FAILED: ${problems.length} invariant breach(es):\n${problems.slice(0, 20).map((p) => `  ${p}`).join('\n')}\n`);
      return 1;
    }
    return 0;
  },
};
export default command;
