import { Kysely, Migrator } from 'kysely';
import type { Migration, MigrationProvider , PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';
import * as m0001 from './migrations/0001-initial.ts';
import * as m0002 from './migrations/0002-claim-and-lookup-indexes.ts';
import * as m0003 from './migrations/0003-drop-contacts-hopper-index.ts';
import * as m0007 from './migrations/0007-events-notify-trigger.ts';
import * as m0008 from './migrations/0008-attempt-recordings.ts';
import * as m0009 from './migrations/0009-contacts-phone-key-index.ts';

export type Db = Kysely<Database>;
export type DialectName = 'sqlite' | 'postgres';

export interface OpenedStore {
  db: Db;
  dialect: DialectName;
  close(): Promise<void>;
}

/**
 * Every migration, run in name order. To add one: a file migrations/NNNN-what.ts, one import above, one line
 * here. Never edit a migration once committed: add the next one.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-claim-and-lookup-indexes': m0002,
  '0003-drop-contacts-hopper-index': m0003,
  '0007-events-notify-trigger': m0007,
  '0008-attempt-recordings': m0008,
  '0009-contacts-phone-key-index': m0009,
};

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};

/**
 * Opens the store named by a URL: `sqlite:PATH`, `sqlite::memory:` or `postgres://...`.
 * Vendor drivers are loaded here only, so nothing outside the store depends on them.
 */
export async function openStore(url: string): Promise<OpenedStore> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { createPostgresDialect } = await import('./postgres/postgres-dialect.ts');
    const { dialect, end } = await createPostgresDialect(url);
    const db = new Kysely<Database>({ dialect: dialect as PostgresDialect });
    return { db, dialect: 'postgres', close: async () => { await db.destroy(); await end(); } };
  }
  if (url.startsWith('sqlite:')) {
    const { createSqliteDialect } = await import('./sqlite/sqlite-dialect.ts');
    const dialect: SqliteDialect = await createSqliteDialect(url.slice('sqlite:'.length));
    const db = new Kysely<Database>({ dialect });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  throw new Error(`unsupported store URL "${url}": expected sqlite:PATH or postgres://...`);
}

/** Brings the schema up to date; returns the names of the migrations applied now. */
export async function migrate(db: Db): Promise<string[]> {
  // Several engineers add migrations at once: a database that ran 0004-b before 0003-a arrived still accepts 0003-a.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
