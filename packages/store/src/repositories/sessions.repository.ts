import { randomBytes } from 'node:crypto';
import type { Db } from '../database.ts';
import { toUser } from './users.repository.ts';
import type { User } from './users.repository.ts';

export interface Session {
  id: string;
  userId: string;
  /** Sent back by the browser in a header on every state-changing request. */
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

/** 256 random bits, URL-safe: unguessable session ids and CSRF tokens. */
function token(): string {
  return randomBytes(32).toString('base64url');
}

export class SessionsRepository {
  constructor(private readonly db: Db) {}

  async create(input: { userId: string; now: number; ttlMs: number }): Promise<Session> {
    const session: Session = {
      id: token(), userId: input.userId, csrfToken: token(), createdAt: input.now, expiresAt: input.now + input.ttlMs,
    };
    await this.db.insertInto('sessions').values({
      id: session.id, user_id: session.userId, csrf_token: session.csrfToken,
      created_at: session.createdAt, expires_at: session.expiresAt,
    }).execute();
    return session;
  }

  /** The session and its user, if the session exists, has not expired, and the user is not disabled. */
  async findValid(id: string, now: number): Promise<{ session: Session; user: User } | undefined> {
    const row = await this.db.selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id as session_id', 'sessions.csrf_token', 'sessions.created_at as session_created_at', 'sessions.expires_at',
        'users.id', 'users.username', 'users.display_name', 'users.role', 'users.locale', 'users.disabled', 'users.created_at',
      ])
      .where('sessions.id', '=', id)
      .where('sessions.expires_at', '>', now)
      .where('users.disabled', '=', 0)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      session: { id: row.session_id, userId: row.id, csrfToken: row.csrf_token, createdAt: row.session_created_at, expiresAt: row.expires_at },
      user: toUser(row),
    };
  }

  /** Sliding expiry: pushes the end of a session still in use. */
  async extend(id: string, expiresAt: number): Promise<boolean> {
    const result = await this.db.updateTable('sessions').set({ expires_at: expiresAt }).where('id', '=', id).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async deleteForUser(userId: string): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Deletes sessions that expired at or before `now`; returns how many. */
  async purgeExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
