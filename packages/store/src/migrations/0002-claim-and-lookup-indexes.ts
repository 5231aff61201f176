import type { Kysely } from 'kysely';

// Migrations see the schema as it was when they were written, not today's Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Indexes for the queries the repositories run most: the hopper claim reads each (list, status) in hopper order
 * (priority desc, next_dial_at, id) without sorting; the others serve per-user, per-contact and time-window lookups.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('contacts_claim').on('contacts')
    .columns(['list_id', 'status', 'priority desc', 'next_dial_at', 'id']).execute();
  await db.schema.createIndex('contacts_claimed_by').on('contacts').column('claimed_by').execute();
  await db.schema.createIndex('attempts_campaign_answered').on('attempts').columns(['campaign_id', 'answered_at']).execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
  await db.schema.createIndex('dispositions_contact').on('dispositions').columns(['contact_id', 'created_at']).execute();
  await db.schema.createIndex('callbacks_contact').on('callbacks').columns(['contact_id', 'status']).execute();
  await db.schema.createIndex('events_at').on('events').column('at').execute();
  await db.schema.createIndex('audit_log_user').on('audit_log').columns(['user_id', 'id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const name of ['contacts_claim', 'contacts_claimed_by', 'attempts_campaign_answered', 'sessions_user', 'sessions_expires',
    'dispositions_contact', 'callbacks_contact', 'events_at', 'audit_log_user']) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
}
