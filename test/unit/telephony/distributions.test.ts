import { describe, expect, it } from 'vitest';
import { seededRandom } from '@outdial/core/random/seeded-random';
import { compileDistribution, inverseNormalCdf, normalCdf, type DistributionSpec } from '@outdial/telephony/sim/distributions';

function stats(spec: DistributionSpec, n = 40_000): { mean: number; median: number; p90: number; min: number } {
  const s = compileDistribution(spec);
  const rng = seededRandom(11);
  const xs = Array.from({ length: n }, () => s.sample(rng)).sort((a, b) => a - b);
  return {
    mean: xs.reduce((a, b) => a + b, 0) / n,
    median: xs[Math.floor(n / 2)] as number,
    p90: xs[Math.floor(n * 0.9)] as number,
    min: xs[0] as number,
  };
}

describe('scenario distributions', () => {
  it('lognormal by mean and cv has that mean', () => {
    const s = stats({ dist: 'lognormal', mean: 240, cv: 1 });
    expect(s.mean).toBeGreaterThan(228);
    expect(s.mean).toBeLessThan(252);
    expect(compileDistribution({ dist: 'lognormal', mean: 240, cv: 1 }).mean).toBeCloseTo(240, 6);
  });

  it('lognormal by median and p90 has that median and p90', () => {
    const s = stats({ dist: 'lognormal', median: 8, p90: 18 });
    expect(s.median).toBeGreaterThan(7.7);
    expect(s.median).toBeLessThan(8.3);
    expect(s.p90).toBeGreaterThan(17.2);
    expect(s.p90).toBeLessThan(18.8);
  });

  it('normal is truncated at 0 and exp has its mean', () => {
    expect(stats({ dist: 'normal', mean: 1, sd: 3 }).min).toBeGreaterThanOrEqual(0);
    const e = stats({ dist: 'exp', mean: 20 });
    expect(e.mean).toBeGreaterThan(19.4);
    expect(e.mean).toBeLessThan(20.6);
    expect(stats({ dist: 'fixed', value: 4 })).toMatchObject({ min: 4, median: 4 });
  });

  it('a mixture has the weighted mean and always consumes the same number of uniforms', () => {
    const spec: DistributionSpec = {
      dist: 'mixture',
      parts: [
        { weight: 0.35, dist: 'lognormal', mean: 20, cv: 0.5 },
        { weight: 0.65, dist: 'fixed', value: 420 },
      ],
    };
    const m = compileDistribution(spec);
    expect(m.mean).toBeCloseTo(0.35 * 20 + 0.65 * 420, 6);
    expect(m.uniforms).toBe(2);
    // After one draw, the stream is at the same place whichever part was chosen.
    for (let seed = 0; seed < 50; seed++) {
      const a = seededRandom(seed);
      const b = seededRandom(seed);
      m.sample(a);
      b.next();
      b.next();
      expect(a.next()).toBe(b.next());
    }
  });

  it('rejects bad specs with the field name', () => {
    expect(() => compileDistribution({ dist: 'exp', mean: -1 }, 'talkSeconds')).toThrow(/talkSeconds\.mean/);
    expect(() => compileDistribution({ dist: 'lognormal', median: 10, p90: 5 })).toThrow(/p90/);
    expect(() => compileDistribution({ dist: 'nope' } as unknown as DistributionSpec)).toThrow(/unknown dist/);
  });

  it('normal CDF and its inverse agree', () => {
    for (const p of [0.001, 0.02, 0.1, 0.5, 0.9, 0.975, 0.999]) expect(normalCdf(inverseNormalCdf(p))).toBeCloseTo(p, 6);
  });
});
