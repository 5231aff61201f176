import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '@outdial/core/virtual-clock';
import type { DriverEvent } from '@outdial/core/telephony/driver';
import { parseScenario } from '@outdial/telephony/sim/scenario';
import { SimDriver } from '@outdial/telephony/sim/sim-driver';
import { TrainingRouterDriver } from '@outdial/server/runtime/training-router-driver';

function sim(clock: VirtualClock, seed: number): SimDriver {
  const parsed = parseScenario(JSON.parse(readFileSync(new URL('../../fixtures/fast-scenario.json', import.meta.url), 'utf8')));
  if (!parsed.ok) throw new Error(parsed.error);
  return new SimDriver({ clock, scenario: parsed.scenario, seed });
}

describe('TrainingRouterDriver', () => {
  it('sends practice calls to the simulator and every other call to the real driver', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 10, 27, 15));
    const real = sim(clock, 1);
    const practice = sim(clock, 2);
    const realDials: string[] = [];
    const practiceDials: string[] = [];
    const originateReal = real.originate.bind(real);
    const originatePractice = practice.originate.bind(practice);
    real.originate = (req) => { realDials.push(req.callId); originateReal(req); };
    practice.originate = (req) => { practiceDials.push(req.callId); originatePractice(req); };
    const router = new TrainingRouterDriver(real, practice, (callId) => callId.startsWith('train-'));
    const events: DriverEvent[] = [];
    router.onEvent((e) => events.push(e));
    await router.start();

    const leg = router.openAgentLeg({ agentId: 'a1', target: 'sim:a1' });
    const base = { to: '+12125550123', from: '+12028861234', ringTimeoutMs: 25_000, amd: false as const, attemptNo: 1 };
    router.originate({ ...base, callId: 'train-1', contactId: 'c1' });
    router.originate({ ...base, callId: 'real-1', contactId: 'c2' });
    expect(practiceDials).toEqual(['train-1']);
    expect(realDials).toEqual(['real-1']);

    clock.advanceBy(2_000);
    const answered = events.filter((e) => e.type === 'answered').map((e) => (e as { callId: string }).callId);
    expect(answered).toContain('train-1');
    router.bridge('train-1', leg);
    clock.advanceBy(100);
    // The engine only knows the real leg: the shadow leg's id never reaches it.
    expect(events.find((e) => e.type === 'bridged' && e.callId === 'train-1')).toMatchObject({ agentLegId: leg });
    expect(events.filter((e) => e.type === 'agent-leg').every((e) => (e as { legId: string }).legId === leg)).toBe(true);
    router.hangup('train-1');
    router.hangup('real-1');
    clock.advanceBy(1_000);
    expect(events.filter((e) => e.type === 'ended').map((e) => (e as { callId: string }).callId).sort()).toEqual(['real-1', 'train-1']);
    await router.stop();
  });
});
