import { expect, it } from 'vitest';
import { AuditRepository } from '@outdial/store/repositories/audit.repository';
import { CallbacksRepository } from '@outdial/store/repositories/callbacks.repository';
import { ConsentsRepository } from '@outdial/store/repositories/consents.repository';
import { DispositionsRepository } from '@outdial/store/repositories/dispositions.repository';
import { DncRepository } from '@outdial/store/repositories/dnc.repository';
import { EventsRepository } from '@outdial/store/repositories/events.repository';
import { forEachDialect, uniqueName } from '../../support/store-fixtures.ts';

const NOW = 1_700_000_000_000;

function randomPhone(): string {
  return `+1${String(2_000_000_000 + Math.floor(Math.random() * 7_000_000_000))}`;
}

forEachDialect('dispositions, callbacks, dnc, consents, audit, events repositories', (getStore) => {
  it('stores one disposition per attempt; a second is a typed "already" result', async () => {
    const dispositions = new DispositionsRepository(getStore().db);
    const attemptId = uniqueName('attempt');
    const first = await dispositions.insert({ attemptId, contactId: 'k1', campaignId: 'c1', agentId: 'a1', code: 'SALE', notes: 'nice', now: NOW });
    if (!first.ok) throw new Error(first.message);
    expect(first.value).toMatchObject({ attemptId, code: 'SALE', notes: 'nice', callbackAt: null, createdAt: NOW });
    const second = await dispositions.insert({ attemptId, contactId: 'k1', campaignId: 'c1', code: 'NI', now: NOW + 1 });
    expect(second).toMatchObject({ ok: false, error: 'already_disposed', existing: { id: first.value.id, code: 'SALE' } });
    expect(await dispositions.forAttempt(attemptId)).toEqual(first.value);
    expect(await dispositions.insert({ id: first.value.id, attemptId: null, contactId: 'k1', campaignId: 'c1', code: 'X', now: NOW }))
      .toMatchObject({ ok: false, error: 'duplicate_id' });
    // Dispositions without an attempt are not limited.
    const a = await dispositions.insert({ attemptId: null, contactId: 'k1', campaignId: 'c1', code: 'NOTE', now: NOW + 2 });
    const b = await dispositions.insert({ attemptId: null, contactId: 'k1', campaignId: 'c1', code: 'NOTE', now: NOW + 3 });
    expect(a.ok && b.ok).toBe(true);
    expect((await dispositions.forContact('k1')).map((d) => d.code).slice(0, 3)).toEqual(['NOTE', 'NOTE', 'SALE']);
    expect((await dispositions.forCampaign('c1', { from: NOW + 2 })).map((d) => d.createdAt)).toEqual([NOW + 2, NOW + 3]);
  });

  it('schedules personal and campaign-wide callbacks, lists those due, completes them once', async () => {
    const callbacks = new CallbacksRepository(getStore().db);
    const campaignId = uniqueName('campaign');
    const wide = await callbacks.create({ contactId: 'k1', campaignId, dueAt: NOW + 1_000, now: NOW });
    const mine = await callbacks.create({ contactId: 'k2', campaignId, agentId: 'agent-1', dueAt: NOW + 500, now: NOW });
    const theirs = await callbacks.create({ contactId: 'k3', campaignId, agentId: 'agent-2', dueAt: NOW, now: NOW });
    await callbacks.create({ contactId: 'k4', campaignId, dueAt: NOW + 5_000, now: NOW });
    expect((await callbacks.due({ campaignId, now: NOW + 1_000 })).map((c) => c.id)).toEqual([theirs.id, mine.id, wide.id]);
    expect((await callbacks.due({ campaignId, now: NOW + 1_000, agentId: 'agent-1' })).map((c) => c.id)).toEqual([mine.id, wide.id]);
    expect(await callbacks.complete(mine.id)).toBe(true);
    expect(await callbacks.complete(mine.id)).toBe(false);
    expect(await callbacks.get(mine.id)).toMatchObject({ status: 'done' });
    expect(await callbacks.cancelForContact('k1')).toBe(1);
    expect((await callbacks.due({ campaignId, now: NOW + 1_000 })).map((c) => c.id)).toEqual([theirs.id]);
    expect(await callbacks.pendingForContact('k3')).toHaveLength(1);
  });

  it('keeps do-not-call history: add with who and why, soft removal, active lookups, paged search', async () => {
    const dnc = new DncRepository(getStore().db);
    const phone = randomPhone();
    const added = await dnc.add({ kind: 'internal', region: 'Acme', phone, by: 'agent-1', reason: 'asked on call', now: NOW });
    expect(added).toMatchObject({ created: true, record: { phone, kind: 'internal', region: 'Acme', addedBy: 'agent-1', reason: 'asked on call', removedAt: null } });
    expect(await dnc.add({ kind: 'internal', region: 'Acme', phone, by: 'x', reason: 'again', now: NOW + 1 }))
      .toEqual({ created: false, record: added.record });
    const state = await dnc.add({ kind: 'state', region: 'TX', phone, by: null, reason: null, now: NOW + 2 });
    expect((await dnc.findActive([phone, randomPhone()])).map((r) => r.id)).toEqual([added.record.id, state.record.id]);
    expect((await dnc.findActive([phone], ['state'])).map((r) => r.kind)).toEqual(['state']);
    expect(await dnc.remove(added.record.id, { by: 'admin', reason: 'entered by mistake', now: NOW + 3 })).toBe(true);
    expect(await dnc.remove(added.record.id, { by: 'admin', reason: 'twice', now: NOW + 4 })).toBe(false);
    expect(await dnc.get(added.record.id)).toMatchObject({ removedAt: NOW + 3, removedBy: 'admin', removedReason: 'entered by mistake' });
    expect((await dnc.findActive([phone])).map((r) => r.id)).toEqual([state.record.id]);
    const prefix = phone.slice(0, 9);
    const page = await dnc.search({ phonePrefix: phone, limit: 10 });
    expect(page).toEqual({ total: 1, entries: [state.record] });
    const withRemoved = await dnc.search({ phonePrefix: phone, includeRemoved: true, limit: 1 });
    expect(withRemoved.total).toBe(2);
    expect(withRemoved.entries.map((r) => r.id)).toEqual([state.record.id]);
    expect((await dnc.search({ phonePrefix: phone, includeRemoved: true, limit: 1, offset: 1 })).entries.map((r) => r.id)).toEqual([added.record.id]);
    expect((await dnc.search({ phonePrefix: `${prefix}%`, limit: 100 })).entries.every((r) => r.phone.startsWith(prefix))).toBe(true);
    // Re-adding after removal creates a new active entry.
    expect((await dnc.add({ kind: 'internal', region: 'Acme', phone, by: 'agent-2', reason: 'asked again', now: NOW + 5 })).created).toBe(true);
  });

  it('upserts list sync records', async () => {
    const dnc = new DncRepository(getStore().db);
    const scope = uniqueName('212');
    await dnc.upsertSync({ kind: 'national', scope, syncedAt: '2026-11-01', numbers: 10, updatedAt: NOW });
    await dnc.upsertSync({ kind: 'national', scope, syncedAt: '2026-11-20', numbers: 12, updatedAt: NOW + 1 });
    expect(await dnc.getSync('national', scope)).toEqual({ kind: 'national', scope, syncedAt: '2026-11-20', numbers: 12, updatedAt: NOW + 1 });
    expect(await dnc.getSync('national', 'nope')).toBeUndefined();
    expect((await dnc.listSyncs('national')).filter((s) => s.scope === scope)).toHaveLength(1);
  });

  it('adds, lists and revokes consents per phone and seller', async () => {
    const consents = new ConsentsRepository(getStore().db);
    const phone = randomPhone();
    const written = await consents.add({ phone, seller: 'Acme', kind: 'written', scope: 'telemarketing', givenAt: NOW, source: 'https://acme.example/form' });
    const express = await consents.add({ phone, seller: 'Acme', kind: 'express', scope: 'informational', givenAt: NOW + 1, contactId: 'k1' });
    await consents.add({ phone, seller: 'Other', kind: 'written', scope: 'all', givenAt: NOW });
    expect((await consents.forPhone(phone, 'Acme')).map((c) => c.id)).toEqual([written.id, express.id]);
    expect(await consents.revoke(written.id, NOW + 10)).toBe(true);
    expect(await consents.revoke(written.id, NOW + 11)).toBe(false);
    expect((await consents.forPhone(phone, 'Acme'))[0]).toMatchObject({ revokedAt: NOW + 10, source: 'https://acme.example/form' });
    expect(await consents.revokeAll(phone, 'Acme', NOW + 20)).toBe(1);
    expect((await consents.forPhone(phone, 'Other'))[0]?.revokedAt).toBeNull();
  });

  it('appends audit entries and lists them newest first with filters', async () => {
    const audit = new AuditRepository(getStore().db);
    const user = uniqueName('user');
    const first = await audit.append({ at: NOW, userId: user, action: 'campaign.start', target: 'c1', detail: { reason: 'go' } });
    const second = await audit.append({ at: NOW + 1, userId: user, action: 'campaign.stop', target: 'c1', detail: null });
    expect(second).toBeGreaterThan(first);
    expect(await audit.list({ userId: user })).toEqual([
      { id: second, at: NOW + 1, userId: user, action: 'campaign.stop', target: 'c1', detail: null },
      { id: first, at: NOW, userId: user, action: 'campaign.start', target: 'c1', detail: { reason: 'go' } },
    ]);
    expect((await audit.list({ userId: user, action: 'campaign.start' })).map((e) => e.id)).toEqual([first]);
    expect((await audit.list({ userId: user, before: second })).map((e) => e.id)).toEqual([first]);
  });

  it('appends events with increasing seq, reads since a seq, prunes old ones', async () => {
    const events = new EventsRepository(getStore().db);
    const base = await events.lastSeq();
    const s1 = await events.append({ at: NOW, type: 'agent.state', campaignId: null, payload: { agent: 'a1', state: 'ready' } });
    const s2 = await events.append({ at: NOW + 1, type: 'attempt.ended', campaignId: 'c1', payload: { id: 'x' } });
    const s3 = await events.append({ at: NOW + 2, type: 'attempt.ended', campaignId: 'c2', payload: {} });
    expect(s1).toBeGreaterThan(base);
    expect([s2 > s1, s3 > s2]).toEqual([true, true]);
    expect(await events.lastSeq()).toBe(s3);
    expect(await events.since(s1, 10)).toEqual([
      { seq: s2, at: NOW + 1, type: 'attempt.ended', campaignId: 'c1', payload: { id: 'x' } },
      { seq: s3, at: NOW + 2, type: 'attempt.ended', campaignId: 'c2', payload: {} },
    ]);
    expect((await events.since(base, 2)).map((e) => e.seq)).toEqual([s1, s2]);
    expect((await events.since(base, 10, 'c2')).map((e) => e.seq)).toEqual([s3]);
    expect(await events.pruneOlderThan(NOW + 1)).toBeGreaterThanOrEqual(1);
    expect((await events.since(base, 10)).map((e) => e.seq)).toEqual([s2, s3]);
  });
});
