import type { Random } from '@outdial/core/random/seeded-random';

/**
 * The per-lead random stream of the sim: the same generator as `seededRandom` (SplitMix32 seeding xoshiro128**),
 * as one small object instead of closures, because the sim makes one per dial.
 */
export class LeadRandom implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    s = (s + 0x9e3779b9) >>> 0;
    this.a = splitMix(s);
    s = (s + 0x9e3779b9) >>> 0;
    this.b = splitMix(s);
    s = (s + 0x9e3779b9) >>> 0;
    this.c = splitMix(s);
    s = (s + 0x9e3779b9) >>> 0;
    this.d = splitMix(s);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** The stream of one attempt of one lead under a seed (common random numbers). */
  static forLead(seed: number, contactId: string, attemptNo: number): LeadRandom {
    return new LeadRandom(leadHash(seed, contactId, attemptNo));
  }

  next(): number {
    const b = this.b;
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result / 4294967296;
  }
}

function splitMix(state: number): number {
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * `hashString(\`${contactId}#${attemptNo}\`, seed)`, without building the string: the concatenation was a cons string
 * that the hash loop had to flatten, twice garbage per dial.
 */
export function leadHash(seed: number, contactId: string, attemptNo: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < contactId.length; i++) {
    h = Math.imul(h ^ contactId.charCodeAt(i), 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ 35 /* '#' */, 0x85ebca6b);
  h ^= h >>> 13;
  const tail = String(attemptNo);
  for (let i = 0; i < tail.length; i++) {
    h = Math.imul(h ^ tail.charCodeAt(i), 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
