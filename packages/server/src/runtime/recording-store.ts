import type { TelephonyDriver } from '@outdial/core/telephony/driver';
import type { Db } from '@outdial/store/database';
import { AttemptsRepository } from '@outdial/store/repositories/attempts.repository';

/**
 * Stores each recording the driver reports saved (`recording` event) with its attempt: the engine dials with the
 * attempt id as the call id. The write waits until the sink has stored every engine event emitted before it, so the
 * attempt row exists. A driver that does not record sends no such events.
 */
export class RecordingStore {
  private readonly attempts: AttemptsRepository;
  private readonly pending = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;

  constructor(
    driver: TelephonyDriver,
    db: Db,
    private readonly stored: () => Promise<void>,
    private readonly onError: (error: unknown, attemptId: string) => void,
  ) {
    this.attempts = new AttemptsRepository(db);
    this.unsubscribe = driver.onEvent((event) => {
      if (event.type !== 'recording') return;
      const write = this.stored()
        .catch(() => undefined) // an earlier event's failure is reported where it happened; this write still runs
        .then(() => this.attempts.setRecording(event.callId, event.path, event.durationMs))
        .then(
          (found) => {
            if (!found) this.onError(new Error('no such attempt'), event.callId);
          },
          (error: unknown) => this.onError(error, event.callId),
        )
        .finally(() => this.pending.delete(write));
      this.pending.add(write);
    });
  }

  /** Resolves once every recording reported so far is stored (or failed); for a clean stop. */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  stop(): void {
    this.unsubscribe();
  }
}
