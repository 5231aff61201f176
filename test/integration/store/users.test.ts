import { expect, it } from 'vitest';
import { SessionsRepository } from '@outdial/store/repositories/sessions.repository';
import { UsersRepository } from '@outdial/store/repositories/users.repository';
import { hashPassword, verifyPassword } from '@outdial/store/password-hash';
import { forEachDialect, uniqueName } from '../../support/store-fixtures.ts';

const NOW = 1_700_000_000_000;
// Low scrypt cost keeps the suite fast; the format and the check are the same.
const FAST = { cost: 1024 };

forEachDialect('users and sessions repositories', (getStore) => {
  it('creates a user with an scrypt hash and verifies the password', async () => {
    const users = new UsersRepository(getStore().db, FAST);
    const username = uniqueName('sup');
    const created = await users.create({ username, displayName: 'Sue', role: 'supervisor', password: 'correct horse', now: NOW });
    if (!created.ok) throw new Error(created.message);
    expect(created.value).toEqual({ id: created.value.id, username, displayName: 'Sue', role: 'supervisor', locale: 'en', disabled: false, createdAt: NOW });
    const stored = await getStore().db.selectFrom('users').select('password_hash').where('id', '=', created.value.id).executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await users.verifyPassword(username, 'correct horse')).toEqual({ ok: true, value: created.value });
    expect(await users.verifyPassword(username, 'wrong')).toMatchObject({ ok: false, error: 'invalid_credentials' });
    expect(await users.verifyPassword(uniqueName('nobody'), 'correct horse')).toMatchObject({ ok: false, error: 'invalid_credentials' });
    expect(await users.findByUsername(username)).toEqual(created.value);
    expect(await users.findById(created.value.id)).toEqual(created.value);
  });

  it('refuses a duplicate username with a typed error and keeps the first user', async () => {
    const users = new UsersRepository(getStore().db, FAST);
    const username = uniqueName('dup');
    const first = await users.create({ username, displayName: 'One', role: 'agent', password: 'one-password', now: NOW });
    const second = await users.create({ username, displayName: 'Two', role: 'admin', password: 'two-password', now: NOW });
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, error: 'duplicate_username' });
    expect(await users.findByUsername(username)).toMatchObject({ displayName: 'One', role: 'agent' });
    expect((await users.verifyPassword(username, 'one-password')).ok).toBe(true);
  });

  it('changes role, disables (ending sessions) and lists users', async () => {
    const db = getStore().db;
    const users = new UsersRepository(db, FAST);
    const sessions = new SessionsRepository(db);
    const created = await users.create({ username: uniqueName('agent'), displayName: 'A', role: 'agent', password: 'pw-pw-pw', now: NOW });
    if (!created.ok) throw new Error(created.message);
    const id = created.value.id;
    expect(await users.setRole(id, 'supervisor')).toMatchObject({ ok: true, value: { role: 'supervisor' } });
    expect(await users.setRole('ghost', 'agent')).toMatchObject({ ok: false, error: 'not_found' });
    const session = await sessions.create({ userId: id, now: NOW, ttlMs: 60_000 });
    expect(await users.setDisabled(id, true)).toMatchObject({ ok: true, value: { disabled: true } });
    expect(await sessions.findValid(session.id, NOW)).toBeUndefined();
    expect(await users.verifyPassword(created.value.username, 'pw-pw-pw')).toMatchObject({ ok: false, error: 'disabled' });
    expect((await users.list({ includeDisabled: false })).map((u) => u.id)).not.toContain(id);
    expect((await users.list({ role: 'supervisor' })).map((u) => u.id)).toContain(id);
    expect(await users.setDisabled(id, false)).toMatchObject({ ok: true, value: { disabled: false } });
    expect(await users.setPassword(id, 'new-password')).toMatchObject({ ok: true });
    expect((await users.verifyPassword(created.value.username, 'new-password')).ok).toBe(true);
  });

  it('creates sessions with csrf tokens, finds only valid ones, deletes and purges', async () => {
    const db = getStore().db;
    const users = new UsersRepository(db, FAST);
    const sessions = new SessionsRepository(db);
    const created = await users.create({ username: uniqueName('s'), displayName: 'S', role: 'admin', password: 'pw-pw-pw', now: NOW });
    if (!created.ok) throw new Error(created.message);
    const a = await sessions.create({ userId: created.value.id, now: NOW, ttlMs: 1_000 });
    const b = await sessions.create({ userId: created.value.id, now: NOW, ttlMs: 10_000 });
    expect(a.id).not.toBe(b.id);
    expect(a.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await sessions.findValid(a.id, NOW + 999)).toEqual({ session: a, user: created.value });
    expect(await sessions.findValid(a.id, NOW + 1_000)).toBeUndefined();
    expect(await sessions.findValid('nope', NOW)).toBeUndefined();
    expect(await sessions.purgeExpired(NOW + 1_000)).toBeGreaterThanOrEqual(1);
    expect(await sessions.findValid(b.id, NOW + 1_000)).toMatchObject({ session: { id: b.id } });
    expect(await sessions.extend(b.id, NOW + 50_000)).toBe(true);
    expect(await sessions.findValid(b.id, NOW + 20_000)).toBeDefined();
    expect(await sessions.delete(b.id)).toBe(true);
    expect(await sessions.findValid(b.id, NOW)).toBeUndefined();
  });
});

it('password hashes: random salt, timing-safe check, malformed hashes never match', async () => {
  const one = await hashPassword('secret', { cost: 1024, blockSize: 8, parallelization: 1 });
  const two = await hashPassword('secret', { cost: 1024, blockSize: 8, parallelization: 1 });
  expect(one).not.toBe(two);
  expect(await verifyPassword('secret', one)).toBe(true);
  expect(await verifyPassword('Secret', one)).toBe(false);
  expect(await verifyPassword('secret', 'plain')).toBe(false);
  expect(await verifyPassword('secret', 'scrypt$0$8$1$abc$def')).toBe(false);
});
