import pg from 'pg';
import { PostgresDialect } from 'kysely';
import { withDefaultUser } from './connection-url.ts';

// int8 (bigint, bigserial, count(*)) as a JavaScript number: every value we store (epoch ms, counters) is far
// below 2^53, and the SQLite side returns numbers too.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v: string) => Number(v));

export async function createPostgresDialect(url: string): Promise<{ dialect: PostgresDialect; end: () => Promise<void> }> {
  const pool = new pg.Pool({ connectionString: withDefaultUser(url), max: 10 });
  // An idle pooled connection the server drops (restart, failover, admin termination) emits 'error' on the pool;
  // unheard, it would crash the process. The pool discards that client and the next query opens a new one.
  pool.on('error', (error: Error) => {
    console.error(`store: idle PostgreSQL connection lost: ${error.message}`);
  });
  // Kysely's destroy ends the pool.
  return { dialect: new PostgresDialect({ pool }), end: () => Promise.resolve() };
}
