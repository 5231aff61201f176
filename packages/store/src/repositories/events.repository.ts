import type { Db } from '../database.ts';
import { fromJson, toJson } from '../json-column.ts';

/** A persisted stream event: `seq` orders the stream and lets a client resume after a reconnect. */
export interface StoredEvent {
  seq: number;
  at: number;
  type: string;
  campaignId: string | null;
  payload: Record<string, unknown>;
}

export class EventsRepository {
  constructor(private readonly db: Db) {}

  /** Appends the event and returns its sequence number (increasing; gaps possible after a rollback). */
  async append(event: Omit<StoredEvent, 'seq'>): Promise<number> {
    const row = await this.db.insertInto('events').values({
      at: event.at, type: event.type, campaign_id: event.campaignId, payload_json: toJson(event.payload),
    }).returning('seq').executeTakeFirstOrThrow();
    return Number(row.seq);
  }

  /** Events with seq > `seq`, oldest first, at most `limit` (optionally of one campaign). */
  async since(seq: number, limit: number, campaignId?: string): Promise<StoredEvent[]> {
    let query = this.db.selectFrom('events').selectAll().where('seq', '>', seq);
    if (campaignId !== undefined) query = query.where('campaign_id', '=', campaignId);
    const rows = await query.orderBy('seq').limit(limit).execute();
    return rows.map((row) => ({
      seq: Number(row.seq), at: row.at, type: row.type, campaignId: row.campaign_id,
      payload: fromJson<Record<string, unknown>>(row.payload_json, {}),
    }));
  }

  /** The highest seq stored, 0 when empty (where a new subscriber starts). */
  async lastSeq(): Promise<number> {
    const row = await this.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    return row?.seq == null ? 0 : Number(row.seq);
  }

  /** Deletes events older than `before` (epoch ms); returns how many. Resumes from before that point restart. */
  async pruneOlderThan(before: number): Promise<number> {
    const result = await this.db.deleteFrom('events').where('at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
