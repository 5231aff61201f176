import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DriverEvent, OriginateRequest } from '@outdial/core/telephony/driver';
import type { FarEndBehaviour } from './far-end.ts';
import type { ConformanceHarness, MakeHarness } from './harness.ts';

interface Seen {
  event: DriverEvent;
  /** The harness clock when the event was delivered. */
  deliveredAt: number;
}

/**
 * The driver contract as executable scenarios, against the TelephonyDriver interface only. Call it from a vitest
 * file: `runDriverConformance('sim', makeSimHarness)`. Every driver (sim, sip, cloud) must pass it.
 */
export function runDriverConformance(name: string, makeHarness: MakeHarness): void {
  describe(`driver conformance: ${name}`, () => {
    let h: ConformanceHarness;
    let seen: Seen[];
    let unsubscribe: () => void;
    let seq = 0;

    beforeEach(async () => {
      h = await makeHarness();
      seen = [];
      unsubscribe = h.driver.onEvent((event) => seen.push({ event, deliveredAt: h.clock.now() }));
      await h.driver.start();
    });

    afterEach(async () => {
      unsubscribe();
      await h.driver.stop();
      await h.close();
    });

    const supports = (kind: keyof NonNullable<ConformanceHarness['supports']>): boolean => h.supports?.[kind] !== false;

    function request(to: string, extra: Partial<OriginateRequest> = {}): OriginateRequest {
      seq++;
      return {
        callId: `conf-${seq}`,
        to,
        from: '+15555550100',
        ringTimeoutMs: 15_000,
        amd: false,
        contactId: `conf-contact-${seq}`,
        attemptNo: 1,
        ...extra,
      };
    }

    function eventsOf(callId: string): DriverEvent[] {
      return seen.map((s) => s.event).filter((e) => 'callId' in e && e.callId === callId);
    }

    function typesOf(callId: string): string[] {
      return eventsOf(callId).map((e) => (e.type === 'speech' ? `speech-${e.phase}` : e.type));
    }

    function endedOf(callId: string): Extract<DriverEvent, { type: 'ended' }> | undefined {
      return eventsOf(callId).find((e): e is Extract<DriverEvent, { type: 'ended' }> => e.type === 'ended');
    }

    async function dial(behaviour: FarEndBehaviour, extra: Partial<OriginateRequest> = {}): Promise<{ callId: string; t0: number }> {
      const to = await h.farEnd(behaviour);
      const req = request(to, extra);
      const t0 = h.clock.now();
      h.driver.originate(req);
      return { callId: req.callId, t0 };
    }

    const has = (callId: string, type: string) => () => typesOf(callId).includes(type);

    async function expectEnded(callId: string, timeoutMs: number): Promise<Extract<DriverEvent, { type: 'ended' }>> {
      expect(await h.until(has(callId, 'ended'), timeoutMs), `${callId} ended`).toBe(true);
      return endedOf(callId) as Extract<DriverEvent, { type: 'ended' }>;
    }

    it('answers as a human: answered then, after our hangup, ended (answered-human, by local)', async () => {
      const { callId, t0 } = await dial({ kind: 'answer', party: 'human', afterMs: 1000 });
      expect(await h.until(has(callId, 'answered'), 10_000)).toBe(true);
      const answered = eventsOf(callId).find((e) => e.type === 'answered');
      expect(answered?.at).toBeGreaterThanOrEqual(t0 + 1000 - h.toleranceMs);
      h.driver.hangup(callId, 'normal');
      const ended = await expectEnded(callId, 10_000);
      expect(ended).toMatchObject({ outcome: 'answered-human', by: 'local' });
      expect(ended.answeredAt).toBe(answered?.at);
    });

    it('reports the greeting as speech start then end, after the answer (when the driver hears speech)', async () => {
      if (!h.driver.caps.speechEvents) return;
      const { callId } = await dial({ kind: 'answer', party: 'human', afterMs: 500, greetingMs: 1200 });
      expect(await h.until(has(callId, 'speech-end'), 10_000)).toBe(true);
      const types = typesOf(callId);
      expect(types.indexOf('answered')).toBeLessThan(types.indexOf('speech-start'));
      expect(types.indexOf('speech-start')).toBeLessThan(types.indexOf('speech-end'));
      h.driver.hangup(callId);
      await expectEnded(callId, 10_000);
    });

    it('AMD: a machine is reported as machine, a human as human, with decisionMs', async () => {
      if (!h.driver.caps.amd) return;
      const cases: Array<['human' | 'machine', 'amd-human' | 'amd-machine']> = [
        ['machine', 'amd-machine'],
        ['human', 'amd-human'],
      ];
      for (const [party, kind] of cases) {
        if (!supports(kind)) continue;
        const { callId } = await dial(
          { kind: 'answer', party, afterMs: 500, greetingMs: party === 'machine' ? 6000 : 800 },
          { amd: { maxMs: 5000 } },
        );
        expect(await h.until(has(callId, 'amd'), 15_000), `${party} amd verdict`).toBe(true);
        const amd = eventsOf(callId).find((e) => e.type === 'amd');
        expect(amd).toMatchObject({ result: party });
        expect(amd?.type === 'amd' ? amd.decisionMs : -1).toBeGreaterThanOrEqual(0);
        h.driver.hangup(callId, party === 'machine' ? 'amd-machine' : 'normal');
        await expectEnded(callId, 10_000);
      }
    });

    it('recording (optional): at most one per recorded call, before its ended, naming a file; none from a driver that does not record', async () => {
      const { callId } = await dial({ kind: 'answer', party: 'human', afterMs: 300 }, { record: true });
      expect(await h.until(has(callId, 'answered'), 10_000)).toBe(true);
      await h.advance(500);
      h.driver.hangup(callId, 'normal');
      await expectEnded(callId, 10_000);
      const types = typesOf(callId);
      const recordings = eventsOf(callId).filter((e) => e.type === 'recording');
      if (!h.driver.caps.recording) expect(recordings).toEqual([]);
      expect(recordings.length).toBeLessThanOrEqual(1);
      for (const r of recordings) {
        expect(types.indexOf('recording')).toBeLessThan(types.indexOf('ended'));
        expect(r).toMatchObject({ path: expect.stringMatching(/\S/), durationMs: expect.any(Number) });
        expect(r.type === 'recording' ? r.durationMs : -1).toBeGreaterThanOrEqual(0);
      }
    });

    it('busy: ended busy (486 / Q.850 17) without an answer', async () => {
      if (!supports('busy')) return;
      const { callId } = await dial({ kind: 'busy', afterMs: 500 });
      const ended = await expectEnded(callId, 10_000);
      expect(ended).toMatchObject({ outcome: 'busy', by: 'remote' });
      expect([486, 600, undefined]).toContain(ended.sipCode);
      expect(typesOf(callId)).not.toContain('answered');
    });

    it('no answer: the driver cancels at the ring timeout, never before (no-answer, by timeout)', async () => {
      if (!supports('no-answer')) return;
      const { callId, t0 } = await dial({ kind: 'no-answer' }, { ringTimeoutMs: 15_000 });
      expect(await h.until(has(callId, 'ended'), 14_000 - h.toleranceMs)).toBe(false);
      const ended = await expectEnded(callId, 10_000);
      expect(ended).toMatchObject({ outcome: 'no-answer', by: 'timeout' });
      expect(ended.at - t0).toBeGreaterThanOrEqual(15_000);
      expect(typesOf(callId)).not.toContain('answered');
    });

    it('invalid number: ended invalid-number', async () => {
      if (!supports('invalid')) return;
      const { callId } = await dial({ kind: 'invalid', afterMs: 300 });
      expect(await expectEnded(callId, 10_000)).toMatchObject({ outcome: 'invalid-number', by: 'remote' });
    });

    it('congestion: ended congestion (or carrier-error)', async () => {
      if (!supports('congestion')) return;
      const { callId } = await dial({ kind: 'congestion', afterMs: 300 });
      const ended = await expectEnded(callId, 10_000);
      expect(['congestion', 'carrier-error']).toContain(ended.outcome);
    });

    it('decline: ended rejected (603)', async () => {
      if (!supports('decline')) return;
      const { callId } = await dial({ kind: 'decline', afterMs: 300 });
      expect(await expectEnded(callId, 10_000)).toMatchObject({ outcome: 'rejected', by: 'remote' });
    });

    it('bridges an answered call to an agent leg; the far end hangs up and the talk time is reported', async () => {
      const legId = h.driver.openAgentLeg({ agentId: 'agent-1', target: h.agentTarget('agent-1') });
      expect(await h.until(() => seen.some((s) => s.event.type === 'agent-leg' && s.event.legId === legId && s.event.state === 'up'), 10_000)).toBe(true);
      const { callId } = await dial({ kind: 'answer', party: 'human', afterMs: 500, talkMs: 2000 });
      expect(await h.until(has(callId, 'answered'), 10_000)).toBe(true);
      h.driver.bridge(callId, legId);
      expect(await h.until(has(callId, 'bridged'), 5000)).toBe(true);
      const bridged = eventsOf(callId).find((e) => e.type === 'bridged');
      expect(bridged).toMatchObject({ agentLegId: legId });
      const ended = await expectEnded(callId, 15_000);
      expect(ended).toMatchObject({ outcome: 'answered-human', by: 'remote' });
      expect(ended.talkMs).toBeGreaterThanOrEqual(2000 - h.toleranceMs);
      h.driver.closeAgentLeg(legId);
      expect(await h.until(() => seen.some((s) => s.event.type === 'agent-leg' && s.event.legId === legId && s.event.state === 'down'), 10_000)).toBe(true);
    });

    it('plays a prompt (play-ended completed), then our hangup ends the call', async () => {
      const { callId } = await dial({ kind: 'answer', party: 'human', afterMs: 500 });
      expect(await h.until(has(callId, 'answered'), 10_000)).toBe(true);
      h.driver.play(callId, 'abandon-default');
      expect(await h.until(has(callId, 'play-ended'), 30_000)).toBe(true);
      expect(eventsOf(callId).find((e) => e.type === 'play-ended')).toMatchObject({ promptId: 'abandon-default', result: 'completed' });
      h.driver.hangup(callId, 'abandon');
      expect(await expectEnded(callId, 10_000)).toMatchObject({ outcome: 'answered-human', by: 'local' });
    });

    it('hangup before answer: ended cancelled, by local, with no answer', async () => {
      const { callId } = await dial({ kind: 'no-answer' });
      await h.advance(1000);
      h.driver.hangup(callId, 'normal');
      const ended = await expectEnded(callId, 10_000);
      expect(ended).toMatchObject({ outcome: 'cancelled', by: 'local' });
      expect(typesOf(callId)).not.toContain('answered');
    });

    it('events are ordered and timestamped by the clock; one ended per call, nothing after it; nothing in flight after', async () => {
      const a = await dial({ kind: 'answer', party: 'human', afterMs: 700 });
      const b = await dial({ kind: 'busy', afterMs: 400 });
      const c = await dial({ kind: 'no-answer' });
      expect(await h.until(has(a.callId, 'answered'), 10_000)).toBe(true);
      h.driver.hangup(a.callId);
      h.driver.hangup(c.callId);
      for (const call of [a, b, c]) await expectEnded(call.callId, 20_000);
      await h.advance(100);
      let last = Number.NEGATIVE_INFINITY;
      for (const s of seen) {
        expect(s.event.at, `${s.event.type} not before the previous event`).toBeGreaterThanOrEqual(last - h.toleranceMs);
        expect(Math.abs(s.event.at - s.deliveredAt), `${s.event.type} stamped by the clock`).toBeLessThanOrEqual(h.toleranceMs);
        last = s.event.at;
      }
      for (const call of [a, b, c]) {
        const types = typesOf(call.callId);
        expect(types.filter((t) => t === 'ended')).toHaveLength(1);
        expect(types.at(-1)).toBe('ended');
        expect(eventsOf(call.callId)[0]?.at).toBeGreaterThanOrEqual(call.t0);
      }
      expect(h.driver.health().inFlight).toBe(0);
    });
  });
}
