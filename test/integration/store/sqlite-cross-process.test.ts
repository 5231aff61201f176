import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { openTestStore } from '../../support/store-fixtures.ts';
import type { TestStore } from '../../support/store-fixtures.ts';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/read-then-write.ts');

/**
 * Two processes on one SQLite file (the server, and the CLI importing): a transaction that reads then writes must
 * not fail because the other process wrote in between. BEGIN IMMEDIATE makes the other writer wait instead.
 */
describe('SQLite file shared by two processes', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('sqlite-file');
  });
  afterAll(async () => {
    await store.close();
  });

  it('a read-then-write transaction in one process survives a write from another', async () => {
    const list = await new ListsRepository(store.db).create({ name: 'shared', now: 0 });
    if (!list.ok) throw new Error(list.message);
    const contacts = new ContactsRepository(store.db);
    const contact = await contacts.insert({ listId: list.value.id, phone: '+12125550900' }, 0);
    if (!contact.ok) throw new Error(contact.message);

    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, store.url, contact.value.id, '400'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => { errors += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('in-transaction')) resolve();
      });
      child.on('exit', () => reject(new Error(`child exited early: ${errors}`)));
    });
    // The child holds its transaction open now; this write waits for it (busy_timeout) and lands after it.
    expect(await contacts.setStatus(contact.value.id, 'invalid', 2)).toBe(true);
    expect(await exited, errors).toBe(0);
    expect(output).toContain('committed');
    expect(await contacts.get(contact.value.id)).toMatchObject({ status: 'invalid', updatedAt: 2 });
  });
});
