/**
 * Compliance decision benchmark: decisions per second on one core and per-decision latency percentiles, over a
 * typical mix of requests (single- and multi-zone US numbers, state rules, debt collection with history, UK with
 * history, invalid numbers). Run with `nice npm run bench:compliance [-- --seconds 5]`.
 */
import { decide } from '@outdial/core/compliance/decide';
import type { ComplianceRequest } from '@outdial/core/compliance/types';

const DAY = 86_400_000;
const base = Date.UTC(2026, 2, 2, 14, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

const PHONES = ['+12122010123', '+13052010180', '+18502010142', '+13642010142', '+16022010131', '+14012010175', '+12142010111',
  '+18012010170', '+14042010160', '+16142040101', '+19288710155', '+15412010100'];

function mix(count: number): ComplianceRequest[] {
  const requests: ComplianceRequest[] = [];
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < count; i += 1) {
    // A dialer asks mostly while its campaigns call: 85 % of requests fall in 14:00-23:00 UTC (US business hours),
    // the rest anywhere in the day (deferred ones exercise the notBefore search).
    const day = Math.floor(next() * 60);
    const secondOfDay = next() < 0.85 ? 14 * 3600 + Math.floor(next() * 9 * 3600) : Math.floor(next() * 86_400);
    const at = base - 14 * 3_600_000 + day * DAY + secondOfDay * 1000;
    const kind = next();
    const phone = PHONES[Math.floor(next() * PHONES.length)] ?? '+12122010123';
    const common = { id: `b${i}`, at: iso(at), lists: { nationalDncSyncedAt: iso(at - 3 * DAY).slice(0, 10), nationalDnc: next() < 0.1 } };
    if (kind < 0.55) {
      requests.push({ ...common, phone, campaign: { purpose: 'telemarketing', dialMode: 'predictive', seller: 'Acme', subject: 'solar' },
        contact: { lineType: 'unknown', reassigned: 'no', consents: [{ kind: 'written', at: '2025-06-01T00:00:00Z', scope: 'telemarketing' }] },
        history: [{ at: iso(at - 26 * 3_600_000), seller: 'Acme', subject: 'solar', outcome: 'no_answer' }],
        campaignWindow: { liveAnswers: 5000, abandoned: 90 } });
    } else if (kind < 0.8) {
      requests.push({ ...common, phone, campaign: { purpose: 'debt_collection', dialMode: 'progressive', seller: 'Northfield' },
        contact: { postalCode: next() < 0.5 ? '42101' : '94110', debtId: 'D-1', reassigned: 'no', consents: [{ kind: 'express', at: '2025-01-01T00:00:00Z', scope: 'debt_collection' }] },
        history: [1, 2, 3, 4].map((d) => ({ at: iso(at - d * DAY), seller: 'Northfield', debtId: 'D-1', outcome: 'no_answer' as const })) });
    } else if (kind < 0.95) {
      requests.push({ ...common, phone: '+447400123456', country: 'GB', campaign: { purpose: 'telemarketing', dialMode: 'predictive', seller: 'Acme' },
        history: [{ at: iso(at - 30 * 3_600_000), outcome: 'abandoned' }], campaignWindow: { liveAnswers: 800, abandoned: 10, amdFalsePositiveEstimate: 5 } });
    } else {
      requests.push({ ...common, phone: '+12125550123' });
    }
  }
  return requests;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const secondsFlag = process.argv.indexOf('--seconds');
  const seconds = secondsFlag > 0 ? Number(process.argv[secondsFlag + 1]) : 5;
  const requests = mix(20_000);
  // Warm-up: JIT, zone formatters and offset caches.
  for (const request of requests) decide(request);

  // Throughput: decisions in a tight loop for the given time, per second of wall time and per second of CPU time
  // of this process (the development machine is shared: CPU time is what one core does).
  let decisions = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  const verdicts: Record<string, number> = {};
  while (now < deadline) {
    for (let i = 0; i < 1000; i += 1) {
      const verdict = decide(requests[(decisions + i) % requests.length] as ComplianceRequest).verdict;
      verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
    }
    decisions += 1000;
    now = process.hrtime.bigint();
  }
  const elapsed = Number(now - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  // Latency: each decision timed alone, by the wall clock (includes preemption by other processes on a shared
  // machine) and by this process's CPU time (1 µs resolution).
  const wall = new Float64Array(requests.length * 2);
  const cpuSamples = new Float64Array(requests.length * 2);
  for (let i = 0; i < wall.length; i += 1) {
    const request = requests[i % requests.length] as ComplianceRequest;
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    decide(request);
    wall[i] = Number(process.hrtime.bigint() - t0) / 1000;
    const c1 = process.cpuUsage(c0);
    cpuSamples[i] = c1.user + c1.system;
  }
  wall.sort();
  cpuSamples.sort();
  const round = (value: number) => Math.round(value * 10) / 10;
  const result = {
    decisionsPerCpuSecond: Math.round(decisions / cpuSeconds),
    decisionsPerWallSecond: Math.round(decisions / elapsed),
    p50Micros: round(percentile(wall, 0.5)),
    p99Micros: round(percentile(wall, 0.99)),
    p50CpuMicros: round(percentile(cpuSamples, 0.5)),
    p99CpuMicros: round(percentile(cpuSamples, 0.99)),
    decisions,
    seconds: Math.round(elapsed * 100) / 100,
    mix: verdicts,
    node: process.version,
    loadAverage: (await import('node:os')).loadavg().map((l) => Math.round(l * 10) / 10),
  };
  console.log(JSON.stringify(result));
}

await main();
