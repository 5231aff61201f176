import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { AttemptsTable, ContactsTable } from '../schema.ts';

/** Pages of contacts and attempts for CSV export, in id order (keyset pagination: constant memory). */
export class ContactExportRepository {
  constructor(private readonly db: Db) {}

  async *contacts(listId: string, pageSize = 5000): AsyncGenerator<Selectable<ContactsTable>[]> {
    let after = '';
    while (true) {
      const rows = await this.db.selectFrom('contacts').selectAll().where('list_id', '=', listId).where('id', '>', after)
        .orderBy('id').limit(pageSize).execute();
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]?.id ?? after;
      if (rows.length < pageSize) return;
    }
  }

  async *attempts(campaignId: string, pageSize = 5000): AsyncGenerator<Selectable<AttemptsTable>[]> {
    let after = '';
    while (true) {
      const rows = await this.db.selectFrom('attempts').selectAll().where('campaign_id', '=', campaignId).where('id', '>', after)
        .orderBy('id').limit(pageSize).execute();
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]?.id ?? after;
      if (rows.length < pageSize) return;
    }
  }
}
