import { existsSync, statSync } from 'node:fs';
import { NationalRegistry as BulkNationalRegistry } from '@outdial/contacts/dnc/national-registry';
import type { NationalRegistry } from './contact-facts.ts';

/**
 * The national do-not-call registry as loaded by `outdial dnc load` (a binary bitset file per data directory),
 * reloaded when the file changes so that a registry update reaches a running dialer without a restart.
 */
export class BulkRegistryFile implements NationalRegistry {
  private registry: BulkNationalRegistry | null = null;
  private syncedByAreaCode = new Map<string, string>();
  private loadedMtime = 0;

  constructor(private readonly path: string) {}

  /** Loads the file if it is new or changed; returns whether a registry is loaded. */
  refresh(): boolean {
    if (!existsSync(this.path)) return this.registry !== null;
    const mtime = statSync(this.path).mtimeMs;
    if (mtime !== this.loadedMtime) {
      const registry = BulkNationalRegistry.load(this.path);
      this.syncedByAreaCode = new Map(registry.areaCodes().map((a) => [String(a.npa), a.syncedAt]));
      this.registry = registry;
      this.loadedMtime = mtime;
    }
    return true;
  }

  lookup(phone: string): { listed: boolean; syncedAt: string | null } {
    if (this.registry === null || !phone.startsWith('+1') || phone.length !== 12) return { listed: false, syncedAt: null };
    return { listed: this.registry.has(phone), syncedAt: this.syncedByAreaCode.get(phone.slice(2, 5)) || null };
  }
}
