import type { Random } from '@outdial/core/random/seeded-random';

/**
 * Distributions of the pacing-bench scenario format (../shared/contracts/pacing-bench.md), in seconds. Every sampler
 * draws by inverse CDF from a FIXED number of uniforms, so a lead's draws line up across policies (common random
 * numbers) whatever the outcome turns out to be.
 */
export type DistributionSpec =
  | { dist: 'fixed'; value: number }
  | { dist: 'exp'; mean: number }
  | { dist: 'normal'; mean: number; sd: number }
  | { dist: 'lognormal'; mean: number; cv: number }
  | { dist: 'lognormal'; median: number; p90: number }
  | { dist: 'mixture'; parts: Array<{ weight: number } & DistributionSpec> };

export interface Sampler {
  /** Draws seconds (≥ 0). */
  sample(rng: Random): number;
  /** Mean in seconds. */
  readonly mean: number;
  /** Uniforms consumed by every draw (always the same for a spec, so later draws stay aligned). */
  readonly uniforms: number;
}

const Z90 = 1.2815515655446004;

export function compileDistribution(spec: DistributionSpec, where = 'distribution'): Sampler {
  switch (spec.dist) {
    case 'fixed': {
      const v = nonNegative(spec.value, `${where}.value`);
      return { mean: v, uniforms: 0, sample: () => v };
    }
    case 'exp': {
      const m = nonNegative(spec.mean, `${where}.mean`);
      return { mean: m, uniforms: 1, sample: (r) => -m * Math.log(1 - r.next()) };
    }
    case 'normal': {
      const mu = finite(spec.mean, `${where}.mean`);
      const sd = nonNegative(spec.sd, `${where}.sd`);
      if (sd === 0) return { mean: Math.max(0, mu), uniforms: 1, sample: (r) => (r.next(), Math.max(0, mu)) };
      // Truncated at 0 by inverse CDF on [Φ(−μ/σ), 1): one uniform per draw.
      const lo = normalCdf(-mu / sd);
      const alpha = -mu / sd;
      const mean = mu + (sd * normalPdf(alpha)) / Math.max(1e-300, 1 - lo);
      return { mean, uniforms: 1, sample: (r) => Math.max(0, mu + sd * inverseNormalCdf(lo + (1 - lo) * r.next())) };
    }
    case 'lognormal': {
      let mu: number;
      let sigma: number;
      if ('median' in spec) {
        const median = positive(spec.median, `${where}.median`);
        const p90 = positive(spec.p90, `${where}.p90`);
        if (p90 < median) throw new Error(`${where}: p90 must be ≥ median`);
        mu = Math.log(median);
        sigma = (Math.log(p90) - mu) / Z90;
      } else {
        const mean = positive(spec.mean, `${where}.mean`);
        const cv = nonNegative(spec.cv, `${where}.cv`);
        const s2 = Math.log(1 + cv * cv);
        sigma = Math.sqrt(s2);
        mu = Math.log(mean) - s2 / 2;
      }
      const mean = Math.exp(mu + (sigma * sigma) / 2);
      if (sigma === 0) return { mean, uniforms: 1, sample: (r) => (r.next(), mean) };
      return { mean, uniforms: 1, sample: (r) => Math.exp(mu + sigma * inverseNormalCdf(r.next())) };
    }
    case 'mixture': {
      if (!Array.isArray(spec.parts) || spec.parts.length === 0) throw new Error(`${where}.parts: at least one part`);
      const parts = spec.parts.map((p, i) => ({ w: nonNegative(p.weight, `${where}.parts[${i}].weight`), s: compileDistribution(p, `${where}.parts[${i}]`) }));
      const total = parts.reduce((a, p) => a + p.w, 0);
      if (!(total > 0)) throw new Error(`${where}: weights must sum above 0`);
      const cumulative = new Float64Array(parts.length);
      let acc = 0;
      parts.forEach((p, i) => {
        acc += p.w / total;
        cumulative[i] = acc;
      });
      const mean = parts.reduce((a, p) => a + (p.w / total) * p.s.mean, 0);
      const widest = parts.reduce((a, p) => Math.max(a, p.s.uniforms), 0);
      return {
        mean,
        uniforms: 1 + widest,
        sample: (r) => {
          const u = r.next();
          let i = 0;
          while (i < parts.length - 1 && u >= (cumulative[i] as number)) i++;
          const part = (parts[i] as { s: Sampler }).s;
          const x = part.sample(r);
          for (let k = part.uniforms; k < widest; k++) r.next();
          return x;
        },
      };
    }
    default:
      throw new Error(`${where}: unknown dist ${(spec as { dist?: unknown }).dist as string}`);
  }
}

function finite(x: unknown, where: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`${where}: a finite number is required`);
  return x;
}
function nonNegative(x: unknown, where: string): number {
  const v = finite(x, where);
  if (v < 0) throw new Error(`${where}: must be ≥ 0`);
  return v;
}
function positive(x: unknown, where: string): number {
  const v = finite(x, where);
  if (v <= 0) throw new Error(`${where}: must be > 0`);
  return v;
}

export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Φ(x), Abramowitz–Stegun 7.1.26 on erf (|error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Φ⁻¹(p), Acklam's rational approximation (relative error < 1.2e-9). */
export function inverseNormalCdf(p: number): number {
  if (p <= 0) return -8.3;
  if (p >= 1) return 8.3;
  const a1 = -39.69683028665376, a2 = 220.9460984245205, a3 = -275.9285104469687;
  const a4 = 138.357751867269, a5 = -30.66479806614716, a6 = 2.506628277459239;
  const b1 = -54.47609879822406, b2 = 161.5858368580409, b3 = -155.6989798598866;
  const b4 = 66.80131188771972, b5 = -13.28068155288572;
  const c1 = -0.007784894002430293, c2 = -0.3223964580411365, c3 = -2.400758277161838;
  const c4 = -2.549732539343734, c5 = 4.374664141464968, c6 = 2.938163982698783;
  const d1 = 0.007784695709041462, d2 = 0.3224671290700398, d3 = 2.445134137142996, d4 = 3.754408661907416;
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
  }
  if (p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q) / (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1);
}
