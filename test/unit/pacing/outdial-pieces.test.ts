import { describe, expect, it } from 'vitest';
import { Stamp } from '@outdial/core/pacing/stamp';
import { convolveTalkWithWrap } from '@outdial/core/pacing/talk-wrap-convolution';
import { seededRandom } from '@outdial/core/random/seeded-random';

describe('Stamp (cache keys of the outdial pacer)', () => {
  it('reports a change only when some part of the key differs, and counts the changes', () => {
    const stamp = new Stamp();
    expect(stamp.changed(1, 2, 3)).toBe(true);
    expect(stamp.version).toBe(1);
    expect(stamp.changed(1, 2, 3)).toBe(false);
    expect(stamp.changed(1, 2, 4)).toBe(true);
    expect(stamp.changed(1, 2)).toBe(true);
    expect(stamp.changed(1, 2)).toBe(false);
    expect(stamp.changed(0.5, 2)).toBe(true);
    expect(stamp.version).toBe(4);
  });
});

/** The double loop the pacer used before: P(talk ends in k) recomputed for every (m, k), the class chosen per k. */
function plainConvolution(
  talkEnd: Float64Array,
  shortCdf: Float64Array,
  longCdf: Float64Array,
  shortUntil: number,
  wrapSupport: number,
  steps: number,
): Float64Array {
  const row = new Float64Array(steps + 1);
  for (let m = 1; m <= steps; m++) {
    const first = Math.max(1, m - wrapSupport);
    let f = talkEnd[first - 1] ?? 0;
    for (let k = first; k <= m; k++) {
      const cdf = k < shortUntil ? shortCdf : longCdf;
      f += ((talkEnd[k] ?? 0) - (talkEnd[k - 1] ?? 0)) * (cdf[m - k] ?? 0);
    }
    row[m] = f;
  }
  return row;
}

function randomCdf(rng: { next(): number }, length: number): Float64Array {
  const cdf = new Float64Array(length);
  let acc = rng.next() * 0.2;
  for (let i = 0; i < length; i++) {
    acc = Math.min(1, acc + rng.next() * 0.1);
    cdf[i] = acc;
  }
  return cdf;
}

describe('convolveTalkWithWrap', () => {
  it('gives bit for bit the rows of the plain double loop (random tables, every class boundary and support)', () => {
    const rng = seededRandom(7);
    for (let trial = 0; trial < 300; trial++) {
      const steps = 2 + Math.floor(rng.next() * 60);
      const talkEnd = randomCdf(rng, steps + 1);
      const shortCdf = randomCdf(rng, steps + 1);
      const longCdf = randomCdf(rng, steps + 1);
      const shortUntil = Math.floor(rng.next() * (steps + 10)) - 5;
      const wrapSupport = 1 + Math.floor(rng.next() * (steps + 5));
      const row = new Float64Array(steps + 1);
      convolveTalkWithWrap(talkEnd, shortCdf, longCdf, shortUntil, wrapSupport, steps, new Float64Array(steps + 1), row);
      const expected = plainConvolution(talkEnd, shortCdf, longCdf, shortUntil, wrapSupport, steps);
      for (let m = 0; m <= steps; m++) expect(Object.is(row[m], expected[m])).toBe(true);
    }
  });

  it('is a CDF in m: P(free by +m) rises to the talk-end probability once the wrap-up is surely over', () => {
    const steps = 40;
    const talkEnd = new Float64Array(steps + 1).map((_, k) => 1 - Math.exp(-k / 10));
    const instant = new Float64Array(steps + 1).fill(1);
    const slow = new Float64Array(steps + 1).map((_, k) => Math.min(1, k / 20));
    const row = new Float64Array(steps + 1);
    convolveTalkWithWrap(talkEnd, instant, slow, 0, steps, steps, new Float64Array(steps + 1), row);
    for (let m = 2; m <= steps; m++) expect(row[m]).toBeGreaterThanOrEqual(row[m - 1] ?? 0);
    // Long calls with a 20-step wrap-up: by m the agent is free only if the talk ended by m − 20 or so.
    expect(row[steps]).toBeLessThan(talkEnd[steps] ?? 0);
    // With no wrap-up at all the row is the talk-end CDF itself.
    convolveTalkWithWrap(talkEnd, instant, instant, 0, steps, steps, new Float64Array(steps + 1), row);
    for (let m = 1; m <= steps; m++) expect(row[m]).toBeCloseTo(talkEnd[m] ?? 0, 12);
  });
});
