import type { Kysely } from 'kysely';

// Migrations see the schema as it was when they were written, not today's Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * A recorded call's file and length, stored with its attempt when the driver reports the recording saved (the
 * `recording` driver event). Both stay null for calls that were not recorded.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('attempts').addColumn('recording_path', 'text').execute();
  await db.schema.alterTable('attempts').addColumn('recording_ms', 'integer').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('attempts').dropColumn('recording_ms').execute();
  await db.schema.alterTable('attempts').dropColumn('recording_path').execute();
}
