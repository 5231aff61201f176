/**
 * A set of phone keys (E.164 digits as a positive integer below 2^53, never 0): open addressing in a Float64Array.
 * A million-contact list then costs 16-32 MB of one typed array instead of a Set of a million heap-allocated numbers
 * (E.164 digits exceed the small-integer range), which the garbage collector had to walk again and again.
 */
export class PhoneKeySet {
  private table: Float64Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1 << 16) {
    let capacity = 1 << 10;
    while (capacity < expected * 2) capacity *= 2;
    this.table = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  has(key: number): boolean {
    if (!(key > 0)) return false;
    const table = this.table;
    for (let slot = hash(key) & this.mask; ; slot = (slot + 1) & this.mask) {
      const value = table[slot] as number;
      if (value === key) return true;
      if (value === 0) return false;
    }
  }

  /**
   * Adds the key; answers false when it was already there. A key that is not a positive safe integer (a stored phone
   * that is not E.164 digits) is not kept: no normalised number can equal it.
   */
  add(key: number): boolean {
    if (!(key > 0) || !Number.isSafeInteger(key)) return true;
    if ((this.count + 1) * 2 > this.table.length) this.grow();
    const table = this.table;
    for (let slot = hash(key) & this.mask; ; slot = (slot + 1) & this.mask) {
      const value = table[slot] as number;
      if (value === key) return false;
      if (value === 0) {
        table[slot] = key;
        this.count++;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.mask = this.table.length - 1;
    this.count = 0;
    for (const value of old) if (value !== 0) this.add(value);
  }
}

function hash(key: number): number {
  const low = key % 4294967296;
  const high = (key - low) / 4294967296;
  let h = Math.imul(low | 0, 0x9e3779b1) ^ Math.imul(high | 0, 0x85ebca77);
  h ^= h >>> 15;
  return Math.imul(h, 0xc2b2ae3d) >>> 0;
}
