import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CampaignSettings } from '@outdial/core/campaign/types';
import { createPacingPolicy } from '@outdial/core/pacing/policy-registry';
import type { PacingPolicy } from '@outdial/core/pacing/policy';
import type { ComplianceGate } from '@outdial/core/compliance/types';
import { migrate, openStore } from '@outdial/store/database';
import type { OpenedStore } from '@outdial/store/database';
import { UsersRepository } from '@outdial/store/repositories/users.repository';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import type { ServerConfig } from './config.ts';
import { startEventBus } from './events/create-event-bus.ts';
import { EngineHost } from './runtime/engine-host.ts';
import { StoreContactFacts, SyncDateRegistry } from './runtime/contact-facts.ts';
import { BulkRegistryFile } from './runtime/bulk-registry.ts';
import { dataDirFor, nationalRegistryPath } from '@outdial/contacts/dnc/data-dir';
import { createTelephony } from './runtime/telephony.ts';
import { seedDemo } from './demo/demo-seed.ts';
import { startDemoAgents } from './demo/demo-agents.ts';

export interface RunningServer {
  app: FastifyInstance;
  config: ServerConfig;
  url: string;
  host: EngineHost;
  store: OpenedStore;
  close(): Promise<void>;
}

export interface Logger {
  info(msg: string): void;
  error(msg: string, error?: unknown): void;
}

/**
 * Starts Outdial: validated config, migrated store, reconciliation of what a previous run left open, the dialer with
 * its telephony driver, the HTTP/WebSocket server, and in demo mode the demo data and simulated agents.
 */
/** Parts a test may replace; production uses the defaults. */
export interface ServerOverrides {
  gate?: ComplianceGate;
}

export async function startServer(input: Record<string, unknown>, log: Logger, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const config = loadConfig(input);
  const store = await openStore(config.db);
  const closers: Array<() => Promise<void>> = [() => store.close()];
  try {
    await migrate(store.db);
    const usernames = new Map((await new UsersRepository(store.db).list({ includeDisabled: true })).map((u) => [u.id, u.username]));
    const telephony = await createTelephony(config, (userId) => usernames.get(userId) ?? userId);
    const clock = telephony.clock;
    if (config.demo) {
      await seedDemo(store.db, clock.now());
      for (const u of await new UsersRepository(store.db).list()) usernames.set(u.id, u.username);
    }
    const bulk = new BulkRegistryFile(nationalRegistryPath(config.dataDir || dataDirFor(config.db, process.env)));
    bulk.refresh();
    const registry = new SyncDateRegistry(store.db, bulk);
    await registry.reload();
    const registryTimer = setInterval(() => {
      const failed = (error: unknown) => log.error('reloading the national do-not-call registry failed', error);
      try {
        bulk.refresh();
        registry.reload().catch(failed);
      } catch (error) {
        failed(error);
      }
    }, 60_000);
    registryTimer.unref();
    closers.unshift(() => Promise.resolve(clearInterval(registryTimer)));
    const events = await startEventBus(store, config.db, () => clock.now(), (message, error) => log.error(message, error));
    closers.unshift(() => events.stop());
    const bus = events.bus;
    const policyFor = (campaign: CampaignSettings): PacingPolicy => {
      const made = createPacingPolicy(campaign.pacingPolicy, { regime: campaign.regime, abandonTarget: campaign.abandonTarget, graceMs: 2000, hoursPerDay: 8 });
      if (made.ok) return made.policy;
      log.error(`campaign ${campaign.name}: pacing policy "${campaign.pacingPolicy}" is not valid (${made.error}); using progressive`);
      const fallback = createPacingPolicy('progressive');
      if (!fallback.ok) throw new Error(fallback.error);
      return fallback.policy;
    };
    const host = await EngineHost.start({
      db: store.db,
      dialect: store.dialect,
      nodeId: config.nodeId,
      clock,
      driver: telephony.driver,
      ...(telephony.trainingDriver ? { trainingDriver: telephony.trainingDriver } : {}),
      gate: overrides.gate ?? (await import('@outdial/core/compliance/gate')).createComplianceGate(),
      bus,
      policyFor,
      lists: new StoreContactFacts(store.db, registry),
      leaseMs: config.leaseMs,
      agentLegTarget: telephony.agentLegTarget,
      log: { error: (obj, msg) => log.error(msg ?? 'dialer error', obj), info: (obj, msg) => log.info(`${msg ?? ''} ${JSON.stringify(obj)}`) },
    });
    closers.unshift(() => host.stop());
    if (config.demo) {
      const agents = await startDemoAgents(store.db, host, telephony);
      closers.unshift(() => agents.stop());
    }
    const app = await buildApp({ store, config, clock, events: bus, runtime: host }, { logger: config.logLevel !== 'silent' });
    closers.unshift(() => app.close());
    const address = await app.listen({ port: config.port, host: config.host });
    const url = config.host === '0.0.0.0' || config.host === '::' ? `http://localhost:${new URL(address).port}` : address;
    return {
      app, config, url, host, store,
      async close() {
        for (const close of closers) await close().catch((error: unknown) => log.error('shutdown step failed', error));
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}

/** The built web app shipped in the repository. */
export const DEFAULT_WEB_ROOT = resolve(import.meta.dirname, '..', '..', 'web', 'dist');
