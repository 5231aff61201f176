import type { Clock } from '@outdial/core/clock';
import type { Random } from '@outdial/core/random/seeded-random';
import type {
  AgentLegRequest,
  AmdVerdict,
  CallOutcome,
  DriverCapabilities,
  DriverEvent,
  DriverEventListener,
  DriverHealth,
  HangupReason,
  OriginateRequest,
  TelephonyDriver,
} from '@outdial/core/telephony/driver';
import type { FarEndBehaviour } from '../conformance/far-end.ts';
import { LeadRandom } from './lead-random.ts';
import { SimClock, type SimTask } from './sim-clock.ts';
import { liveRateAt, type Scenario } from './scenario.ts';

/** What the far end of a simulated call really is (the dialer only learns it through events). */
export type SimCallKind = 'live' | 'machine' | 'noAnswer' | 'busy' | 'invalid' | 'congestion' | 'decline';

/** The draws of one call: the same for every policy, keyed by (seed, contactId, attemptNo). */
export interface SimCallTruth {
  callId: string;
  contactId: string;
  attemptNo: number;
  kind: SimCallKind;
  /** Dial → answer (live, machine) or → network failure (busy, invalid, network no-answer), ms. */
  resolveMs: number;
  setupMs: number;
  talkMs: number;
  wrapMs: number;
  greetingMs: number;
  /** AMD got it wrong (false positive on a live person, false negative on a machine). */
  amdWrong: boolean;
  /** Set when the call was answered (ms). */
  answeredAt: number | null;
  bridgedAt: number | null;
}

export interface SimDriverOptions {
  clock: Clock;
  scenario: Scenario;
  seed: number;
  /** Midnight of day 0: hours of the day are counted from here (liveRateSchedule). Default: the clock's now. */
  dayOrigin?: number;
  /** Forces AMD on or off regardless of the scenario (`--amd`). */
  amd?: 'on' | 'off' | 'scenario';
  /** Delay between `bridge` and `bridged` (ms). Default 0. */
  bridgeLatencyMs?: number;
  /** Declared in caps (true under a VirtualClock). Default true. */
  virtualTime?: boolean;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const enum Step {
  Progress,
  Resolve,
  AfterAnswer,
  Bridged,
  CustomerHangup,
  PlayEnded,
  EndLocal,
}

class SimCall implements SimTask {
  readonly truth: SimCallTruth;
  step: Step = Step.Progress;
  /** Scheduling: the sim clock's heap fields, or the cancel function of a plain clock's timer. */
  at = 0;
  seq = 0;
  heapIndex = -1;
  cancel: (() => void) | null = null;
  answered = false;
  bridged = false;
  ended = false;
  playing: string | null = null;
  speechEndAt = -1;
  amdAt = -1;
  amdVerdict: AmdVerdict | null = null;
  localOutcome: CallOutcome = 'cancelled';
  localBy: 'local' | 'timeout' = 'local';
  localSip = 487;
  /** Scripted calls: how long the far end talks once bridged (−1: the scenario's draw; ∞: until we hang up). */
  talkLimitMs = -1;
  /** The resolution is a ring timeout of the dialer (cancel), not the network. */
  timesOut = false;
  ringTimeoutMs = Number.POSITIVE_INFINITY;
  legId = '';
  refuseBridge = false;
  constructor(
    readonly id: string,
    readonly dialedAt: number,
    truth: SimCallTruth,
    private readonly driver: SimDriver,
  ) {
    this.truth = truth;
  }

  run(): void {
    this.driver.fireCall(this);
  }

  /** For a plain Clock: the timer callback, made once per call and only then. */
  private fireFn: (() => void) | null = null;
  get fire(): () => void {
    this.fireFn ??= (): void => {
      this.cancel = null;
      this.driver.fireCall(this);
    };
    return this.fireFn;
  }
}

/**
 * The simulated carrier: an in-process TelephonyDriver whose calls follow a scenario's distributions, in virtual
 * time (benchmarks, tests) or real time (demo). Deterministic for a seed; every draw of a call comes from a random
 * stream keyed by (seed, contactId, attemptNo), so every pacing policy meets the same leads.
 */
export class SimDriver implements TelephonyDriver {
  readonly id = 'sim';
  readonly caps: DriverCapabilities;
  private readonly clock: Clock;
  /** The sim clock when the run has one: calls are scheduled on it in place (no timer objects or closures). */
  private readonly tasks: SimClock | null;
  private readonly scenario: Scenario;
  private readonly seed: number;
  private readonly dayOrigin: number;
  private readonly amdEnabled: boolean;
  private readonly bridgeLatencyMs: number;
  /**
   * The AMD delay (ms), computed once: `delaySeconds * 1000` made by optimized code is a boxed double even when whole,
   * by the interpreter a small integer, and the mix kept the engine's `attempt.ended` code deoptimizing and
   * recompiling every few thousand calls. A whole number is stored as an integer.
   */
  private readonly amdDelayMs: number;
  private readonly listeners: DriverEventListener[] = [];
  private readonly calls = new Map<string, SimCall>();
  private readonly legs = new Map<string, string>();
  private legSeq = 0;
  private started = false;
  /** Far-end scripts by called number (tests, conformance): they replace the scenario's draws for one call. */
  private readonly scripts = new Map<string, FarEndBehaviour[]>();

  constructor(options: SimDriverOptions) {
    this.clock = options.clock;
    this.tasks = options.clock instanceof SimClock ? options.clock : null;
    this.scenario = options.scenario;
    this.seed = options.seed >>> 0;
    this.dayOrigin = options.dayOrigin ?? options.clock.now();
    const amd = options.amd ?? 'scenario';
    this.amdEnabled = amd === 'on' || (amd === 'scenario' && options.scenario.amd.enabled);
    this.bridgeLatencyMs = options.bridgeLatencyMs ?? 0;
    const amdDelayMs = options.scenario.amd.delaySeconds * 1000;
    this.amdDelayMs = Number.isInteger(amdDelayMs) && Math.abs(amdDelayMs) < 2 ** 30 ? amdDelayMs | 0 : amdDelayMs;
    this.caps = {
      amd: this.amdEnabled,
      beep: false,
      sit: false,
      bridge: 'in-process',
      recording: false,
      dtmf: false,
      speechEvents: true,
      ...(options.scenario.trunks !== null ? { maxConcurrent: options.scenario.trunks } : {}),
      virtualTime: options.virtualTime ?? true,
    };
  }

  async start(): Promise<void> {
    this.started = true;
  }

  async stop(): Promise<void> {
    for (const call of [...this.calls.values()]) this.hangup(call.id, 'shutdown');
    for (const legId of [...this.legs.keys()]) this.closeAgentLeg(legId);
    this.started = false;
  }

  onEvent(listener: DriverEventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  health(): DriverHealth {
    return { up: this.started, inFlight: this.calls.size };
  }

  /**
   * The next call to `to` follows this script instead of the scenario (queued per number). `refuseBridge` makes the
   * sim refuse to bridge that call (an `error` event), to test how the dialer recovers.
   */
  scriptNext(to: string, behaviour: FarEndBehaviour, options: { refuseBridge?: boolean } = {}): void {
    const scripted = options.refuseBridge === true ? { ...behaviour, refuseBridge: true } : behaviour;
    const queue = this.scripts.get(to);
    if (queue === undefined) this.scripts.set(to, [scripted]);
    else queue.push(scripted);
  }

  /** The far end's truth for a call in progress (also readable while its `ended` event is being delivered). */
  truth(callId: string): SimCallTruth | undefined {
    return this.calls.get(callId)?.truth;
  }

  /** The draws a lead's attempt gets, without dialing (for checks that every policy sees the same leads). */
  draw(contactId: string, attemptNo: number, at: number, callId = ''): SimCallTruth {
    const s = this.scenario;
    const rng = LeadRandom.forLead(this.seed, contactId, attemptNo);
    const hour = (((at - this.dayOrigin) % DAY_MS) + DAY_MS) % DAY_MS / HOUR_MS;
    const o = s.outcomes;
    const live = liveRateAt(s, hour);
    const noAnswer = o.noAnswer + (o.live - live);
    const u = rng.next();
    let kind: SimCallKind;
    if (u < live) kind = 'live';
    else if (u < live + o.machine) kind = 'machine';
    else if (u < live + o.machine + noAnswer) kind = 'noAnswer';
    else if (u < live + o.machine + noAnswer + o.busy) kind = 'busy';
    else kind = 'invalid';
    const setupMs = s.setup.sample(rng) * 1000;
    const liveMs = pick(kind === 'live', s.liveAnswer, rng);
    const machineMs = pick(kind === 'machine', s.machineAnswer, rng);
    const noAnswerMs = s.noAnswer === null ? -1 : pick(kind === 'noAnswer', s.noAnswer, rng);
    const busyMs = pick(kind === 'busy', s.busy, rng);
    const invalidMs = pick(kind === 'invalid', s.invalid, rng);
    const talkMs = s.talk.sample(rng) * 1000;
    const wrapMs = s.wrap.sample(rng) * 1000;
    const greetingMs = s.greeting === null ? (this.amdEnabled ? s.amd.delaySeconds * 1000 : 0) : s.greeting.sample(rng) * 1000;
    const uAmd = rng.next();
    const amdWrong = kind === 'live' ? uAmd < s.amd.falsePositive : kind === 'machine' ? uAmd < s.amd.falseNegative : false;
    let resolveMs: number;
    switch (kind) {
      case 'live':
        resolveMs = setupMs + liveMs;
        break;
      case 'machine':
        resolveMs = setupMs + machineMs;
        break;
      case 'noAnswer':
        resolveMs = noAnswerMs < 0 ? Number.POSITIVE_INFINITY : setupMs + noAnswerMs;
        break;
      case 'busy':
        resolveMs = setupMs + busyMs;
        break;
      case 'invalid':
        resolveMs = setupMs + invalidMs;
        break;
    }
    return {
      callId,
      contactId,
      attemptNo,
      kind,
      resolveMs,
      setupMs,
      talkMs,
      wrapMs,
      greetingMs,
      amdWrong,
      answeredAt: null,
      bridgedAt: null,
    };
  }

  originate(req: OriginateRequest): void {
    const now = this.clock.now();
    const script = this.scripts.size > 0 ? this.takeScript(req.to) : undefined;
    const truth = script === undefined ? this.draw(req.contactId, req.attemptNo, now, req.callId) : scriptedTruth(req, script);
    const call = new SimCall(req.callId, now, truth, this);
    if (script !== undefined && (script as { refuseBridge?: boolean }).refuseBridge === true) call.refuseBridge = true;
    this.calls.set(req.callId, call);
    const trunks = this.scenario.trunks;
    if (trunks !== null && this.calls.size > trunks) {
      call.localOutcome = 'congestion';
      call.localSip = 503;
      call.localBy = 'local';
      this.schedule(call, Step.EndLocal, 0);
      return;
    }
    call.ringTimeoutMs = req.ringTimeoutMs;
    const amdAsked = req.amd !== false && (this.amdEnabled || script !== undefined);
    call.amdVerdict = amdAsked ? this.verdictOf(truth) : null;
    if (truth.resolveMs > req.ringTimeoutMs) {
      call.timesOut = true;
    }
    const resolveAt = call.timesOut ? req.ringTimeoutMs : truth.resolveMs;
    if (truth.setupMs < resolveAt) this.schedule(call, Step.Progress, truth.setupMs);
    else this.schedule(call, Step.Resolve, resolveAt);
    call.speechEndAt = truth.greetingMs;
    call.amdAt = call.amdVerdict === null ? -1 : script?.kind === 'answer' ? (script.amdAfterMs ?? 2500) : this.amdDelayMs;
    call.talkLimitMs = script === undefined ? -1 : script.kind === 'answer' && script.talkMs !== undefined ? script.talkMs : Number.POSITIVE_INFINITY;
  }

  private takeScript(to: string): FarEndBehaviour | undefined {
    const queue = this.scripts.get(to);
    if (queue === undefined) return undefined;
    const next = queue.shift();
    if (queue.length === 0) this.scripts.delete(to);
    return next;
  }

  private verdictOf(t: SimCallTruth): AmdVerdict | null {
    if (t.kind === 'live') return t.amdWrong ? 'machine' : 'human';
    if (t.kind === 'machine') return t.amdWrong ? 'human' : 'machine';
    return null;
  }

  hangup(callId: string, reason: HangupReason = 'normal'): void {
    const call = this.calls.get(callId);
    if (call === undefined || call.ended || call.step === Step.EndLocal) return;
    if (!call.answered) {
      call.localOutcome = reason === 'timeout' ? 'no-answer' : 'cancelled';
      call.localSip = 487;
      call.localBy = reason === 'timeout' ? 'timeout' : 'local';
    } else {
      call.localOutcome = call.truth.kind === 'machine' ? 'answered-machine' : 'answered-human';
      call.localSip = 200;
      call.localBy = 'local';
    }
    this.schedule(call, Step.EndLocal, 0);
  }

  bridge(callId: string, agentLegId: string): void {
    const call = this.calls.get(callId);
    if (call === undefined || !call.answered || call.bridged || call.step === Step.EndLocal || call.refuseBridge) {
      this.emitLater({ type: 'error', callId, at: 0, code: 'SIM_BRIDGE_REFUSED', detail: 'call not answered, gone or scripted to refuse' });
      return;
    }
    call.bridged = true;
    call.playing = null;
    call.legId = agentLegId;
    this.schedule(call, Step.Bridged, this.bridgeLatencyMs);
  }

  unbridge(callId: string): void {
    const call = this.calls.get(callId);
    if (call !== undefined) call.bridged = false;
  }

  play(callId: string, promptId: string): void {
    const call = this.calls.get(callId);
    if (call === undefined || !call.answered || call.step === Step.EndLocal) {
      this.emitLater({ type: 'error', callId, at: 0, code: 'SIM_PLAY_REFUSED', detail: 'call not answered or gone' });
      return;
    }
    call.playing = promptId;
    this.schedule(call, Step.PlayEnded, this.scenario.abandonMessageMs);
  }

  openAgentLeg(req: AgentLegRequest): string {
    const legId = `sim-leg-${++this.legSeq}`;
    this.legs.set(legId, req.agentId);
    this.clock.setTimer(0, () => {
      if (this.legs.get(legId) === req.agentId) {
        this.emit({ type: 'agent-leg', legId, agentId: req.agentId, at: this.clock.now(), state: 'up' });
      }
    });
    return legId;
  }

  closeAgentLeg(legId: string): void {
    const agentId = this.legs.get(legId);
    if (agentId === undefined) return;
    this.legs.delete(legId);
    this.clock.setTimer(0, () => {
      this.emit({ type: 'agent-leg', legId, agentId, at: this.clock.now(), state: 'down', cause: 'closed' });
    });
  }

  // ------------------------------------------------------------------------------------------------ call timeline

  private schedule(call: SimCall, step: Step, atOffsetFromNowOrDial: number, fromDial = step === Step.Progress || step === Step.Resolve): void {
    call.step = step;
    const delay = fromDial ? call.dialedAt + atOffsetFromNowOrDial - this.clock.now() : atOffsetFromNowOrDial;
    if (this.tasks !== null) {
      this.tasks.schedule(call, delay);
      return;
    }
    if (call.cancel !== null) call.cancel();
    call.cancel = this.clock.setTimer(delay, call.fire);
  }

  private unschedule(call: SimCall): void {
    if (this.tasks !== null) this.tasks.cancel(call);
    else if (call.cancel !== null) {
      call.cancel();
      call.cancel = null;
    }
  }

  /** Runs the call's next step (called by its timer). */
  fireCall(call: SimCall): void {
    if (call.ended) return;
    const now = this.clock.now();
    const t = call.truth;
    switch (call.step) {
      case Step.Progress: {
        this.emit({ type: 'progress', callId: call.id, at: now, code: 180, earlyMedia: false });
        if (call.ended || call.step !== Step.Progress) return;
        this.schedule(call, Step.Resolve, call.timesOut ? call.ringTimeoutMs : t.resolveMs);
        return;
      }
      case Step.Resolve:
        this.resolve(call, now);
        return;
      case Step.AfterAnswer:
        this.afterAnswer(call, now);
        return;
      case Step.Bridged: {
        t.bridgedAt = now;
        this.emit({ type: 'bridged', callId: call.id, agentLegId: call.legId, at: now, latencyMs: this.bridgeLatencyMs });
        if (call.ended || call.step !== Step.Bridged) return;
        const holdMs = call.talkLimitMs >= 0 ? call.talkLimitMs : t.kind === 'machine' ? this.scenario.machineAgentMs : t.talkMs;
        if (holdMs !== Number.POSITIVE_INFINITY) this.schedule(call, Step.CustomerHangup, holdMs);
        return;
      }
      case Step.CustomerHangup:
        this.end(call, now, t.kind === 'machine' ? 'answered-machine' : 'answered-human', 200, 16, 'remote');
        return;
      case Step.PlayEnded: {
        const promptId = call.playing ?? '';
        call.playing = null;
        this.emit({ type: 'play-ended', callId: call.id, at: now, promptId, result: 'completed' });
        return;
      }
      case Step.EndLocal:
        this.end(call, now, call.localOutcome, call.localSip, call.localSip === 503 ? 34 : 16, call.localBy);
        return;
    }
  }

  private resolve(call: SimCall, now: number): void {
    const t = call.truth;
    if (call.timesOut) {
      this.end(call, now, 'no-answer', 487, 19, 'timeout');
      return;
    }
    switch (t.kind) {
      case 'live':
      case 'machine': {
        call.answered = true;
        t.answeredAt = now;
        this.emit({ type: 'answered', callId: call.id, at: now });
        if (call.ended || call.step !== Step.Resolve) return;
        this.emit({ type: 'speech', callId: call.id, at: now, phase: 'start' });
        if (call.ended || call.step !== Step.Resolve) return;
        this.afterAnswer(call, now);
        return;
      }
      case 'noAnswer':
        this.end(call, now, 'no-answer', 480, 19, 'remote');
        return;
      case 'busy':
        this.end(call, now, 'busy', 486, 17, 'remote');
        return;
      case 'invalid':
        this.end(call, now, 'invalid-number', 404, 1, 'remote');
        return;
      case 'congestion':
        this.end(call, now, 'congestion', 503, 34, 'remote');
        return;
      case 'decline':
        this.end(call, now, 'rejected', 603, 21, 'remote');
        return;
    }
  }

  /** Greeting end and AMD verdict, in time order (the greeting end first on a tie). */
  private afterAnswer(call: SimCall, now: number): void {
    const answeredAt = call.truth.answeredAt ?? now;
    for (;;) {
      const speechAt = call.speechEndAt >= 0 ? answeredAt + call.speechEndAt : Number.POSITIVE_INFINITY;
      const amdAt = call.amdAt >= 0 ? answeredAt + call.amdAt : Number.POSITIVE_INFINITY;
      const next = Math.min(speechAt, amdAt);
      if (next === Number.POSITIVE_INFINITY) {
        call.step = Step.AfterAnswer;
        return;
      }
      if (next > now) {
        this.schedule(call, Step.AfterAnswer, next - now);
        return;
      }
      call.step = Step.AfterAnswer;
      if (speechAt <= amdAt) {
        call.speechEndAt = -1;
        this.emit({ type: 'speech', callId: call.id, at: now, phase: 'end' });
      } else {
        call.amdAt = -1;
        const result = call.amdVerdict ?? 'unknown';
        this.emit({
          type: 'amd',
          callId: call.id,
          at: now,
          result,
          cause: result === 'human' ? 'sim-human' : 'sim-machine',
          decisionMs: this.amdDelayMs,
        });
      }
      if (call.ended || call.step !== Step.AfterAnswer) return;
    }
  }

  private end(call: SimCall, now: number, outcome: CallOutcome, sipCode: number, q850: number, by: 'remote' | 'local' | 'timeout'): void {
    if (call.ended) return;
    call.ended = true;
    this.unschedule(call);
    const t = call.truth;
    this.emit({
      type: 'ended',
      callId: call.id,
      at: now,
      outcome,
      sipCode,
      q850,
      by,
      answeredAt: t.answeredAt ?? undefined,
      talkMs: t.bridgedAt !== null ? now - t.bridgedAt : undefined,
    });
    this.calls.delete(call.id);
  }

  /** Events caused by a command are delivered after it returns, stamped when delivered. */
  private emitLater(e: DriverEvent): void {
    this.clock.setTimer(0, () => this.emit({ ...e, at: this.clock.now() }));
  }

  private emit(e: DriverEvent): void {
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) (ls[i] as DriverEventListener)(e);
  }
}

/** The truth of a scripted call (tests and the conformance suite). */
function scriptedTruth(req: OriginateRequest, b: FarEndBehaviour): SimCallTruth {
  const base: SimCallTruth = {
    callId: req.callId,
    contactId: req.contactId,
    attemptNo: req.attemptNo,
    kind: 'noAnswer',
    resolveMs: Number.POSITIVE_INFINITY,
    setupMs: 0,
    talkMs: 0,
    wrapMs: 0,
    greetingMs: 0,
    amdWrong: false,
    answeredAt: null,
    bridgedAt: null,
  };
  switch (b.kind) {
    case 'answer':
      base.kind = b.party === 'human' ? 'live' : 'machine';
      base.resolveMs = b.afterMs;
      base.greetingMs = b.greetingMs ?? 1000;
      base.talkMs = b.talkMs ?? 0;
      base.amdWrong = b.amd !== undefined && b.amd !== b.party;
      return base;
    case 'no-answer':
      return base;
    case 'busy':
    case 'invalid':
    case 'congestion':
    case 'decline':
      base.kind = b.kind;
      base.resolveMs = b.afterMs;
      base.setupMs = Math.min(100, b.afterMs);
      return base;
  }
}

function pick(needed: boolean, sampler: { sample(r: Random): number; uniforms: number }, rng: Random): number {
  if (needed) return sampler.sample(rng) * 1000;
  for (let k = 0; k < sampler.uniforms; k++) rng.next();
  return 0;
}
