import { describe, expect, it } from 'vitest';
import { VirtualClock } from '@outdial/core/virtual-clock';

describe('VirtualClock', () => {
  it('fires timers in time order, ties in creation order', () => {
    const clock = new VirtualClock(1000);
    const fired: string[] = [];
    clock.setTimer(50, () => fired.push('b'));
    clock.setTimer(10, () => fired.push('a'));
    clock.setTimer(50, () => fired.push('c'));
    clock.advanceTo(1049);
    expect(fired).toEqual(['a']);
    clock.advanceBy(1);
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(1050);
  });

  it('does not fire a cancelled timer, and timers set while firing run at their own time', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    const cancel = clock.setTimer(5, () => fired.push(5));
    clock.setTimer(1, () => clock.setTimer(1, () => fired.push(clock.now())));
    cancel();
    clock.runUntilIdle();
    expect(fired).toEqual([2]);
    expect(clock.pending()).toBe(0);
  });
});
