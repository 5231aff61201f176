import { expect, it } from 'vitest';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import { DispositionsRepository } from '@outdial/store/repositories/dispositions.repository';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { UsersRepository } from '@outdial/store/repositories/users.repository';
import { inTransaction } from '@outdial/store/transaction';
import { forEachDialect, uniqueName } from '../../support/store-fixtures.ts';

const NOW = 1_700_000_000_000;

forEachDialect('transactions', (getStore) => {
  async function newContact(): Promise<{ listId: string; contactId: string }> {
    const db = getStore().db;
    const list = await new ListsRepository(db).create({ name: uniqueName('list'), now: NOW });
    if (!list.ok) throw new Error(list.message);
    const contact = await new ContactsRepository(db).insert({ listId: list.value.id, phone: '+12125550500' }, NOW);
    if (!contact.ok) throw new Error(contact.message);
    return { listId: list.value.id, contactId: contact.value.id };
  }

  it('commits several repository writes together', async () => {
    const { contactId } = await newContact();
    const attemptId = uniqueName('attempt');
    await inTransaction(getStore().db, async (trx) => {
      await new DispositionsRepository(trx).insert({ attemptId, contactId, campaignId: 'c1', code: 'SALE', now: NOW });
      await new ContactsRepository(trx).updateAfterAttempt({
        contactId, status: 'done', nextDialAt: NOW, attempts: 1, lastOutcome: 'answered', lastAttemptAt: NOW,
      });
    });
    expect(await new DispositionsRepository(getStore().db).forAttempt(attemptId)).toMatchObject({ code: 'SALE' });
    expect(await new ContactsRepository(getStore().db).get(contactId)).toMatchObject({ status: 'done' });
  });

  it('rolls every write back when the work throws', async () => {
    const { contactId } = await newContact();
    const attemptId = uniqueName('attempt');
    await expect(inTransaction(getStore().db, async (trx) => {
      await new DispositionsRepository(trx).insert({ attemptId, contactId, campaignId: 'c1', code: 'SALE', now: NOW });
      await new ContactsRepository(trx).setStatus(contactId, 'done', NOW);
      throw new Error('route failed half way');
    })).rejects.toThrow('route failed half way');
    expect(await new DispositionsRepository(getStore().db).forAttempt(attemptId)).toBeUndefined();
    expect(await new ContactsRepository(getStore().db).get(contactId)).toMatchObject({ status: 'dialable' });
  });

  it('a typed failure inside a transaction leaves the transaction usable (savepoint)', async () => {
    const db = getStore().db;
    const username = uniqueName('taken');
    const users = new UsersRepository(db, { cost: 1024 });
    expect((await users.create({ username, displayName: 'A', role: 'agent', password: 'pw-pw-pw', now: NOW })).ok).toBe(true);
    const { contactId } = await newContact();
    const outcome = await inTransaction(db, async (trx) => {
      const again = await new UsersRepository(trx, { cost: 1024 }).create({ username, displayName: 'B', role: 'agent', password: 'pw-pw-pw', now: NOW });
      // PostgreSQL would refuse every later statement of an aborted transaction; the savepoint prevents that.
      await new ContactsRepository(trx).setStatus(contactId, 'callback', NOW + 1);
      const twice = await new DispositionsRepository(trx).insert({ attemptId: 'same', contactId, campaignId: 'c', code: 'A', now: NOW });
      const thrice = await new DispositionsRepository(trx).insert({ attemptId: 'same', contactId, campaignId: 'c', code: 'B', now: NOW });
      return { again, twice, thrice };
    });
    expect(outcome.again).toMatchObject({ ok: false, error: 'duplicate_username' });
    expect(outcome.twice.ok).toBe(true);
    expect(outcome.thrice).toMatchObject({ ok: false, error: 'already_disposed' });
    expect(await new ContactsRepository(db).get(contactId)).toMatchObject({ status: 'callback' });
  });

  it('nested inTransaction joins the outer transaction', async () => {
    const { contactId } = await newContact();
    await expect(inTransaction(getStore().db, async (outer) => {
      await inTransaction(outer, (inner) => new ContactsRepository(inner).setStatus(contactId, 'invalid', NOW));
      throw new Error('outer fails');
    })).rejects.toThrow('outer fails');
    expect(await new ContactsRepository(getStore().db).get(contactId)).toMatchObject({ status: 'dialable' });
  });
});
