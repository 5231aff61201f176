import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { AuditLogTable } from '../schema.ts';
import { fromNullableJson, toJson } from '../json-column.ts';

/** One user action: who did what to which target, with details. Append-only. */
export interface AuditEntry {
  id: number;
  at: number;
  userId: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditFilter {
  userId?: string;
  action?: string;
  target?: string;
  since?: number;
  /** id < before: the next page of a newest-first listing. */
  before?: number;
  limit?: number;
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id, at: row.at, userId: row.user_id, action: row.action, target: row.target,
    detail: fromNullableJson<Record<string, unknown> | null>(row.detail_json, null),
  };
}

export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** Appends the entry and returns its id (increasing). */
  async append(entry: Omit<AuditEntry, 'id'>): Promise<number> {
    const row = await this.db.insertInto('audit_log').values({
      at: entry.at, user_id: entry.userId, action: entry.action, target: entry.target,
      detail_json: entry.detail === null ? null : toJson(entry.detail),
    }).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /** Entries newest first (default 100). */
  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    let query = this.db.selectFrom('audit_log').selectAll();
    if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.target !== undefined) query = query.where('target', '=', filter.target);
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    if (filter.before !== undefined) query = query.where('id', '<', filter.before);
    const rows = await query.orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
    return rows.map(toEntry);
  }
}
