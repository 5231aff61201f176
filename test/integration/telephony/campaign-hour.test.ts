import { describe, expect, it } from 'vitest';
import { firstInvalidStep } from '@outdial/core/agent/agent-state';
import type { EngineEvent } from '@outdial/core/dialer/events';
import type { PacingPolicy, PacingSnapshot } from '@outdial/core/pacing/policy';
import { parseScenario } from '@outdial/telephony/sim/scenario';
import { createSimRun } from '@outdial/telephony/sim/sim-run';
import type { SimCallTruth } from '@outdial/telephony/sim/sim-driver';

/** Ten agents, S2-like calls with short talks so that an hour sees many calls, retries and (with over-dialing) abandons. */
const scenario = (() => {
  const parsed = parseScenario({
    name: 'campaign-hour',
    agents: 10,
    hoursPerDay: 1,
    outcomes: { live: 0.3, machine: 0.2, noAnswer: 0.35, busy: 0.05, invalid: 0.1 },
    liveAnswerSeconds: { dist: 'lognormal', median: 8, p90: 18 },
    machineAnswerSeconds: { dist: 'normal', mean: 20, sd: 3 },
    noAnswerTimeoutSeconds: 25,
    busySeconds: { dist: 'fixed', value: 4 },
    invalidSeconds: { dist: 'fixed', value: 3 },
    setupSeconds: { dist: 'lognormal', median: 1.5, p90: 3 },
    talkSeconds: { dist: 'lognormal', mean: 90, cv: 1 },
    wrapSeconds: { dist: 'lognormal', mean: 15, cv: 0.5 },
    amd: { enabled: true, delaySeconds: 2.5, falsePositive: 0.05, falseNegative: 0.1 },
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.scenario;
})();

/** A deliberately aggressive fixed dial level, so the hour has abandoned calls to check. */
function fixedLevel(level: number): PacingPolicy {
  return {
    name: `fixed-${level}`,
    decide(s: PacingSnapshot): number {
      const busy = s.busyAgents ?? 0;
      const active = s.readyAgents + busy;
      return Math.round(level * active) - (s.ringing + (s.analysing ?? 0) + s.waiting + busy);
    },
    observe() {},
  };
}

type Ev<K extends EngineEvent['type']> = Extract<EngineEvent, { type: K }>;

for (const regime of ['us30d', 'uk24h'] as const) {
  describe(`a campaign runs for one simulated hour with 10 agents (${regime})`, () => {
    const events: EngineEvent[] = [];
    const truths = new Map<string, SimCallTruth>();
    const stored = new Map<string, Ev<'disposition.saved'>>();
    const run = createSimRun({
      scenario,
      seed: 42,
      amd: regime === 'uk24h' ? 'off' : 'scenario',
      campaign: {
        dialMode: 'predictive',
        regime,
        maxAttempts: 4,
        retryRules: [
          { outcome: 'no_answer', action: 'retry', delayMinutes: 10 },
          { outcome: 'busy', action: 'retry', delayMinutes: 5 },
          { outcome: 'amd_hangup', action: 'retry', delayMinutes: 15 },
          { outcome: 'abandoned', action: 'retry', delayMinutes: 20 },
        ],
      },
      policyFor: () => fixedLevel(2.2),
      // 1,500 contacts, no fresh supply: retries must come back through the hopper.
      freshLead: null,
      sinks: [
        {
          emit(e: EngineEvent): void {
            events.push(e);
            if (e.type === 'attempt.ended') {
              const t = run.driver.truth(e.attemptId);
              if (t !== undefined) truths.set(e.attemptId, { ...t });
            }
            if (e.type === 'disposition.saved') stored.set(e.attemptId, e);
          },
        },
      ],
    });
    for (let i = 0; i < 1500; i++) {
      run.hopper.add(run.campaign.id, { contactId: `k${i}`, phone: `+1202555${String(i).padStart(4, '0')}`, attemptNo: 1, priority: 0, compliance: {} });
    }
    run.runDays(1);
    const of = <K extends EngineEvent['type']>(type: K): Array<Ev<K>> => events.filter((e): e is Ev<K> => e.type === type);

    it('dialed, answered, connected and (over-dialing) abandoned calls in the hour', () => {
      expect(of('attempt.dialed').length).toBeGreaterThan(300);
      expect(of('attempt.connected').length).toBeGreaterThan(50);
      expect(of('attempt.abandoned').length).toBeGreaterThan(0);
      expect(of('attempt.dialed').some((e) => e.attempt.attemptNo > 1)).toBe(true);
      expect(run.bots.refusals).toEqual([]);
      expect(run.driver.health().inFlight).toBe(0);
    });

    it('no contact is dialed twice inside its retry interval, nor while a previous attempt is in progress', () => {
      const nextAllowed = new Map<string, number>();
      const inProgress = new Set<string>();
      for (const e of events) {
        if (e.type === 'attempt.dialed') {
          const id = e.attempt.contactId;
          expect(inProgress.has(id), `${id} dialed while in progress`).toBe(false);
          expect(e.at, `${id} redialed before its retry time`).toBeGreaterThanOrEqual(nextAllowed.get(id) ?? Number.NEGATIVE_INFINITY);
          inProgress.add(id);
        } else if (e.type === 'contact.updated') {
          inProgress.delete(e.update.contactId);
          nextAllowed.set(e.update.contactId, e.update.nextDialAt ?? Number.POSITIVE_INFINITY);
        }
      }
      const retried = of('attempt.dialed').filter((e) => e.attempt.attemptNo > 1);
      expect(retried.length).toBeGreaterThan(0);
    });

    it('every answered call reached an agent or counted as abandoned with the message played within the grace', () => {
      const connected = new Set(of('attempt.connected').map((e) => e.attemptId));
      const abandoned = new Map(of('attempt.abandoned').map((e) => [e.attemptId, e]));
      for (const e of of('attempt.ended')) {
        const truth = truths.get(e.attemptId);
        const humanAnswered = truth?.kind === 'live' && truth.answeredAt !== null;
        if (!e.liveAnswer && !humanAnswered) continue;
        if (e.outcome === 'amd_hangup') {
          // An AMD false positive: the dialer believed it a machine (counted in the UK estimate, never connected).
          expect(truth?.amdWrong).toBe(true);
          continue;
        }
        const reached = connected.has(e.attemptId);
        const ab = abandoned.get(e.attemptId);
        expect(reached || ab !== undefined, `${e.attemptId} answered but neither connected nor abandoned`).toBe(true);
        if (ab !== undefined) {
          expect(e).toMatchObject({ outcome: 'abandoned', abandoned: true, abandonMessagePlayed: true });
          expect(ab.at - ab.graceStartedAt).toBe(2000);
        }
      }
    });

    it('every connected call has exactly one disposition, emitted and stored', () => {
      const connected = of('attempt.connected');
      const saved = of('disposition.saved');
      expect(saved.length).toBe(connected.length);
      for (const c of connected) expect(stored.get(c.attemptId), `disposition of ${c.attemptId}`).toBeDefined();
      expect(new Set(saved.map((s) => s.attemptId)).size).toBe(saved.length);
    });

    it("every agent's state path is valid through the transition table", () => {
      const byAgent = new Map<string, Array<Ev<'agent.state'>>>();
      for (const e of of('agent.state')) byAgent.set(e.agentId, [...(byAgent.get(e.agentId) ?? []), e]);
      expect(byAgent.size).toBe(10);
      for (const [agentId, path] of byAgent) {
        expect(firstInvalidStep(path), agentId).toBeNull();
        expect(path.at(-1)?.to, `${agentId} ends paused after the day`).toBe('paused');
      }
    });
  });
}
