import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { migrate, openStore } from '@outdial/store/database';
import type { Db, DialectName } from '@outdial/store/database';
import type { NewCampaign } from '@outdial/store/repositories/campaigns.repository';
import { skipUnless } from './require.ts';

/**
 * One store test suite, every dialect: `forEachDialect('contacts', (getStore) => { it(...) })` runs the same tests
 * on SQLite in memory, SQLite in a temporary file, and PostgreSQL when reachable at OUTDIAL_TEST_PG (default
 * postgres://127.0.0.1:5432/test). On PostgreSQL every opened store is a fresh database created for it and dropped
 * when closed, so test files (and engineers) never see each other's rows.
 */

export type TestDialect = 'sqlite-memory' | 'sqlite-file' | 'postgres';
export const TEST_DIALECTS: readonly TestDialect[] = ['sqlite-memory', 'sqlite-file', 'postgres'];

export interface TestStore {
  db: Db;
  dialect: DialectName;
  kind: TestDialect;
  /** The URL this store was opened with: open it again for a second, independent connection (pool). */
  url: string;
  close(): Promise<void>;
}

export const postgresAdminUrl = withDefaultUser(process.env['OUTDIAL_TEST_PG'] ?? 'postgres://127.0.0.1:5432/test');

function withDefaultUser(url: string): string {
  const parsed = new URL(url);
  if (parsed.username === '') parsed.username = process.env['PGUSER'] ?? process.env['USER'] ?? userInfo().username;
  return parsed.toString();
}

async function probePostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let probed: Promise<boolean> | undefined;
/** Whether PostgreSQL answers at OUTDIAL_TEST_PG (probed once per test process, 1.5 s connect timeout). */
export function postgresReachable(): Promise<boolean> {
  probed ??= probePostgres();
  return probed;
}

/** Top-level probe so `describe.skipIf` can use it synchronously. */
export const postgresAvailable = await postgresReachable();

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

// Database names are generated here from [a-z0-9_] only, so interpolating them into DDL is safe.
function freshDatabaseName(): string {
  return `outdial_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
}

const STALE_AFTER_MS = 6 * 3600_000;
let staleDropped: Promise<void> | undefined;

/** Test databases left by a killed run (their names carry their creation time) are dropped after six hours. */
async function dropStaleDatabases(): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like 'outdial\\_t\\_%'");
    for (const { datname } of rows) {
      const created = parseInt(datname.split('_')[2] ?? '', 36);
      if (/^[a-z0-9_]+$/.test(datname) && Number.isFinite(created) && Date.now() - created > STALE_AFTER_MS) {
        await client.query(`drop database if exists ${datname} with (force)`).catch(() => undefined);
      }
    }
  } finally {
    await client.end();
  }
}

/** A new, empty database on the test server, migrated unless `migrated: false`. Dropped by `close()`. */
async function openPostgres(migrated: boolean): Promise<TestStore> {
  staleDropped ??= dropStaleDatabases().catch(() => undefined);
  await staleDropped;
  const name = freshDatabaseName();
  await adminQuery(`create database ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  const store = await openStore(url.toString());
  if (migrated) await migrate(store.db);
  return {
    db: store.db,
    dialect: 'postgres',
    kind: 'postgres',
    url: url.toString(),
    close: async () => {
      await store.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

async function openSqlite(kind: 'sqlite-memory' | 'sqlite-file', migrated: boolean): Promise<TestStore> {
  const dir = kind === 'sqlite-file' ? mkdtempSync(join(tmpdir(), 'outdial-store-')) : undefined;
  const url = dir === undefined ? 'sqlite::memory:' : `sqlite:${join(dir, 'outdial.db')}`;
  const store = await openStore(url);
  if (migrated) await migrate(store.db);
  return {
    db: store.db,
    dialect: 'sqlite',
    kind,
    url,
    close: async () => {
      await store.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens a fresh store of the given kind (migrated unless `{ migrated: false }`); the caller closes it. */
export async function openTestStore(kind: TestDialect, options: { migrated?: boolean } = {}): Promise<TestStore> {
  const migrated = options.migrated ?? true;
  if (kind === 'postgres') return openPostgres(migrated);
  return openSqlite(kind, migrated);
}

/**
 * Declares `body` once per dialect, each in its own describe block named `<name> [<dialect>]` with its own fresh,
 * migrated store (opened before the block's tests, closed after). PostgreSQL blocks skip with a message when the
 * server is unreachable, and fail under OUTDIAL_REQUIRE_ALL=1.
 */
export function forEachDialect(name: string, body: (getStore: () => TestStore) => void): void {
  for (const kind of TEST_DIALECTS) {
    const skip = kind === 'postgres' && skipUnless(postgresAvailable, `PostgreSQL at ${postgresAdminUrl}`);
    describe.skipIf(skip)(`${name} [${kind}]`, () => {
      let store: TestStore | undefined;
      beforeAll(async () => {
        store = await openTestStore(kind);
      });
      afterAll(async () => {
        await store?.close();
      });
      body(() => {
        if (store === undefined) throw new Error('the test store is not open yet (use getStore() inside a test)');
        return store;
      });
    });
  }
}

/** Campaign settings good enough for tests and seeding; override what the test is about. */
export function sampleCampaign(overrides: Partial<NewCampaign> & { name: string }): NewCampaign {
  return {
    purpose: 'telemarketing',
    seller: 'Acme Solar',
    subject: 'solar panels',
    dialMode: 'progressive',
    pacingPolicy: 'progressive',
    abandonTarget: 0.03,
    regime: 'us30d',
    callerId: '+12125550100',
    scriptTemplate: 'Hello {{firstName}}',
    dispositions: [
      { code: 'SALE', label: 'Sale', action: 'final', sale: true },
      { code: 'CB', label: 'Call back', action: 'callback' },
      { code: 'DNC', label: 'Do not call', action: 'dnc' },
      { code: 'NI', label: 'Not interested', action: 'retry', retryAfterMinutes: 1440 },
    ],
    retryRules: [{ outcome: 'no_answer', action: 'retry', delayMinutes: 60 }],
    maxAttempts: 3,
    callingWindow: null,
    abandonMessagePromptId: null,
    ringTimeoutSeconds: 25,
    amd: false,
    prerecorded: false,
    training: false,
    filter: null,
    listIds: [],
    now: 1_700_000_000_000,
    ...overrides,
  };
}

let uniqueCounter = 0;
/** A name no other test in this process uses (stores are shared by the tests of one describe block). */
export function uniqueName(prefix: string): string {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}-${Math.random().toString(36).slice(2, 8)}`;
}
