/** "000Z" … "999Z": the tail of an ISO timestamp. */
const MILLIS: readonly string[] = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(3, '0')}Z`);

/**
 * ISO-8601 UTC timestamps for compliance requests, made once per dial: the date and time are formatted once a
 * second and the milliseconds come from a table (`toISOString` is slow enough to show in the benchmark).
 */
export class IsoStamp {
  private second = Number.NaN;
  private prefix = '';

  format(now: number): string {
    const ms = ((now % 1000) + 1000) % 1000;
    const second = now - ms;
    if (second !== this.second) {
      this.second = second;
      this.prefix = new Date(second).toISOString().slice(0, 20);
    }
    return this.prefix + (MILLIS[ms] as string);
  }
}
