import type { Kysely } from 'kysely';

// Migrations see the schema as it was when they were written, not today's Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * contacts_hopper (list_id, status, next_dial_at) tempted SQLite's planner, without ANALYZE statistics, into a
 * range scan plus a sort of every due contact for each claim; contacts_claim (0002) serves the claim and the counts.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('contacts_hopper').ifExists().execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.createIndex('contacts_hopper').ifNotExists().on('contacts').columns(['list_id', 'status', 'next_dial_at']).execute();
}
