import { VirtualClock } from '@outdial/core/virtual-clock';
import type { FarEndBehaviour } from '../conformance/far-end.ts';
import type { ConformanceHarness } from '../conformance/harness.ts';
import { parseScenario } from './scenario.ts';
import { SimDriver } from './sim-driver.ts';

/** The sim driver in virtual time, its far end scripted per number: the reference harness of the suite. */
export async function makeSimHarness(): Promise<ConformanceHarness> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 5, 15));
  const parsed = parseScenario({
    name: 'conformance',
    agents: 1,
    hoursPerDay: 8,
    outcomes: { live: 0, machine: 0, noAnswer: 1, busy: 0, invalid: 0 },
    liveAnswerSeconds: { dist: 'fixed', value: 5 },
    machineAnswerSeconds: { dist: 'fixed', value: 5 },
    noAnswerTimeoutSeconds: 25,
    busySeconds: { dist: 'fixed', value: 3 },
    invalidSeconds: { dist: 'fixed', value: 3 },
    setupSeconds: { dist: 'fixed', value: 0 },
    talkSeconds: { dist: 'fixed', value: 60 },
    wrapSeconds: { dist: 'fixed', value: 10 },
    amd: { enabled: true, delaySeconds: 2.5, falsePositive: 0, falseNegative: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const driver = new SimDriver({ clock, scenario: parsed.scenario, seed: 7, bridgeLatencyMs: 20 });
  let n = 0;
  return {
    driver,
    clock,
    toleranceMs: 0,
    async farEnd(behaviour: FarEndBehaviour): Promise<string> {
      const to = `+1555010${String(1000 + ++n)}`;
      driver.scriptNext(to, behaviour);
      return to;
    },
    agentTarget: (agentId) => `sim:${agentId}`,
    async advance(ms: number): Promise<void> {
      clock.advanceBy(ms);
    },
    async until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
      const limit = clock.now() + timeoutMs;
      for (;;) {
        if (predicate()) return true;
        const next = clock.nextAt();
        if (next === undefined || next > limit) {
          clock.advanceTo(limit);
          return predicate();
        }
        clock.advanceTo(next);
      }
    },
    async close(): Promise<void> {},
  };
}
