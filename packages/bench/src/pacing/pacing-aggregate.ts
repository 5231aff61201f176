import { Histogram } from './histogram.ts';
import type { SeedMetrics } from './pacing-metrics.ts';

export interface MeanCi {
  mean: number;
  ci95: [number, number];
}

/** One policy's figures, exactly the contract's `--json` shape. */
export interface PolicyFigures {
  occupancy: MeanCi;
  talkOccupancy: MeanCi;
  connectsPerAgentHour: MeanCi;
  abandonRate: { mean: number; maxWindow: number; windowsOver3pct: number };
  idleGapSeconds: { mean: number; p95: number };
  dialsPerConnect: number;
  decisionMicros: { mean: number; p99: number };
  calls: number;
  liveAnswers: number;
  abandoned: number;
}

// Two-sided 97.5 % Student t quantiles for 1..30 degrees of freedom; 1.96 beyond.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Mean and t-interval over seeds (the seeds are the independent replications). */
export function meanCi(values: readonly number[]): MeanCi {
  const n = values.length;
  if (n === 0) return { mean: 0, ci95: [0, 0] };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, ci95: [mean, mean] };
  const variance = values.reduce((a, v) => a + (v - mean) * (v - mean), 0) / (n - 1);
  const half = (T975[n - 2] ?? 1.96) * Math.sqrt(variance / n);
  return { mean, ci95: [mean - half, mean + half] };
}

export const ABANDON_LIMIT = 0.03;

export function aggregatePolicy(seeds: readonly SeedMetrics[]): PolicyFigures {
  const idle = new Histogram(100, 12_000);
  const decisions = new Histogram(0.5, 20_000);
  let calls = 0;
  let liveAnswers = 0;
  let abandoned = 0;
  let connects = 0;
  const windowRates: number[] = [];
  for (const s of seeds) {
    idle.merge(s.idleGapMs);
    decisions.merge(s.decisionMicros);
    calls += s.calls;
    liveAnswers += s.liveAnswers;
    abandoned += s.abandoned;
    connects += s.liveConnects;
    for (const w of s.windows) if (w.liveAnswers > 0) windowRates.push(w.abandoned / w.liveAnswers);
  }
  const perSeed = (f: (s: SeedMetrics) => number): MeanCi => meanCi(seeds.map(f));
  return {
    occupancy: perSeed((s) => (s.agentMs > 0 ? s.handleMs / s.agentMs : 0)),
    talkOccupancy: perSeed((s) => (s.agentMs > 0 ? s.talkMs / s.agentMs : 0)),
    connectsPerAgentHour: perSeed((s) => (s.agentMs > 0 ? s.liveConnects / (s.agentMs / 3_600_000) : 0)),
    abandonRate: {
      mean: windowRates.length > 0 ? windowRates.reduce((a, b) => a + b, 0) / windowRates.length : 0,
      maxWindow: windowRates.length > 0 ? Math.max(...windowRates) : 0,
      windowsOver3pct: windowRates.length > 0 ? windowRates.filter((r) => r > ABANDON_LIMIT).length / windowRates.length : 0,
    },
    idleGapSeconds: { mean: idle.mean() / 1000, p95: idle.quantile(0.95) / 1000 },
    dialsPerConnect: connects > 0 ? calls / connects : 0,
    // Wall time around each decide() call: decisions over 10 ms (the process was pre-empted or collecting garbage
    // on a loaded machine) are left out of the mean; the p99 is read from the same histogram.
    decisionMicros: { mean: decisions.meanWithinRange(), p99: decisions.quantile(0.99) },
    calls,
    liveAnswers,
    abandoned,
  };
}
