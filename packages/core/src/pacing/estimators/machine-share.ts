/**
 * P(an answered call that asked for an agent is an answering machine | its dial → request time), learnt from the
 * calls agents dispositioned (an agent hears whether a person or a machine answered). With AMD off, or a machine
 * that AMD missed, the dialer cannot tell the two apart when it connects or abandons a call; only people count in
 * the abandonment rate, and machines answer later than people (a machine's greeting after ~20 s of ringing against
 * a person's ~8 s), so the time from the dial says much about which an abandoned call was.
 *
 * Whether a waiting call finds an agent depends on the floor at that moment, not on who answered it, so given the
 * request time a dropped call is a machine as often as a connected one: the share learnt on connected calls applies to
 * abandoned ones. Per-bin counts with exponential forgetting, each bin shrunk towards the overall share.
 */
const REFRESH = 100;
const HOLD_MEMORY = 200;

export class MachineShare {
  /** Bumped every `REFRESH` dispositions: caches built from the share are rebuilt then. */
  version = 0;
  /** Per bin: machines and all calls, each with exponential forgetting. */
  private readonly machines: Float64Array;
  private readonly total: Float64Array;
  private readonly keep: number;
  /** Over all bins (the shrinkage target). */
  private allMachines = 0;
  private all = 0;
  private observations = 0;
  /** How long a machine holds the agent who gets it, talk + wrap-up (ms): a running mean (0 before any). */
  private holdSum = 0;
  private holdWeight = 0;

  constructor(
    /** Width of a request-time bin (ms). */
    private readonly binMs = 2000,
    /** Request times from this many bins on share the last bin. */
    private readonly bins = 40,
    /** Effective memory per bin, in calls. */
    memory = 400,
    /** Weight of the overall share in each bin's estimate, in calls. */
    private readonly shrinkWeight = 4,
  ) {
    this.machines = new Float64Array(bins);
    this.total = new Float64Array(bins);
    this.keep = 1 - 1 / memory;
  }

  /** Dispositioned calls seen. */
  get count(): number {
    return this.observations;
  }

  add(requestMs: number, machine: boolean): void {
    const b = this.binOf(requestMs);
    this.machines[b] = (this.machines[b] ?? 0) * this.keep + (machine ? 1 : 0);
    this.total[b] = (this.total[b] ?? 0) * this.keep + 1;
    const keepAll = 1 - (1 - this.keep) / this.bins;
    this.allMachines = this.allMachines * keepAll + (machine ? 1 : 0);
    this.all = this.all * keepAll + 1;
    this.observations++;
    if (this.observations % REFRESH === 0) this.version++;
  }

  /** A machine held an agent this long (talk + wrap-up, ms). */
  addHold(holdMs: number): void {
    const keep = 1 - 1 / HOLD_MEMORY;
    this.holdSum = this.holdSum * keep + holdMs;
    this.holdWeight = this.holdWeight * keep + 1;
  }

  /** Mean time a machine holds an agent (ms); undefined before any. */
  holdMs(): number | undefined {
    return this.holdWeight > 0 ? this.holdSum / this.holdWeight : undefined;
  }

  /** The overall machine share of dispositioned calls (0 before any). */
  overall(): number {
    return this.all > 0 ? this.allMachines / this.all : 0;
  }

  /** P(machine | dial → request time), 0 before any disposition was seen. */
  machineProbability(requestMs: number): number {
    if (this.observations === 0) return 0;
    const b = this.binOf(requestMs);
    const w = this.shrinkWeight;
    return ((this.machines[b] ?? 0) + w * this.overall()) / ((this.total[b] ?? 0) + w);
  }

  private binOf(ms: number): number {
    return Math.min(this.bins - 1, Math.max(0, Math.floor(ms / this.binMs)));
  }
}
