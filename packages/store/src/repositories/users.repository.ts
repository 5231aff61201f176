import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { UsersTable } from '../schema.ts';
import { constraintKind } from '../constraint-error.ts';
import { fromFlag, toFlag } from '../json-column.ts';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from '../password-hash.ts';
import type { ScryptCost } from '../password-hash.ts';
import { fail, ok } from '../store-result.ts';
import type { StoreResult } from '../store-result.ts';
import { guarded } from '../transaction.ts';

export type Role = UsersTable['role'];
export const ROLES: readonly Role[] = ['admin', 'supervisor', 'agent'];

/** A user as the rest of the system sees it: never with the password hash. */
export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  locale: string;
  disabled: boolean;
  createdAt: number;
}

export interface NewUser {
  id?: string;
  username: string;
  displayName: string;
  role: Role;
  password: string;
  locale?: string;
  now: number;
}

export type SignInResult = StoreResult<User, 'invalid_credentials' | 'disabled'>;

export function toUser(row: Omit<Selectable<UsersTable>, 'password_hash'>): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    locale: row.locale,
    disabled: fromFlag(row.disabled),
    createdAt: row.created_at,
  };
}

const USER_COLUMNS = ['id', 'username', 'display_name', 'role', 'locale', 'disabled', 'created_at'] as const;

export class UsersRepository {
  private dummyHash: Promise<string> | undefined;

  /** `scrypt` sets the cost of new hashes (tests lower it); existing hashes carry their own. */
  constructor(private readonly db: Db, private readonly scrypt: Partial<ScryptCost> = {}) {}

  private get cost(): ScryptCost {
    return { ...DEFAULT_SCRYPT, ...this.scrypt };
  }

  async create(input: NewUser): Promise<StoreResult<User, 'duplicate_username' | 'invalid_role'>> {
    if (!ROLES.includes(input.role)) return fail('invalid_role', `role must be one of ${ROLES.join(', ')}`);
    const row: Selectable<UsersTable> = {
      id: input.id ?? randomUUID(),
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      password_hash: await hashPassword(input.password, this.cost),
      locale: input.locale ?? 'en',
      disabled: 0,
      created_at: input.now,
    };
    try {
      await guarded(this.db, (db) => db.insertInto('users').values(row).execute());
    } catch (error) {
      if (constraintKind(error) === 'unique') return fail('duplicate_username', `the username "${input.username}" is taken`);
      throw error;
    }
    return ok(toUser(row));
  }

  /**
   * Sign-in check. An unknown username costs a hash too, so timing does not tell which usernames exist; a
   * disabled user is told apart only after the password matched.
   */
  async verifyPassword(username: string, password: string): Promise<SignInResult> {
    const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    if (!row) {
      this.dummyHash ??= hashPassword('outdial-dummy', this.cost);
      await verifyPassword(password, await this.dummyHash);
      return fail('invalid_credentials', 'unknown username or wrong password');
    }
    if (!(await verifyPassword(password, row.password_hash))) return fail('invalid_credentials', 'unknown username or wrong password');
    if (row.disabled !== 0) return fail('disabled', `the user "${username}" is disabled`);
    return ok(toUser(row));
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async findByUsername(username: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').select(USER_COLUMNS).where('username', '=', username).executeTakeFirst();
    return row && toUser(row);
  }

  async list(filter: { role?: Role; includeDisabled?: boolean } = {}): Promise<User[]> {
    let query = this.db.selectFrom('users').select(USER_COLUMNS);
    if (filter.role !== undefined) query = query.where('role', '=', filter.role);
    if (filter.includeDisabled === false) query = query.where('disabled', '=', 0);
    const rows = await query.orderBy('username').execute();
    return rows.map(toUser);
  }

  async setRole(id: string, role: Role): Promise<StoreResult<User, 'not_found' | 'invalid_role'>> {
    if (!ROLES.includes(role)) return fail('invalid_role', `role must be one of ${ROLES.join(', ')}`);
    await this.db.updateTable('users').set({ role }).where('id', '=', id).execute();
    return this.found(id);
  }

  /** Disabling also ends the user's sessions. */
  async setDisabled(id: string, disabled: boolean): Promise<StoreResult<User, 'not_found'>> {
    await this.db.updateTable('users').set({ disabled: toFlag(disabled) }).where('id', '=', id).execute();
    if (disabled) await this.db.deleteFrom('sessions').where('user_id', '=', id).execute();
    return this.found(id);
  }

  async setDisplayName(id: string, displayName: string, locale?: string): Promise<StoreResult<User, 'not_found'>> {
    await this.db.updateTable('users').set(locale === undefined ? { display_name: displayName } : { display_name: displayName, locale })
      .where('id', '=', id).execute();
    return this.found(id);
  }

  async setPassword(id: string, password: string): Promise<StoreResult<User, 'not_found'>> {
    const hash = await hashPassword(password, this.cost);
    await this.db.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
    return this.found(id);
  }

  private async found(id: string): Promise<StoreResult<User, 'not_found'>> {
    const user = await this.findById(id);
    return user ? ok(user) : fail('not_found', `no user ${id}`);
  }
}
