import { VirtualClock } from '@outdial/core/virtual-clock';
import type { FarEndBehaviour } from '../conformance/far-end.ts';
import type { ConformanceHarness } from '../conformance/harness.ts';
import { quietScenario } from './quiet-scenario.ts';
import { SimDriver } from './sim-driver.ts';

/** The sim driver in virtual time, its far end scripted per number: the reference harness of the suite. */
export async function makeSimHarness(): Promise<ConformanceHarness> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 5, 15));
  const driver = new SimDriver({ clock, scenario: quietScenario('conformance'), seed: 7, bridgeLatencyMs: 20 });
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
