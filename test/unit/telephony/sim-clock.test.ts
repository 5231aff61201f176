import { describe, expect, it } from 'vitest';
import { seededRandom } from '@outdial/core/random/seeded-random';
import { VirtualClock } from '@outdial/core/virtual-clock';
import { SimClock, type SimTask } from '@outdial/telephony/sim/sim-clock';

/** A task that records when it ran and may reschedule itself, as the sim's calls do. */
class Step implements SimTask {
  at = 0;
  seq = 0;
  heapIndex = -1;
  constructor(
    readonly name: string,
    readonly log: string[],
    readonly clock: SimClock,
  ) {}
  run(): void {
    this.log.push(`${this.name}@${this.clock.now()}`);
  }
}

describe('SimClock', () => {
  it('fires setTimer callbacks in the same order and at the same times as VirtualClock, with cancels and nesting', () => {
    const logs: string[][] = [];
    for (const clock of [new VirtualClock(1000), new SimClock(1000)]) {
      const rng = seededRandom(7);
      const log: string[] = [];
      const cancels: Array<() => void> = [];
      let id = 0;
      const spawn = (depth: number): void => {
        const name = `t${id++}`;
        const ms = Math.floor(rng.next() * 50) * (rng.next() < 0.3 ? 0 : 1) + rng.next();
        cancels.push(
          clock.setTimer(ms, () => {
            log.push(`${name}@${clock.now()}`);
            if (depth < 3 && rng.next() < 0.6) spawn(depth + 1);
            if (rng.next() < 0.2) cancels[Math.floor(rng.next() * cancels.length)]?.();
          }),
        );
      };
      for (let i = 0; i < 300; i++) spawn(0);
      for (let i = 0; i < 40; i++) cancels[Math.floor(rng.next() * cancels.length)]?.();
      clock.advanceTo(1020);
      clock.runUntilIdle();
      logs.push(log);
    }
    expect(logs[0]?.length).toBeGreaterThan(300);
    expect(logs[1]).toEqual(logs[0]);
  });

  it('moves a scheduled task instead of running it twice, and cancels it', () => {
    const clock = new SimClock(0);
    const log: string[] = [];
    const a = new Step('a', log, clock);
    const b = new Step('b', log, clock);
    clock.schedule(a, 10);
    clock.schedule(b, 5);
    clock.schedule(a, 3);
    expect(clock.pending()).toBe(2);
    clock.advanceTo(4);
    clock.schedule(b, 0);
    clock.cancel(a);
    clock.advanceTo(100);
    expect(log).toEqual(['a@3', 'b@4']);
    expect(clock.pending()).toBe(0);
    expect(clock.now()).toBe(100);
  });

  it('runs tasks due at the same instant in the order they were scheduled', () => {
    const clock = new SimClock(0);
    const log: string[] = [];
    const tasks = Array.from({ length: 2000 }, (_, i) => new Step(`s${i}`, log, clock));
    for (const t of tasks) clock.schedule(t, (Number(t.name.slice(1)) * 7919) % 13);
    clock.runUntilIdle();
    const expected = [...tasks]
      .sort((x, y) => ((Number(x.name.slice(1)) * 7919) % 13) - ((Number(y.name.slice(1)) * 7919) % 13) || Number(x.name.slice(1)) - Number(y.name.slice(1)))
      .map((t) => `${t.name}@${(Number(t.name.slice(1)) * 7919) % 13}`);
    expect(log).toEqual(expected);
  });
});
