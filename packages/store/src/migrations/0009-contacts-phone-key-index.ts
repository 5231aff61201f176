import type { Kysely } from 'kysely';

// Migrations see the schema as it was when they were written, not today's Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * One index instead of two for the keys a contact import writes in random order (docs/adr/0012-contacts-phone-key-index.md):
 * `contacts_phone_key` (phone, list_id, import_key), unique, serves the lookups by phone (its leading column) and is
 * the import's ON CONFLICT guard, replacing `contacts_phone` (phone) and the unique `contacts_import_key`
 * (list_id, import_key). The new index cannot fail on existing rows: two rows equal on all three columns would
 * already have been equal on (list_id, import_key), and a null import key never conflicts.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('contacts_phone_key').on('contacts').columns(['phone', 'list_id', 'import_key']).unique().execute();
  await db.schema.dropIndex('contacts_import_key').ifExists().execute();
  await db.schema.dropIndex('contacts_phone').ifExists().execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.createIndex('contacts_phone').ifNotExists().on('contacts').column('phone').execute();
  await db.schema.createIndex('contacts_import_key').ifNotExists().on('contacts').columns(['list_id', 'import_key']).unique().execute();
  await db.schema.dropIndex('contacts_phone_key').ifExists().execute();
}
