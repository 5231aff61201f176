/**
 * P(an agent on a call is free by +m) on the pacer's grid: the talk ends at step k ≤ m (talkEnd[k] = P(ended by +k),
 * non-decreasing from talkEnd[0]) and the wrap-up that follows is over by m − k, the wrap-up's CDF taken from the
 * class of a call that long (`shortCdf` for talk ends at k < shortUntil, `longCdf` after). Talk ends more than
 * `wrapSupport` steps before m count in full (the wrap-up is over by then). Fills row[1..steps]; row[0] is left alone.
 *
 * `talkMass` is scratch (≥ steps + 1 long) for P(talk ends in step k), computed once per row instead of once per
 * (m, k): the products are the same and are added in the same order as the plain double loop, so the row is bit for
 * bit the one that loop gives (the pacer's decisions depend on it).
 */
export function convolveTalkWithWrap(
  talkEnd: Float64Array,
  shortCdf: Float64Array,
  longCdf: Float64Array,
  shortUntil: number,
  wrapSupport: number,
  steps: number,
  talkMass: Float64Array,
  row: Float64Array,
): void {
  for (let k = 1; k <= steps; k++) talkMass[k] = (talkEnd[k] as number) - (talkEnd[k - 1] as number);
  for (let m = 1; m <= steps; m++) {
    const first = Math.max(1, m - wrapSupport);
    let f = talkEnd[first - 1] as number;
    const shortEnd = Math.min(m, shortUntil - 1);
    let k = first;
    for (; k <= shortEnd; k++) f += (talkMass[k] as number) * (shortCdf[m - k] as number);
    for (; k <= m; k++) f += (talkMass[k] as number) * (longCdf[m - k] as number);
    row[m] = f;
  }
}
