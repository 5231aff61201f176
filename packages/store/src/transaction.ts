import { PostgresAdapter, sql } from 'kysely';
import type { Db, DialectName } from './database.ts';

/**
 * Transactions for routes and repositories. Every repository takes a `Db`, and a Kysely `Transaction<Database>` is
 * one, so a route can run several repository writes atomically:
 *
 *   await inTransaction(store.db, async (trx) => {
 *     await new DispositionsRepository(trx).insert(...);
 *     await new ContactsRepository(trx).updateAfterAttempt(...);
 *   });
 */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}

/**
 * Runs `work` so that it either fully happens or leaves no trace, also when the caller already holds a
 * transaction: then a savepoint scopes it, so a failed statement (a constraint violation turned into a typed result)
 * neither half-writes nor poisons the caller's PostgreSQL transaction.
 */
export async function atomically<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (!db.isTransaction) return db.transaction().execute(work);
  return withSavepoint(db, work);
}

/**
 * For one statement that may fail on a constraint: outside a transaction the statement is atomic by itself; inside
 * one, a savepoint keeps the failure from aborting the caller's PostgreSQL transaction.
 */
export function guarded<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? withSavepoint(db, work) : work(db);
}

async function withSavepoint<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  await sql`savepoint outdial_atomic`.execute(db);
  try {
    const result = await work(db);
    await sql`release savepoint outdial_atomic`.execute(db);
    return result;
  } catch (error) {
    await sql`rollback to savepoint outdial_atomic`.execute(db);
    await sql`release savepoint outdial_atomic`.execute(db);
    throw error;
  }
}

/** Which dialect a Db (or transaction) speaks; repositories branch on it only for dialect-specific methods. */
export function dialectOf(db: Db): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
