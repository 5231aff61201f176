/**
 * The key of a cache derived from estimator tables (their versions, grid sizes): `changed(...)` says whether it
 * differs from the last call's and remembers it. Numbers only, so checking it at every pacing decision allocates
 * nothing (the string keys it replaces were a tenth of the decision's garbage).
 */
export class Stamp {
  private readonly values: number[] = [];
  private valid = false;
  /** Bumped on every change, for caches keyed on this one. */
  version = 0;

  changed(...key: number[]): boolean {
    const v = this.values;
    if (this.valid && v.length === key.length) {
      let same = true;
      for (let i = 0; i < key.length; i++) {
        if (v[i] !== key[i]) {
          same = false;
          break;
        }
      }
      if (same) return false;
    }
    v.length = key.length;
    for (let i = 0; i < key.length; i++) v[i] = key[i] as number;
    this.valid = true;
    this.version++;
    return true;
  }
}
