import { PostgresAdapter } from 'kysely';
import type { CreateTableBuilder, Kysely } from 'kysely';

// Migrations see the schema as it was when they were written, not today's Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

function isPostgres(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An auto-incrementing integer key: the one place the two dialects' DDL differ. */
function withSerial<T extends string>(db: AnyDb, table: CreateTableBuilder<T>, column: string): CreateTableBuilder<T> {
  return isPostgres(db)
    ? table.addColumn(column, 'bigserial', (c) => c.primaryKey())
    : table.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('vendor', 'text')
    .addColumn('purchased_at', 'text')
    .addColumn('cost_cents', 'bigint')
    .addColumn('consent_basis', 'text')
    .addColumn('consent_method', 'text')
    .addColumn('default_country', 'text', (c) => c.notNull().defaultTo('US'))
    .addColumn('column_mapping_json', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('seller', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('dial_mode', 'text', (c) => c.notNull())
    .addColumn('pacing_policy', 'text', (c) => c.notNull())
    .addColumn('abandon_target', 'double precision', (c) => c.notNull())
    .addColumn('regime', 'text', (c) => c.notNull())
    .addColumn('caller_id', 'text', (c) => c.notNull())
    .addColumn('script_template', 'text', (c) => c.notNull())
    .addColumn('dispositions_json', 'text', (c) => c.notNull())
    .addColumn('retry_rules_json', 'text', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('calling_window_json', 'text')
    .addColumn('abandon_message_prompt_id', 'text')
    .addColumn('ring_timeout_seconds', 'integer', (c) => c.notNull())
    .addColumn('amd', 'integer', (c) => c.notNull())
    .addColumn('prerecorded', 'integer', (c) => c.notNull())
    .addColumn('training', 'integer', (c) => c.notNull())
    .addColumn('filter', 'text')
    .addColumn('owner_node', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('campaign_lists')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('list_id', 'text', (c) => c.notNull().references('lists.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('campaign_lists_pk', ['campaign_id', 'list_id'])
    .execute();

  await db.schema
    .createTable('campaign_agents')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('campaign_agents_pk', ['campaign_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('list_id', 'text', (c) => c.notNull().references('lists.id').onDelete('cascade'))
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('phones_json', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('email', 'text')
    .addColumn('address', 'text')
    .addColumn('city', 'text')
    .addColumn('region', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('country', 'text')
    .addColumn('timezones_json', 'text', (c) => c.notNull())
    .addColumn('jurisdictions_json', 'text', (c) => c.notNull())
    .addColumn('line_type', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('attributes_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_dial_at', 'bigint', (c) => c.notNull())
    .addColumn('last_outcome', 'text')
    .addColumn('last_attempt_at', 'bigint')
    .addColumn('claimed_by', 'text')
    .addColumn('claim_expires_at', 'bigint')
    .addColumn('dnc_flag', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('import_key', 'text')
    .addColumn('source_row', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_hopper').on('contacts').columns(['list_id', 'status', 'next_dial_at']).execute();
  await db.schema.createIndex('contacts_phone').on('contacts').column('phone').execute();
  await db.schema.createIndex('contacts_import_key').on('contacts').columns(['list_id', 'import_key']).unique().execute();

  await db.schema
    .createTable('attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('attempt_no', 'integer', (c) => c.notNull())
    .addColumn('node_id', 'text')
    .addColumn('dialed_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('connected_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('outcome', 'text')
    .addColumn('sip_code', 'integer')
    .addColumn('q850', 'integer')
    .addColumn('amd_verdict', 'text')
    .addColumn('amd_ms', 'integer')
    .addColumn('agent_id', 'text')
    .addColumn('abandoned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('abandon_message_played', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('decision_verdict', 'text', (c) => c.notNull())
    .addColumn('decision_json', 'text', (c) => c.notNull())
    .addColumn('training', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attempts_campaign_time').on('attempts').columns(['campaign_id', 'dialed_at']).execute();
  await db.schema.createIndex('attempts_contact').on('attempts').columns(['contact_id', 'dialed_at']).execute();
  await db.schema.createIndex('attempts_phone').on('attempts').columns(['phone', 'dialed_at']).execute();
  await db.schema.createIndex('attempts_open').on('attempts').columns(['ended_at', 'node_id']).execute();

  await db.schema
    .createTable('dispositions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text')
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('callback_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dispositions_attempt').on('dispositions').column('attempt_id').unique().execute();
  await db.schema.createIndex('dispositions_campaign').on('dispositions').columns(['campaign_id', 'created_at']).execute();

  await db.schema
    .createTable('callbacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('callbacks_due').on('callbacks').columns(['campaign_id', 'status', 'due_at']).execute();

  await db.schema
    .createTable('dnc_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addColumn('added_by', 'text')
    .addColumn('reason', 'text')
    .addColumn('removed_at', 'bigint')
    .addColumn('removed_by', 'text')
    .addColumn('removed_reason', 'text')
    .execute();
  await db.schema.createIndex('dnc_entries_phone').on('dnc_entries').columns(['phone', 'kind']).execute();

  await db.schema
    .createTable('dnc_syncs')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('synced_at', 'text', (c) => c.notNull())
    .addColumn('numbers', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('dnc_syncs_pk', ['kind', 'scope'])
    .execute();

  await db.schema
    .createTable('consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text')
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('seller', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('given_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('source', 'text')
    .execute();
  await db.schema.createIndex('consents_phone').on('consents').columns(['phone', 'seller']).execute();

  await withSerial(db, db.schema.createTable('audit_log'), 'id')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('detail_json', 'text')
    .execute();

  await withSerial(db, db.schema.createTable('events'), 'seq')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text')
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('list_id', 'text', (c) => c.notNull().references('lists.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('committed_row', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('summary_json', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of ['imports', 'events', 'audit_log', 'consents', 'dnc_syncs', 'dnc_entries', 'callbacks', 'dispositions',
    'attempts', 'contacts', 'campaign_agents', 'campaign_lists', 'campaigns', 'lists', 'sessions', 'users']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
