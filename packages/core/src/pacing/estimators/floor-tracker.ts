import type { PacingObservation } from '../policy.ts';
import { AnswerProbability } from './answer-probability.ts';
import { DurationDistribution } from './duration-distribution.ts';
import { MachineShare } from './machine-share.ts';

/**
 * Wrap-up is learnt separately after short and long calls: a machine that reached an agent, or a quick refusal, is
 * often followed by no wrap at all, while a real conversation has its full after-call work. Mixing the two made the
 * pacer expect an agent who has talked for minutes to be free the moment the call ends.
 */
export const SHORT_TALK_MS = 30_000;
export const WRAP_CLASSES = 2;

/** The wrap-up class of a call that held its agent `talkMs`. */
export function wrapClassOf(talkMs: number): number {
  return talkMs < SHORT_TALK_MS ? 0 : 1;
}

export interface TrackedCall {
  dialedAt: number;
  /** When the call was answered (any kind); undefined while it rings. */
  answeredAt?: number;
  live?: boolean;
}

/**
 * Everything a pacer learns from observations: calls in flight with their ages, the probability that a dial needs
 * an agent, the dial → agent-request time and dial → failure time distributions, talk and wrap time distributions,
 * and the abandon / live-answer counts. It never sees an outcome before the engine reports it.
 */
export class FloorTracker {
  readonly calls = new Map<string, TrackedCall>();
  /** P(a dial needs an agent). */
  readonly demand = new AnswerProbability(0.1, 20, 1500);
  /** P(an answered call needs an agent | live flag): [not live, live]. */
  private readonly demandGivenAnswered = [new AnswerProbability(0.5, 4, 400), new AnswerProbability(0.95, 4, 400)];
  /** Dial → the moment the call asks for an agent (the grace starts). */
  readonly answerTime = new DurationDistribution(500, 240, { meanMs: 11_000, cv: 0.7, weight: 20 });
  /** Dial → a failed outcome (no answer, busy, invalid, machine hung up by AMD). */
  readonly failureTime = new DurationDistribution(500, 240, { meanMs: 18_000, cv: 0.5, weight: 20 });
  /** Time an agent is held by a connected call (talk, or a machine's hold). */
  readonly talk = new DurationDistribution(1000, 7200, { meanMs: 180_000, cv: 1, weight: 10 }, 50);
  readonly wrap = new DurationDistribution(1000, 900, { meanMs: 20_000, cv: 0.5, weight: 10 }, 50);
  /** Wrap-up after a short call (index 0) and after a long one (index 1): see `wrapClassOf`. */
  readonly wrapAfter = Array.from(
    { length: WRAP_CLASSES },
    () => new DurationDistribution(1000, 900, { meanMs: 20_000, cv: 0.5, weight: 10 }, 50),
  );
  /** Each agent's wrap-up class, from the length of the call it last ended. */
  private readonly agentWrapClass = new Map<string, number>();
  /** P(machine | ring time) among answers that asked for an agent, from agents' dispositions. */
  readonly machineShare = new MachineShare();
  /** Dial → agent request time of the call each agent was last connected to, for its disposition. */
  private readonly agentRequestMs = new Map<string, number>();
  /** Time the call each agent last ended held them (ms). */
  private readonly agentTalkMs = new Map<string, number>();
  /** Time an agent is held by a call with a person, and by a machine (from dispositions; talk only, no wrap-up). */
  readonly talkPerson = new DurationDistribution(1000, 7200, { meanMs: 180_000, cv: 1, weight: 10 }, 50);
  readonly talkMachine = new DurationDistribution(1000, 900, { meanMs: 15_000, cv: 0.3, weight: 10 }, 50);
  liveAnswers = 0;
  abandons = 0;
  connects = 0;
  dials = 0;
  private sawLiveCounts = false;
  /**
   * Listeners for the budget controller: counted live answers; abandons with the probability that a person answered
   * (machines do not count); corrections of the live answers counted (−1 for a call an agent found was a machine).
   */
  onLiveAnswer: ((at: number) => void) | undefined;
  onAbandon: ((at: number, person: number) => void) | undefined;
  onLiveCorrection: ((at: number, delta: number) => void) | undefined;

  /** The regime's grace (ms): an abandon is reported this long after the caller started waiting. */
  constructor(private readonly graceMs = 2000) {}

  observe(o: PacingObservation): void {
    switch (o.type) {
      case 'dialed':
        this.calls.set(o.callId, { dialedAt: o.at });
        this.dials++;
        return;
      case 'answered': {
        const call = this.calls.get(o.callId);
        if (!o.live) {
          // A machine (AMD verdict): the engine hangs it up, so it will never ask for an agent.
          this.calls.delete(o.callId);
          this.demand.add(false);
          this.failureTime.add(call !== undefined ? o.at - call.dialedAt : o.ringMs);
          return;
        }
        if (call === undefined) this.calls.set(o.callId, { dialedAt: o.at - o.ringMs, answeredAt: o.at, live: true });
        else {
          call.answeredAt = o.at;
          call.live = true;
        }
        return;
      }
      case 'not-answered': {
        const call = this.calls.get(o.callId);
        this.calls.delete(o.callId);
        this.demand.add(false);
        this.failureTime.add(call !== undefined ? o.at - call.dialedAt : o.ringMs);
        return;
      }
      case 'connected': {
        this.connects++;
        const call = this.calls.get(o.callId);
        if (call !== undefined) this.agentRequestMs.set(o.agentId, o.at - o.waitMs - call.dialedAt);
        this.resolveDemand(o.callId, o.at - o.waitMs);
        if (!this.sawLiveCounts) this.countLive(o.at);
        return;
      }
      case 'abandoned': {
        this.abandons++;
        const call = this.calls.get(o.callId);
        const person = call === undefined ? 1 : this.personProbability(o.at - this.graceMs - call.dialedAt);
        this.resolveDemand(o.callId, o.at - this.graceMs);
        if (!this.sawLiveCounts) this.countLive(o.at);
        this.onAbandon?.(o.at, person);
        return;
      }
      case 'live-answer-counted':
        if (!this.sawLiveCounts) {
          // The engine counts live answers itself: from now on use its count, not connects + abandons.
          this.sawLiveCounts = true;
          this.liveAnswers = 0;
        }
        this.countLive(o.at);
        return;
      case 'call-ended': {
        const call = this.calls.get(o.callId);
        if (call !== undefined) {
          // Ended without reaching an agent: an AMD machine hang-up or a far-end hang-up before the connect.
          this.calls.delete(o.callId);
          this.demand.add(false);
          this.failureTime.add((call.answeredAt ?? o.at) - call.dialedAt);
          if (call.answeredAt !== undefined) this.demandGivenAnswered[call.live ? 1 : 0]?.add(false);
          return;
        }
        if (o.talkMs > 0) this.talk.add(o.talkMs);
        this.agentTalkMs.set(o.agentId, o.talkMs);
        this.agentWrapClass.set(o.agentId, wrapClassOf(o.talkMs));
        return;
      }
      case 'wrap-ended': {
        this.wrap.add(o.wrapMs);
        this.wrapAfter[this.wrapClass(o.agentId)]?.add(o.wrapMs);
        if (o.machine === undefined) return;
        const requestMs = this.agentRequestMs.get(o.agentId);
        this.agentRequestMs.delete(o.agentId);
        if (requestMs !== undefined) this.machineShare.add(requestMs, o.machine);
        const talkMs = this.agentTalkMs.get(o.agentId);
        if (talkMs !== undefined) {
          if (o.machine) this.machineShare.addHold(talkMs + o.wrapMs);
          if (talkMs > 0) (o.machine ? this.talkMachine : this.talkPerson).add(talkMs);
        }
        // The engine counted the machine as a live answer when it was answered; only people count.
        if (o.machine) this.onLiveCorrection?.(o.at, -1);
        return;
      }
    }
  }

  /** The wrap-up class of the agent's current or last wrap-up (long-call class when unknown). */
  wrapClass(agentId: string): number {
    return this.agentWrapClass.get(agentId) ?? WRAP_CLASSES - 1;
  }

  /**
   * P(the call an agent is on is a machine), from its dial → request time, before knowing how long it has lasted;
   * undefined when unknown (no disposition seen yet, or the connect was not observed).
   */
  callMachineProbability(agentId: string): number | undefined {
    if (this.machineShare.count === 0) return undefined;
    const requestMs = this.agentRequestMs.get(agentId);
    return requestMs === undefined ? undefined : this.machineShare.machineProbability(requestMs);
  }

  /** P(a person, not a machine, answered a call that asked for an agent `requestMs` after the dial), 1 before any disposition. */
  personProbability(requestMs: number): number {
    return 1 - this.machineShare.machineProbability(requestMs);
  }

  /** P(an already answered call still needs an agent). */
  demandAfterAnswer(live: boolean | undefined): number {
    return this.demandGivenAnswered[live === false ? 0 : 1]?.estimate() ?? 1;
  }

  private countLive(at: number): void {
    this.liveAnswers++;
    this.onLiveAnswer?.(at);
  }

  private resolveDemand(callId: string, requestedAt: number): void {
    const call = this.calls.get(callId);
    if (call === undefined) return;
    this.calls.delete(callId);
    this.demand.add(true);
    this.answerTime.add(Math.max(requestedAt, call.answeredAt ?? requestedAt) - call.dialedAt);
    if (call.answeredAt !== undefined) this.demandGivenAnswered[call.live ? 1 : 0]?.add(true);
  }
}
