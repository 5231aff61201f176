import type Sqlite from 'better-sqlite3';
import type { DatabaseConnection } from 'kysely';
import type { Db } from '../database.ts';

/** The better-sqlite3 handle behind each Kysely connection that createSqliteDialect opened. */
const handles = new WeakMap<DatabaseConnection, Sqlite.Database>();

export function registerSqliteHandle(connection: DatabaseConnection, database: Sqlite.Database): void {
  handles.set(connection, database);
}

/**
 * Runs `work` with the raw better-sqlite3 handle of a SQLite store (or of a transaction on one), on the connection
 * the Db holds, so statements run inside the caller's transaction. For hot paths that need a statement prepared once
 * and reused (bulk import); SQL still stays in the store package. Answers undefined for any other store.
 */
export async function withSqliteHandle<T>(db: Db, work: (database: Sqlite.Database) => T): Promise<{ value: T } | undefined> {
  return db.getExecutor().provideConnection((connection) => {
    const database = handles.get(connection);
    return Promise.resolve(database === undefined ? undefined : { value: work(database) });
  });
}
