import type { PacingBenchReport } from './pacing-bench-runner.ts';

const pct = (x: number, digits = 2): string => `${(x * 100).toFixed(digits)} %`;

/** The readable table of `outdial bench pacing` (without --json). */
export function formatPacingTable(report: PacingBenchReport): string {
  const header = ['policy', 'occupancy (CI95)', 'talk', 'connects/agent-h', 'abandon mean', 'max window', 'windows > 3 %', 'idle mean / p95 (s)', 'dials/connect', 'decision µs mean / p99'];
  const rows = Object.entries(report.policies).map(([name, f]) => [
    name,
    `${pct(f.occupancy.mean)} (${pct(f.occupancy.ci95[0])}–${pct(f.occupancy.ci95[1])})`,
    pct(f.talkOccupancy.mean),
    f.connectsPerAgentHour.mean.toFixed(2),
    pct(f.abandonRate.mean),
    pct(f.abandonRate.maxWindow),
    pct(f.abandonRate.windowsOver3pct, 1),
    `${f.idleGapSeconds.mean.toFixed(1)} / ${f.idleGapSeconds.p95.toFixed(1)}`,
    f.dialsPerConnect.toFixed(2),
    `${f.decisionMicros.mean.toFixed(1)} / ${f.decisionMicros.p99.toFixed(1)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [
    `${report.scenario} · ${report.regime} · ${report.seeds} seeds × ${report.days} days · ${report.wallSeconds} s`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

/** A one-line progress bar for standard error. */
export function progressBar(done: number, total: number, width = 30): string {
  const filled = total > 0 ? Math.round((done / total) * width) : width;
  return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} runs`;
}
