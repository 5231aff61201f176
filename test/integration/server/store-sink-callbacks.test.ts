import { expect, it } from 'vitest';
import type { ContactUpdate, EngineEvent } from '@outdial/core/dialer/events';
import { StoreSink } from '@outdial/server/runtime/store-sink';
import type { EventBus, StreamEvent } from '@outdial/server/events/event-bus';
import { AttemptsRepository } from '@outdial/store/repositories/attempts.repository';
import { CallbacksRepository } from '@outdial/store/repositories/callbacks.repository';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { forEachDialect, sampleCampaign, uniqueName } from '../../support/store-fixtures.ts';

const NOW = 1_700_000_000_000;

/** The sink publishes after storing; these tests look only at the store. */
const quietBus: EventBus = {
  publish: (type, payload, campaignId) => Promise.resolve<StreamEvent>({ seq: 0, at: NOW, type, campaignId: campaignId ?? null, payload }),
  subscribe: () => () => undefined,
  since: () => Promise.resolve([]),
};

/** A contact that closes for good takes its pending callbacks with it; one that stays dialable keeps them. */
forEachDialect('store sink: callbacks of closed contacts', (getStore) => {
  async function contactWithCallbacks(): Promise<{ sink: StoreSink; campaignId: string; contactId: string; ids: string[] }> {
    const db = getStore().db;
    const list = await new ListsRepository(db).create({ name: uniqueName('list'), now: NOW });
    if (!list.ok) throw new Error(list.message);
    const campaign = await new CampaignsRepository(db).create(sampleCampaign({ name: uniqueName('c'), listIds: [list.value.id] }));
    if (!campaign.ok) throw new Error(campaign.message);
    const phone = `+1212555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
    const inserted = await new ContactsRepository(db).insertMany([{ listId: list.value.id, phone, status: 'callback', nextDialAt: NOW + 60_000 }], NOW);
    if (!inserted.ok) throw new Error(inserted.message);
    const contactId = (inserted.value[0] as { id: string }).id;
    const callbacks = new CallbacksRepository(db);
    const personal = await callbacks.create({ contactId, campaignId: campaign.value.id, agentId: 'agent-1', dueAt: NOW + 60_000, now: NOW });
    const pooled = await callbacks.create({ contactId, campaignId: campaign.value.id, dueAt: NOW + 120_000, now: NOW });
    const errors: unknown[] = [];
    const sink = new StoreSink(db, 'node-a', quietBus, (error) => { errors.push(error); });
    return { sink, campaignId: campaign.value.id, contactId, ids: [personal.id, pooled.id] };
  }

  const statuses = async (ids: string[]): Promise<string[]> =>
    (await new CallbacksRepository(getStore().db).getMany(ids)).map((c) => c.status);

  const update = (campaignId: string, contactId: string, status: ContactUpdate['status'], reason: string): ContactUpdate => ({
    contactId, campaignId, status, nextDialAt: status === 'dialable' ? NOW + 3_600_000 : null, attempts: 3,
    lastOutcome: 'no_answer', lastAttemptAt: NOW, reason,
  });

  it('the attempt limit or a compliance block closes the contact and cancels its pending callbacks', async () => {
    for (const reason of ['max_attempts', 'compliance_block:registry']) {
      const { sink, campaignId, contactId, ids } = await contactWithCallbacks();
      sink.emit({ type: 'contact.updated', at: NOW, update: update(campaignId, contactId, 'done', reason), decision: null });
      await sink.flush();
      expect(await statuses(ids)).toEqual(ids.map(() => 'cancelled'));
      expect(await new CallbacksRepository(getStore().db).listPending({ campaignIds: [campaignId] })).toEqual([]);
    }
  });

  it('a retry keeps the callbacks pending', async () => {
    const { sink, campaignId, contactId, ids } = await contactWithCallbacks();
    sink.emit({ type: 'contact.updated', at: NOW, update: update(campaignId, contactId, 'dialable', 'retry_rule'), decision: null });
    await sink.flush();
    expect(await statuses(ids)).toEqual(['pending', 'pending']);
  });

  it('a closing disposition cancels older callbacks; a callback disposition keeps them and adds its own', async () => {
    const closing = await contactWithCallbacks();
    const disposition = (c: typeof closing, code: string, status: ContactUpdate['status'], callbackAt: number | null): EngineEvent => ({
      type: 'disposition.saved', at: NOW + 1_000, agentId: 'agent-1', attemptId: uniqueName('attempt'), campaignId: c.campaignId,
      contactId: c.contactId, code, action: callbackAt === null ? 'final' : 'callback', notes: null, callbackAt,
      callbackScope: callbackAt === null ? null : 'agent', contact: update(c.campaignId, c.contactId, status, 'disposition'), wrapMs: 5_000,
      machine: false,
    });
    closing.sink.emit(disposition(closing, 'sale', 'done', null));
    await closing.sink.flush();
    expect(await statuses(closing.ids)).toEqual(['cancelled', 'cancelled']);

    const again = await contactWithCallbacks();
    again.sink.emit(disposition(again, 'callback', 'callback', NOW + 86_400_000));
    await again.sink.flush();
    expect(await statuses(again.ids)).toEqual(['pending', 'pending']);
    const pending = await new CallbacksRepository(getStore().db).pendingForContact(again.contactId);
    expect(pending.map((c) => c.dueAt)).toEqual([NOW + 60_000, NOW + 120_000, NOW + 86_400_000]);
  });

  it('a machine disposition takes the attempt out of the live answers; a person\'s keeps it in', async () => {
    const db = getStore().db;
    const attempts = new AttemptsRepository(db);
    const results: boolean[] = [];
    for (const machine of [true, false]) {
      const c = await contactWithCallbacks();
      const attemptId = uniqueName('attempt');
      const inserted = await attempts.insert({
        id: attemptId, campaignId: c.campaignId, contactId: c.contactId, phone: '+12125550000', attemptNo: 1, nodeId: 'node-a',
        dialedAt: NOW, decisionVerdict: 'allow', decision: { verdict: 'allow' }, training: false,
      });
      if (!inserted.ok) throw new Error(inserted.message);
      await attempts.markAnswered(attemptId, NOW + 5_000);
      await attempts.markEnded(attemptId, { at: NOW + 20_000, outcome: 'answered', agentId: 'agent-1', abandoned: false });
      c.sink.emit({
        type: 'disposition.saved', at: NOW + 30_000, agentId: 'agent-1', attemptId, campaignId: c.campaignId, contactId: c.contactId,
        code: machine ? 'machine' : 'no_sale', action: 'retry', notes: null, callbackAt: null, callbackScope: null,
        contact: update(c.campaignId, c.contactId, 'dialable', 'disposition'), wrapMs: 5_000, machine,
      });
      await c.sink.flush();
      const window = await attempts.windowCounts(c.campaignId, NOW - 1, NOW + 60_000);
      results.push(window.liveAnswers === 1);
      expect((await attempts.get(attemptId))?.outcome).toBe(machine ? 'machine' : 'answered');
    }
    expect(results).toEqual([false, true]);
  });
});
