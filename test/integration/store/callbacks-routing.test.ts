import { afterAll, describe, expect, it } from 'vitest';
import { CallbacksRepository, notHeldForAnAgent } from '@outdial/store/repositories/callbacks.repository';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import type { NewContact } from '@outdial/store/repositories/contacts.repository';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { SKIPPED_CALLBACK_DELAY_MS, StoreHopper } from '@outdial/server/runtime/store-hopper';
import { openStore } from '@outdial/store/database';
import { forEachDialect, openTestStore, postgresAdminUrl, postgresAvailable, sampleCampaign, uniqueName } from '../../support/store-fixtures.ts';
import type { TestStore } from '../../support/store-fixtures.ts';
import { skipUnless } from '../../support/require.ts';

const NOW = 1_700_000_000_000;
const noFacts = { facts: () => Promise.resolve({ lists: {}, consents: [] }) };

/** Personal callbacks are claimed only for their owner; the pooled claim never takes a contact one holds. */
forEachDialect('callbacks repository: routing personal callbacks', (getStore) => {
  async function seed(contacts: Array<Omit<NewContact, 'listId'>>): Promise<{ campaignId: string; ids: string[] }> {
    const db = getStore().db;
    const list = await new ListsRepository(db).create({ name: uniqueName('list'), now: NOW });
    if (!list.ok) throw new Error(list.message);
    const campaign = await new CampaignsRepository(db).create(sampleCampaign({ name: uniqueName('c'), listIds: [list.value.id] }));
    if (!campaign.ok) throw new Error(campaign.message);
    const inserted = await new ContactsRepository(db).insertMany(contacts.map((c) => ({ ...c, listId: list.value.id })), NOW);
    if (!inserted.ok) throw new Error(inserted.message);
    return { campaignId: campaign.value.id, ids: inserted.value.map((c) => c.id) };
  }

  /** One contact with a personal callback of agent-1, due now, and a hopper of node-a over the store. */
  async function oneOwnedCallback(phone: string) {
    const { db, dialect } = getStore();
    const { campaignId, ids } = await seed([{ phone, status: 'callback', nextDialAt: NOW - 10 }]);
    const campaign = await new CampaignsRepository(db).get(campaignId);
    if (!campaign) throw new Error('campaign not stored');
    const contactId = ids[0] as string;
    const callbacks = new CallbacksRepository(db);
    const personal = await callbacks.create({ contactId, campaignId, agentId: 'agent-1', dueAt: NOW - 10, now: NOW - 100 });
    const hopper = new StoreHopper(db, dialect, 'node-a', noFacts, { leaseMs: 60_000, batch: 10 });
    return { db, campaign, campaignId, contactId, callbacks, personal, hopper };
  }

  it('claims due personal callbacks with their owner, keeps them out of the pool, and lists, reassigns and completes them', async () => {
    const db = getStore().db;
    const { campaignId, ids } = await seed([
      { phone: '+12125550701', status: 'callback', nextDialAt: NOW - 10, firstName: 'Pat', timezones: ['America/Chicago'] },
      { phone: '+12125550702', status: 'callback', nextDialAt: NOW - 20 },
      { phone: '+12125550703', status: 'callback', nextDialAt: NOW + 60_000 },
      { phone: '+12125550704', nextDialAt: NOW - 30 },
    ]);
    const [mine, wide, later, plain] = ids as [string, string, string, string];
    const callbacks = new CallbacksRepository(db);
    const personal = await callbacks.create({ contactId: mine, campaignId, agentId: 'agent-1', dueAt: NOW - 10, now: NOW - 100 });
    await callbacks.create({ contactId: wide, campaignId, dueAt: NOW - 20, now: NOW - 100 });
    await callbacks.create({ contactId: later, campaignId, agentId: 'agent-2', dueAt: NOW + 60_000, now: NOW - 100 });

    const contacts = new ContactsRepository(db);
    const pooled = await contacts.claimDialable({ campaignId, nodeId: 'node-a', now: NOW, limit: 10, leaseMs: 60_000, maxAttempts: 3, segment: notHeldForAnAgent() });
    expect(pooled.map((c) => c.id).sort()).toEqual([wide, plain].sort());

    const owned = await callbacks.claimDuePersonal({ campaignId, nodeId: 'node-a', now: NOW, leaseMs: 60_000, maxAttempts: 3, limit: 10 });
    expect(owned).toEqual([{ callbackId: personal.id, contactId: mine, agentId: 'agent-1' }]);
    expect(await contacts.get(mine)).toMatchObject({ claimedBy: 'node-a' });
    // Claimed already: another node gets nothing.
    expect(await callbacks.claimDuePersonal({ campaignId, nodeId: 'node-b', now: NOW, leaseMs: 60_000, maxAttempts: 3, limit: 10 })).toEqual([]);

    const listed = await callbacks.listPending({ campaignIds: [campaignId], agentId: 'agent-1' });
    expect(listed).toEqual([expect.objectContaining({ id: personal.id, phone: '+12125550701', firstName: 'Pat', timezones: ['America/Chicago'] })]);
    expect((await callbacks.listPending({ campaignIds: [campaignId] })).map((c) => c.contactId)).toEqual([wide, mine, later]);

    // Made campaign-wide: the pool may take it once it is free again.
    expect(await callbacks.reassign(personal.id, null)).toBe(true);
    await contacts.releaseClaim([mine], 'node-a');
    const again = await contacts.claimDialable({ campaignId, nodeId: 'node-a', now: NOW, limit: 10, leaseMs: 60_000, maxAttempts: 3, segment: notHeldForAnAgent() });
    expect(again.map((c) => c.id)).toEqual([mine]);

    // Dialed: what was due is done, a callback set for later stays.
    expect(await callbacks.completeDue(mine, NOW)).toHaveLength(1);
    expect(await callbacks.completeDue(later, NOW)).toEqual([]);
    expect(await callbacks.get(personal.id)).toMatchObject({ status: 'done' });
    expect(await callbacks.reassign(personal.id, 'agent-2')).toBe(false);
    expect((await callbacks.getMany([personal.id])).map((c) => c.status)).toEqual(['done']);
  });
  it('store hopper: a campaign-wide callback buffered for the pool and then given to an agent leaves the pool for its owner', async () => {
    const { db, dialect } = getStore();
    const { campaignId, ids } = await seed([{ phone: '+12125550811', status: 'callback', nextDialAt: NOW - 10 }]);
    const campaign = await new CampaignsRepository(db).get(campaignId);
    if (!campaign) throw new Error('campaign not stored');
    const contactId = ids[0] as string;
    const callbacks = new CallbacksRepository(db);
    const wide = await callbacks.create({ contactId, campaignId, dueAt: NOW - 10, now: NOW - 100 });
    const hopper = new StoreHopper(db, dialect, 'node-a', noFacts, { leaseMs: 60_000, batch: 10 });
    await hopper.refill(campaign, NOW);
    expect(hopper.available(campaignId, NOW)).toBe(1);

    expect(await callbacks.reassign(wide.id, 'agent-1')).toBe(true);
    await hopper.refill(campaign, NOW + 500);
    // Never handed to the pool (any agent), only to its new owner.
    expect(hopper.take(campaignId, 10, NOW + 500)).toEqual([]);
    expect(hopper.ownersDue(campaignId, NOW + 500)).toEqual(['agent-1']);
    expect(hopper.takeOwned(campaignId, 'agent-1', NOW + 500)).toMatchObject({ contactId, ownerAgentId: 'agent-1' });
    await hopper.drainAll();
  });
  it('store hopper: a buffered callback dialed by hand (the owner dials it from their list) is not dialed again', async () => {
    const { db, campaign, campaignId, contactId, callbacks, personal, hopper } = await oneOwnedCallback('+12125550821');
    await hopper.refill(campaign, NOW);
    expect(hopper.ownersDue(campaignId, NOW)).toEqual(['agent-1']);

    // The owner, paused, dials the contact by hand: the engine reports a dial of a contact the hopper did not hand out.
    hopper.dialed(contactId, NOW + 100);
    expect(hopper.ownersDue(campaignId, NOW + 100)).toEqual([]);
    expect(hopper.takeOwned(campaignId, 'agent-1', NOW + 100)).toBeUndefined();
    await hopper.refill(campaign, NOW + 500);
    expect(await callbacks.get(personal.id)).toMatchObject({ status: 'done' });
    expect(hopper.takeOwned(campaignId, 'agent-1', NOW + 500)).toBeUndefined();
    // The claim lives on through the call.
    expect(await new ContactsRepository(db).get(contactId)).toMatchObject({ claimedBy: 'node-a' });
    await hopper.drainAll();
  });
  it('store hopper: a dialed callback is completed by the periodic upkeep too (its campaign paused right after the dial)', async () => {
    const { campaign, campaignId, contactId, callbacks, personal, hopper } = await oneOwnedCallback('+12125550831');
    await hopper.refill(campaign, NOW);
    expect(hopper.takeOwned(campaignId, 'agent-1', NOW)).toMatchObject({ contactId });
    hopper.dialed(contactId, NOW + 100);
    // Paused: no refill runs for it any more; the node's upkeep still stores the completion.
    await hopper.drain(campaignId);
    await hopper.maintain(NOW + 1_000);
    expect(await callbacks.get(personal.id)).toMatchObject({ status: 'done' });
  });

  it('store hopper: a callback whose dial failed in the network is pending again; one that reached the person stays done', async () => {
    const { db, dialect } = getStore();
    const { campaignId, ids } = await seed([
      { phone: '+12125550841', status: 'callback', nextDialAt: NOW - 10 },
      { phone: '+12125550842', status: 'callback', nextDialAt: NOW - 10 },
      { phone: '+12125550843', status: 'callback', nextDialAt: NOW - 10 },
    ]);
    const campaign = await new CampaignsRepository(db).get(campaignId);
    if (!campaign) throw new Error('campaign not stored');
    const [failedLate, failedEarly, answered] = ids as [string, string, string];
    const callbacks = new CallbacksRepository(db);
    const made = new Map<string, string>();
    for (const contactId of ids) {
      made.set(contactId, (await callbacks.create({ contactId, campaignId, agentId: 'agent-1', dueAt: NOW - 10, now: NOW - 100 })).id);
    }
    const hopper = new StoreHopper(db, dialect, 'node-a', noFacts, { leaseMs: 60_000, batch: 10 });
    await hopper.refill(campaign, NOW);
    for (let i = 0; i < ids.length; i++) {
      const taken = hopper.takeOwned(campaignId, 'agent-1', NOW);
      if (taken === undefined) throw new Error('each callback is offered to its owner');
      hopper.dialed(taken.contactId, NOW + 100);
    }
    // This failure is known before the completion is written; the other two results come after it.
    hopper.settled(failedEarly, 'congestion');
    await hopper.maintain(NOW + 1_000);
    expect(await callbacks.get(made.get(answered) as string)).toMatchObject({ status: 'done' });
    hopper.settled(failedLate, 'failed');
    hopper.settled(answered, 'answered');
    await hopper.maintain(NOW + 2_000);
    expect(await callbacks.get(made.get(failedEarly) as string)).toMatchObject({ status: 'pending' });
    expect(await callbacks.get(made.get(failedLate) as string)).toMatchObject({ status: 'pending' });
    expect(await callbacks.get(made.get(answered) as string)).toMatchObject({ status: 'done' });
  });

  it('store hopper: a personal callback its owner skips in preview waits before it is offered to them again', async () => {
    const { db, campaign, campaignId, contactId, callbacks, personal, hopper } = await oneOwnedCallback('+12125550851');
    await hopper.refill(campaign, NOW);
    expect(hopper.takeOwned(campaignId, 'agent-1', NOW)).toMatchObject({ contactId });
    // The skip: the engine gives the contact back undialed (the sink releases its claim).
    hopper.settled(contactId, null, NOW + 200);
    await new ContactsRepository(db).releaseClaim([contactId], 'node-a');
    await hopper.refill(campaign, NOW + 1_000);
    expect(hopper.ownersDue(campaignId, NOW + 1_000)).toEqual([]);
    expect(await callbacks.get(personal.id)).toMatchObject({ status: 'pending', dueAt: NOW + 200 + SKIPPED_CALLBACK_DELAY_MS });
    const later = NOW + 200 + SKIPPED_CALLBACK_DELAY_MS;
    await hopper.refill(campaign, later);
    expect(hopper.ownersDue(campaignId, later)).toEqual(['agent-1']);
  });
});

describe.skipIf(skipUnless(postgresAvailable, `PostgreSQL at ${postgresAdminUrl}`))('callbacks repository: personal-callback claims on PostgreSQL', () => {
  let store: TestStore | undefined;
  afterAll(async () => {
    await store?.close();
  });

  it('skip a contact another node is claiming (row locked) instead of waiting for it, like the pooled claim', async () => {
    store = await openTestStore('postgres');
    const db = store.db;
    const list = await new ListsRepository(db).create({ name: uniqueName('list'), now: NOW });
    if (!list.ok) throw new Error(list.message);
    const campaign = await new CampaignsRepository(db).create(sampleCampaign({ name: uniqueName('c'), listIds: [list.value.id] }));
    if (!campaign.ok) throw new Error(campaign.message);
    const inserted = await new ContactsRepository(db).insertMany([
      { listId: list.value.id, phone: '+12125550901', status: 'callback', nextDialAt: NOW - 10 },
      { listId: list.value.id, phone: '+12125550902', status: 'callback', nextDialAt: NOW - 10 },
    ], NOW);
    if (!inserted.ok) throw new Error(inserted.message);
    const [locked, free] = inserted.value.map((c) => c.id) as [string, string];
    const callbacks = new CallbacksRepository(db);
    for (const contactId of [locked, free]) {
      await callbacks.create({ contactId, campaignId: campaign.value.id, agentId: 'agent-1', dueAt: NOW - 10, now: NOW - 100 });
    }
    const other = await openStore(store.url);
    try {
      const claimed = await other.db.transaction().execute(async (trx) => {
        // Another node's claim holds this row until its transaction ends.
        await trx.selectFrom('contacts').select('id').where('id', '=', locked).forUpdate().execute();
        const claim = callbacks.claimDuePersonal({ campaignId: campaign.value.id, nodeId: 'node-a', now: NOW, leaseMs: 60_000, maxAttempts: 3, limit: 10 });
        let timer: NodeJS.Timeout | undefined;
        const waited = new Promise<'blocked'>((resolve) => { timer = setTimeout(() => resolve('blocked'), 3_000); });
        const result = await Promise.race([claim, waited]);
        clearTimeout(timer);
        return { result, claim };
      });
      expect(claimed.result).toEqual([{ callbackId: expect.any(String) as unknown, contactId: free, agentId: 'agent-1' }]);
      await claimed.claim;
    } finally {
      await other.close();
    }
  });
});
