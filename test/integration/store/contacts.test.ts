import { sql } from 'kysely';
import type { SqlBool } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '@outdial/store/database';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import type { ClaimRequest, NewContact } from '@outdial/store/repositories/contacts.repository';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { forEachDialect, sampleCampaign, uniqueName } from '../../support/store-fixtures.ts';
import type { TestStore } from '../../support/store-fixtures.ts';

const NOW = 1_700_000_000_000;

forEachDialect('contacts repository', (getStore) => {
  /** A list attached to a fresh campaign, filled with the given contacts. */
  async function seed(contacts: Array<Omit<NewContact, 'listId'>>): Promise<{ campaignId: string; listId: string }> {
    const db = getStore().db;
    const list = await new ListsRepository(db).create({ name: uniqueName('list'), now: NOW });
    if (!list.ok) throw new Error(list.message);
    const campaign = await new CampaignsRepository(db).create(sampleCampaign({ name: uniqueName('c'), listIds: [list.value.id] }));
    if (!campaign.ok) throw new Error(campaign.message);
    const inserted = await new ContactsRepository(db).insertMany(contacts.map((c) => ({ ...c, listId: list.value.id })), NOW);
    if (!inserted.ok) throw new Error(inserted.message);
    return { campaignId: campaign.value.id, listId: list.value.id };
  }

  function claim(overrides: Partial<ClaimRequest> & { campaignId: string }): ClaimRequest {
    return { nodeId: 'node-a', now: NOW, limit: 10, leaseMs: 60_000, maxAttempts: 3, ...overrides };
  }

  it('inserts contacts and reads them back with their JSON fields', async () => {
    const contacts = new ContactsRepository(getStore().db);
    const list = await new ListsRepository(getStore().db).create({ name: uniqueName('list'), now: NOW });
    if (!list.ok) throw new Error(list.message);
    const result = await contacts.insert({
      listId: list.value.id, phone: '+12125550123', firstName: 'Ada', timezones: ['America/New_York'],
      jurisdictions: ['US', 'US-NY'], attributes: { balance: 12.5, vip: true, since: '2024-01-02' },
    }, NOW);
    if (!result.ok) throw new Error(result.message);
    const read = await contacts.get(result.value.id);
    expect(read).toEqual(result.value);
    expect(read).toMatchObject({
      phone: '+12125550123', phones: [{ phone: '+12125550123' }], status: 'dialable', attempts: 0, nextDialAt: NOW,
      timezones: ['America/New_York'], attributes: { balance: 12.5, vip: true, since: '2024-01-02' }, dncFlag: false,
    });
    expect((await contacts.findByPhone('+12125550123')).map((c) => c.id)).toContain(result.value.id);
  });

  it('rejects a contact for an unknown list, and a batch with one bad row writes nothing', async () => {
    const contacts = new ContactsRepository(getStore().db);
    expect(await contacts.insert({ listId: 'no-such-list', phone: '+12125550000' }, NOW)).toMatchObject({ ok: false, error: 'unknown_list' });
    const { listId } = await seed([]);
    const batch = await contacts.insertMany([
      { id: 'dup-1', listId, phone: '+12125550001' },
      { id: 'dup-1', listId, phone: '+12125550002' },
    ], NOW);
    expect(batch).toMatchObject({ ok: false, error: 'duplicate' });
    expect(await contacts.listByList(listId, { limit: 10 })).toEqual([]);
  });

  it('claims due contacts by priority then due time, and skips what is not dialable', async () => {
    const contacts = new ContactsRepository(getStore().db);
    const { campaignId } = await seed([
      { id: uniqueName('low-old'), phone: '+12125550101', priority: 0, nextDialAt: NOW - 5_000 },
      { id: uniqueName('high'), phone: '+12125550102', priority: 5, nextDialAt: NOW - 1_000 },
      { id: uniqueName('low-new'), phone: '+12125550103', priority: 0, nextDialAt: NOW - 1_000 },
      { id: uniqueName('callback'), phone: '+12125550104', status: 'callback', priority: 1, nextDialAt: NOW },
      { id: uniqueName('future'), phone: '+12125550105', nextDialAt: NOW + 1 },
      { id: uniqueName('done'), phone: '+12125550106', status: 'done' },
      { id: uniqueName('dnc'), phone: '+12125550107', status: 'dnc' },
      { id: uniqueName('spent'), phone: '+12125550108', attempts: 3 },
    ]);
    expect(await contacts.countDialable({ campaignId, now: NOW, maxAttempts: 3 })).toBe(4);
    const claimed = await contacts.claimDialable(claim({ campaignId }));
    expect(claimed.map((c) => c.phone)).toEqual(['+12125550102', '+12125550104', '+12125550101', '+12125550103']);
    expect(claimed.every((c) => c.claimedBy === 'node-a' && c.claimExpiresAt === NOW + 60_000)).toBe(true);
    // Claimed contacts are not claimable again, by anyone, until the claim expires.
    expect(await contacts.claimDialable(claim({ campaignId, nodeId: 'node-b' }))).toEqual([]);
    expect(await contacts.countDialable({ campaignId, now: NOW, maxAttempts: 3 })).toBe(0);
    const afterExpiry = await contacts.claimDialable(claim({ campaignId, nodeId: 'node-b', now: NOW + 60_000 }));
    expect(afterExpiry.map((c) => c.phone).sort()).toEqual(['+12125550101', '+12125550102', '+12125550103', '+12125550104', '+12125550105']);
  });

  it('merges several lists into one hopper order', async () => {
    const db = getStore().db;
    const lists = new ListsRepository(db);
    const [one, two] = [await lists.create({ name: uniqueName('l1'), now: NOW }), await lists.create({ name: uniqueName('l2'), now: NOW })];
    if (!one.ok || !two.ok) throw new Error('list create failed');
    const campaign = await new CampaignsRepository(db).create(sampleCampaign({ name: uniqueName('multi'), listIds: [one.value.id, two.value.id] }));
    if (!campaign.ok) throw new Error(campaign.message);
    const contacts = new ContactsRepository(db);
    const rows: NewContact[] = [
      { listId: one.value.id, phone: '+12125550601', priority: 1, nextDialAt: NOW - 10 },
      { listId: two.value.id, phone: '+12125550602', priority: 2, nextDialAt: NOW - 1 },
      { listId: two.value.id, phone: '+12125550603', priority: 1, nextDialAt: NOW - 20, status: 'callback' },
      { listId: one.value.id, phone: '+12125550604', priority: 0, nextDialAt: NOW - 99 },
      { listId: one.value.id, phone: '+12125550605', priority: 2, nextDialAt: NOW - 5, status: 'callback' },
    ];
    const inserted = await contacts.insertMany(rows, NOW);
    if (!inserted.ok) throw new Error(inserted.message);
    const first = await contacts.claimDialable(claim({ campaignId: campaign.value.id, limit: 3 }));
    expect(first.map((c) => c.phone)).toEqual(['+12125550605', '+12125550602', '+12125550603']);
    const rest = await contacts.claimDialable(claim({ campaignId: campaign.value.id, limit: 3 }));
    expect(rest.map((c) => c.phone)).toEqual(['+12125550601', '+12125550604']);
  });

  it('claims and counts only contacts of the segment when one is given', async () => {
    const contacts = new ContactsRepository(getStore().db);
    const { campaignId } = await seed([
      { phone: '+12125550801', region: 'TX', priority: 1 },
      { phone: '+12125550802', region: 'CA', priority: 2 },
      { phone: '+12125550803', region: 'TX' },
    ]);
    const texas = sql<SqlBool>`contacts.region = ${'TX'}`;
    expect(await contacts.countDialable({ campaignId, now: NOW, maxAttempts: 3, segment: texas })).toBe(2);
    const claimed = await contacts.claimDialable(claim({ campaignId, segment: texas }));
    expect(claimed.map((c) => c.phone)).toEqual(['+12125550801', '+12125550803']);
    expect((await contacts.claimDialable(claim({ campaignId }))).map((c) => c.phone)).toEqual(['+12125550802']);
  });

  it('honours limit and an explicit list filter', async () => {
    const contacts = new ContactsRepository(getStore().db);
    const { campaignId, listId } = await seed(Array.from({ length: 5 }, (_, i) => ({ phone: `+1212555020${i}`, nextDialAt: NOW - i })));
    const first = await contacts.claimDialable(claim({ campaignId, limit: 2, listIds: [listId] }));
    expect(first.map((c) => c.phone)).toEqual(['+12125550204', '+12125550203']);
    expect(await contacts.claimDialable(claim({ campaignId, listIds: ['other-list'] }))).toEqual([]);
    expect(await contacts.claimDialable(claim({ campaignId, listIds: [] }))).toEqual([]);
    expect(await contacts.claimDialable(claim({ campaignId, limit: 0 }))).toEqual([]);
  });

  it('releases claims and records an attempt result, clearing the claim', async () => {
    const contacts = new ContactsRepository(getStore().db);
    const { campaignId } = await seed([{ phone: '+12125550301' }, { phone: '+12125550302' }]);
    const node = uniqueName('node');
    const [a, b] = await contacts.claimDialable(claim({ campaignId, nodeId: node }));
    if (!a || !b) throw new Error('expected two claims');
    expect(await contacts.releaseClaim([a.id], 'node-b')).toBe(0);
    expect(await contacts.releaseClaim([a.id], node)).toBe(1);
    expect((await contacts.get(a.id))?.claimedBy).toBeNull();
    expect(await contacts.updateAfterAttempt({
      contactId: b.id, status: 'dialable', nextDialAt: NOW + 3_600_000, attempts: 1, lastOutcome: 'no_answer', lastAttemptAt: NOW + 30_000,
    })).toBe(true);
    expect(await contacts.get(b.id)).toMatchObject({
      status: 'dialable', nextDialAt: NOW + 3_600_000, attempts: 1, lastOutcome: 'no_answer', lastAttemptAt: NOW + 30_000,
      claimedBy: null, claimExpiresAt: null, updatedAt: NOW + 30_000,
    });
    expect((await contacts.claimDialable(claim({ campaignId, nodeId: node, now: NOW + 40_000 }))).map((c) => c.id)).toEqual([a.id]);
    expect(await contacts.releaseClaimsOf(node)).toBe(1);
    expect(await contacts.setStatus(a.id, 'dnc', NOW + 50_000)).toBe(true);
    expect(await contacts.countByStatus([a.listId])).toEqual({ dialable: 1, callback: 0, done: 0, dnc: 1, invalid: 0 });
    expect(await contacts.updateAfterAttempt({
      contactId: 'nope', status: 'done', nextDialAt: NOW, attempts: 1, lastOutcome: null, lastAttemptAt: NOW,
    })).toBe(false);
  });

  it('extends claims a node still holds, and only those', async () => {
    const contacts = new ContactsRepository(getStore().db);
    const { campaignId } = await seed([{ phone: '+12125550701' }, { phone: '+12125550702' }]);
    const node = uniqueName('node');
    const [a, b] = await contacts.claimDialable(claim({ campaignId, nodeId: node, leaseMs: 1_000 }));
    if (!a || !b) throw new Error('expected two claims');
    // b's claim expires and another node takes it.
    await contacts.releaseClaim([b.id], node);
    await contacts.claimDialable(claim({ campaignId, nodeId: 'other-node', now: NOW + 500 }));
    expect(await contacts.extendClaims([a.id, b.id], node, NOW + 900, 1_000)).toEqual([a.id]);
    expect(await contacts.get(a.id)).toMatchObject({ claimedBy: node, claimExpiresAt: NOW + 1_900 });
    expect(await contacts.get(b.id)).toMatchObject({ claimedBy: 'other-node' });
    expect(await contacts.extendClaims([], node, NOW, 1_000)).toEqual([]);
  });

  describe('two claimers at once', () => {
    it('never hand the same contact to two nodes (separate connections, in parallel)', async () => {
      const store: TestStore = getStore();
      const { campaignId } = await seed(Array.from({ length: 60 }, (_, i) => ({ phone: `+1212556${String(i).padStart(4, '0')}` })));
      // A second, independent connection (pool) to the same database, as a second node would have.
      const other = store.kind === 'sqlite-memory' ? undefined : await openStore(store.url);
      try {
        const first = new ContactsRepository(store.db);
        const second = new ContactsRepository(other?.db ?? store.db);
        const rounds = await Promise.all(
          Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? first : second)
            .claimDialable(claim({ campaignId, nodeId: i % 2 === 0 ? 'node-a' : 'node-b', limit: 10 }))),
        );
        const ids = rounds.flat().map((c) => c.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBe(60);
      } finally {
        await other?.close();
      }
    });
  });
});
