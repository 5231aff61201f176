import { PostgresAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

// Migrations see the schema as it was when they were written, not today's Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * On PostgreSQL several dialer nodes share the events table; a statement-level trigger wakes every node's
 * listener (LISTEN outdial_events) when any node appends, so each can push the others' events live. The
 * notification is sent at commit, so a woken reader always finds the rows. SQLite serves one node: nothing to do.
 */
export async function up(db: AnyDb): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`create or replace function outdial_events_notify() returns trigger language plpgsql as $$
    begin perform pg_notify('outdial_events', ''); return null; end $$`.execute(db);
  await sql`create trigger events_notify after insert on events
    for each statement execute function outdial_events_notify()`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`drop trigger if exists events_notify on events`.execute(db);
  await sql`drop function if exists outdial_events_notify()`.execute(db);
}
