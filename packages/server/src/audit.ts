import { AuditRepository } from '@outdial/store/repositories/audit.repository';
import type { RouteDeps } from './deps.ts';

/** Records who did what: every state-changing user action goes through here. */
export class AuditRecorder {
  private readonly repo: AuditRepository;

  constructor(private readonly deps: Pick<RouteDeps, 'store' | 'clock'>) {
    this.repo = new AuditRepository(deps.store.db);
  }

  async record(userId: string | undefined | null, action: string, target: string | null, detail?: Record<string, unknown>): Promise<void> {
    await this.repo.append({ at: this.deps.clock.now(), userId: userId ?? null, action, target, detail: detail ?? null });
  }
}
