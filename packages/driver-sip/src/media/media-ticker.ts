import type { Clock } from '@outdial/core/clock';

/**
 * A 20 ms heartbeat for everything we originate (prompt frames, RTCP), scheduled against absolute times so timer
 * lateness does not accumulate into drift; a late tick catches up instead of slipping.
 */
export class MediaTicker {
  private cancel: (() => void) | undefined;
  private next = 0;

  constructor(
    private readonly clock: Clock,
    private readonly periodMs: number,
    private readonly onTick: (now: number) => void,
  ) {}

  start(): void {
    if (this.cancel) return;
    this.next = this.clock.now() + this.periodMs;
    this.schedule();
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  private schedule(): void {
    this.cancel = this.clock.setTimer(Math.max(0, this.next - this.clock.now()), () => {
      const now = this.clock.now();
      // Catch up at most a few frames after a stall; beyond that, skip ahead.
      let ticks = 0;
      while (this.next <= now && ticks < 5) {
        this.onTick(now);
        this.next += this.periodMs;
        ticks++;
      }
      if (this.next <= now) this.next = now + this.periodMs;
      if (this.cancel) this.schedule();
    });
  }
}
