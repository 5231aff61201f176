import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '@outdial/core/dialer/events';
import { PacingMetrics } from '@outdial/bench/pacing/pacing-metrics';
import type { SimCallTruth } from '@outdial/telephony/sim/sim-driver';

const T0 = Date.UTC(2026, 0, 5);

function truth(kind: SimCallTruth['kind'], greetingMs = 0): SimCallTruth {
  return { callId: 'x', contactId: 'L1', attemptNo: 1, kind, resolveMs: 8000, setupMs: 0, talkMs: 1, wrapMs: 1, greetingMs, amdWrong: false, answeredAt: null, bridgedAt: null };
}

type Ended = Extract<EngineEvent, { type: 'attempt.ended' }>;

function ended(attemptId: string, o: Partial<Omit<Ended, 'timings'>> & { timings: Partial<Ended['timings']> }): EngineEvent {
  const { timings, ...rest } = o;
  return {
    type: 'attempt.ended',
    at: T0,
    attemptId,
    campaignId: 'c',
    contactId: `contact-${attemptId}`,
    attemptNo: 1,
    outcome: 'answered',
    callOutcome: 'answered-human',
    sipCode: 200,
    q850: 16,
    by: 'remote',
    amd: null,
    amdMs: null,
    agentId: null,
    abandoned: false,
    abandonMessagePlayed: false,
    liveAnswer: true,
    ...rest,
    timings: { ...{ dialedAt: T0, answeredAt: null, graceStartedAt: null, connectedAt: null, endedAt: T0, ringMs: 0, talkMs: null }, ...timings },
  };
}

describe('pacing metrics: the fatal checks', () => {
  it('flags a ringing call cancelled before 15 s, not a network no-answer or a 15-s timeout', () => {
    const m = new PacingMetrics({ regime: 'us30d', graceMs: 2000, start: T0, truth: () => undefined });
    m.emit(ended('a', { by: 'local', callOutcome: 'cancelled', outcome: 'cancelled', timings: { ringMs: 9000 } }));
    m.emit(ended('b', { by: 'remote', callOutcome: 'no-answer', outcome: 'no_answer', timings: { ringMs: 9000 } }));
    m.emit(ended('c', { by: 'timeout', callOutcome: 'no-answer', outcome: 'no_answer', timings: { ringMs: 15_000 } }));
    const r = m.result(1);
    expect(r.violationCount).toBe(1);
    expect(r.violations[0]).toContain('cancelled after 9000 ms');
  });

  it('flags a person connected after the grace without the message, by regime (US: from the greeting end)', () => {
    const truths = new Map([['late', truth('live', 1500)], ['ok', truth('live', 1500)]]);
    const us = new PacingMetrics({ regime: 'us30d', graceMs: 2000, start: T0, truth: (id) => truths.get(id) });
    const uk = new PacingMetrics({ regime: 'uk24h', graceMs: 2000, start: T0, truth: (id) => truths.get(id) });
    for (const m of [us, uk]) {
      // Answered at +10 s, greeting ends at +11.5 s; connected at +13 s: 3 s after the answer, 1.5 s after the greeting.
      m.emit(ended('ok', { timings: { answeredAt: T0 + 10_000, connectedAt: T0 + 13_000, endedAt: T0 + 100_000, ringMs: 10_000 } }));
      m.emit(ended('late', { timings: { answeredAt: T0 + 10_000, connectedAt: T0 + 14_000, endedAt: T0 + 100_000, ringMs: 10_000 } }));
    }
    expect(us.result(1).violationCount).toBe(1);
    expect(uk.result(1).violationCount).toBe(2);
  });

  it('counts abandonment per regime: UK adds AMD false positives and judges each calendar day', () => {
    const truths = new Map<string, SimCallTruth>();
    const events: EngineEvent[] = [];
    for (let day = 0; day < 2; day++) {
      for (let i = 0; i < 10; i++) {
        const id = `d${day}c${i}`;
        truths.set(id, truth('live'));
        const answeredAt = T0 + day * 86_400_000 + i * 60_000;
        if (i === 0) {
          events.push({ type: 'attempt.abandoned', at: answeredAt + 2000, attemptId: id, campaignId: 'c', contactId: id, promptId: 'p', graceStartedAt: answeredAt, reason: 'no_agent' });
          events.push(ended(id, { abandoned: true, abandonMessagePlayed: true, outcome: 'abandoned', timings: { answeredAt, endedAt: answeredAt + 9000 } }));
        } else if (i === 1 && day === 1) {
          events.push(ended(id, { amd: 'machine', outcome: 'amd_hangup', timings: { answeredAt, endedAt: answeredAt + 2500 } }));
        } else {
          events.push(ended(id, { timings: { answeredAt, connectedAt: answeredAt + 100, endedAt: answeredAt + 60_000 } }));
        }
      }
    }
    const us = new PacingMetrics({ regime: 'us30d', graceMs: 2000, start: T0, truth: (id) => truths.get(id) });
    const uk = new PacingMetrics({ regime: 'uk24h', graceMs: 2000, start: T0, truth: (id) => truths.get(id) });
    for (const e of events) {
      us.emit(e);
      uk.emit(e);
    }
    expect(us.result(1).windows).toEqual([{ liveAnswers: 19, abandoned: 2 }]);
    expect(uk.result(1).windows).toEqual([
      { liveAnswers: 10, abandoned: 1 },
      { liveAnswers: 10, abandoned: 2 },
    ]);
    expect(uk.result(1).violationCount).toBe(0);
  });
});
