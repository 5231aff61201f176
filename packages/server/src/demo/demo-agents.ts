import { seededRandom } from '@outdial/core/random/seeded-random';
import type { Db } from '@outdial/store/database';
import { UsersRepository } from '@outdial/store/repositories/users.repository';
import type { EngineHost } from '../runtime/engine-host.ts';
import type { Telephony } from '../runtime/telephony.ts';
import { SIMULATED_AGENTS } from './demo-seed.ts';

/** How often each disposition is chosen by a simulated agent (the demo campaign's codes). */
const CHOICES: ReadonlyArray<{ code: string; weight: number }> = [
  { code: 'sale', weight: 0.18 },
  { code: 'not_interested', weight: 0.62 },
  { code: 'callback', weight: 0.12 },
  { code: 'dnc', weight: 0.08 },
];
const CALLBACK_DELAY_MS = 2 * 3_600_000;

/**
 * The demo's simulated agents: they go Ready, take the calls the dialer routes to them, wrap up for a time drawn
 * from the simulated carrier's scenario and choose a disposition, through the same commands a person's desktop uses.
 */
export async function startDemoAgents(db: Db, host: EngineHost, telephony: Telephony): Promise<{ stop(): Promise<void> }> {
  const users = new UsersRepository(db);
  const random = seededRandom(20261127);
  const ids = new Map<string, string>();
  for (const name of SIMULATED_AGENTS) {
    const user = await users.findByUsername(name);
    if (user) ids.set(user.id, name);
  }
  const pending = new Set<() => void>();
  let stopped = false;
  const later = (ms: number, fn: () => void): void => {
    const cancel = telephony.clock.setTimer(ms, () => {
      pending.delete(cancel);
      if (!stopped) fn();
    });
    pending.add(cancel);
  };
  const wrapMs = (): number => {
    const drawn = (telephony.scenario?.wrap.sample(random) ?? 10) * 1000;
    return Math.min(30_000, Math.max(200, drawn));
  };
  const pickCode = (): string => {
    let r = random.next();
    for (const c of CHOICES) {
      r -= c.weight;
      if (r < 0) return c.code;
    }
    return 'not_interested';
  };

  host.sink.tap((event) => {
    if (event.type !== 'agent.state' || !ids.has(event.agentId) || event.to !== 'wrap_up') return;
    const agentId = event.agentId;
    later(wrapMs(), () => {
      const code = pickCode();
      void host.agentCommand(agentId, {
        type: 'disposition', code,
        ...(code === 'callback' ? { callbackAt: telephony.clock.now() + CALLBACK_DELAY_MS, callbackScope: 'campaign' as const } : {}),
      });
    });
  });

  for (const agentId of ids.keys()) {
    const result = await host.agentCommand(agentId, { type: 'ready' });
    if (!result.ok) throw new Error(`demo agent ${ids.get(agentId) ?? agentId} could not go ready: ${result.message}`);
  }
  return {
    async stop() {
      stopped = true;
      for (const cancel of pending) cancel();
      pending.clear();
    },
  };
}
