import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, Driver, SqliteDialectConfig } from 'kysely';
import { registerSqliteHandle } from './sqlite-handle.ts';

/**
 * Transactions start with BEGIN IMMEDIATE: the write lock is taken at the start, so a transaction that reads then
 * writes waits for (busy_timeout) rather than fails on (SQLITE_BUSY_SNAPSHOT) a write another process (the CLI
 * importing into the same file) committed meanwhile. SQLite has one writer at a time anyway.
 */
class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateTransactionDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new ImmediateTransactionDriver(this.config);
  }
}

/** SQLite through better-sqlite3 12: WAL for concurrent readers, foreign keys on, a busy timeout for the CLI. */
export async function createSqliteDialect(path: string): Promise<SqliteDialect> {
  const memory = path === ':memory:' || path === '';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const database = new Sqlite(memory ? ':memory:' : path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // Remember which handle serves the connection, for repositories that reuse prepared statements (sqlite-handle.ts).
  const onCreateConnection = (connection: DatabaseConnection): Promise<void> => {
    registerSqliteHandle(connection, database);
    return Promise.resolve();
  };
  return new ImmediateTransactionDialect({ database, onCreateConnection });
}
