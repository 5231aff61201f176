import { expect, it } from 'vitest';
import { AttemptsRepository } from '@outdial/store/repositories/attempts.repository';
import type { NewAttempt } from '@outdial/store/repositories/attempts.repository';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { forEachDialect, sampleCampaign, uniqueName } from '../../support/store-fixtures.ts';

const NOW = 1_700_000_000_000;
const DECISION = {
  id: 'req-1', verdict: 'allow', notBefore: null, reasons: [], evaluated: [{ rule: 'us.tcpa.hours', outcome: 'pass' }],
  evidence: { rulesVersion: 'test', zones: ['America/New_York'], jurisdictions: ['US'] },
};

forEachDialect('attempts repository', (getStore) => {
  async function newCampaign(overrides: { seller?: string; training?: boolean } = {}): Promise<string> {
    const created = await new CampaignsRepository(getStore().db).create(sampleCampaign({ name: uniqueName('c'), ...overrides }));
    if (!created.ok) throw new Error(created.message);
    return created.value.id;
  }

  function attempt(campaignId: string, overrides: Partial<NewAttempt> = {}): NewAttempt {
    return {
      campaignId, contactId: 'contact-1', phone: '+12125550400', attemptNo: 1, nodeId: 'node-a', dialedAt: NOW,
      decisionVerdict: 'allow', decision: DECISION, ...overrides,
    };
  }

  it('records a dial through answer, connect and end, keeping the decision JSON', async () => {
    const attempts = new AttemptsRepository(getStore().db);
    const campaignId = await newCampaign();
    const inserted = await attempts.insert(attempt(campaignId));
    if (!inserted.ok) throw new Error(inserted.message);
    const id = inserted.value.id;
    expect(await attempts.markAnswered(id, NOW + 5_000)).toBe(true);
    // The AMD verdict comes later and keeps the first answer time.
    expect(await attempts.markAnswered(id, NOW + 6_000, { verdict: 'human', ms: 1_800 })).toBe(true);
    expect(await attempts.get(id)).toMatchObject({ answeredAt: NOW + 5_000, amdVerdict: 'human', amdMs: 1_800 });
    expect(await attempts.markConnected(id, NOW + 5_500, 'agent-1')).toBe(true);
    expect(await attempts.markEnded(id, { at: NOW + 65_000, outcome: 'answered', sipCode: 200, q850: 16 })).toBe(true);
    expect(await attempts.markEnded(id, { at: NOW + 70_000, outcome: 'failed' })).toBe(false);
    expect(await attempts.markAnswered(id, NOW + 71_000, { verdict: 'machine' })).toBe(false);
    expect(await attempts.markAnswered('no-such-attempt', NOW)).toBe(false);
    expect(await attempts.get(id)).toEqual({
      ...inserted.value,
      answeredAt: NOW + 5_000, amdVerdict: 'human', amdMs: 1_800, connectedAt: NOW + 5_500, agentId: 'agent-1',
      endedAt: NOW + 65_000, outcome: 'answered', sipCode: 200, q850: 16,
    });
    expect(inserted.value.decision).toEqual(DECISION);
    expect(inserted.value).toMatchObject({ abandoned: false, abandonMessagePlayed: false, training: false, decisionVerdict: 'allow' });
  });

  it('refuses an attempt for an unknown campaign', async () => {
    const attempts = new AttemptsRepository(getStore().db);
    expect(await attempts.insert(attempt('no-such-campaign'))).toMatchObject({ ok: false, error: 'unknown_campaign' });
  });

  it('reconciles open attempts of one node, then of every node, as interrupted', async () => {
    const attempts = new AttemptsRepository(getStore().db);
    const campaignId = await newCampaign();
    const nodeA = uniqueName('node');
    const nodeB = uniqueName('node');
    const open1 = await attempts.insert(attempt(campaignId, { nodeId: nodeA }));
    const open2 = await attempts.insert(attempt(campaignId, { nodeId: nodeB }));
    const ended = await attempts.insert(attempt(campaignId, { nodeId: nodeA }));
    if (!open1.ok || !open2.ok || !ended.ok) throw new Error('insert failed');
    await attempts.markEnded(ended.value.id, { at: NOW + 1, outcome: 'busy', sipCode: 486 });
    expect(await attempts.reconcileOpen({ nodeId: nodeA, now: NOW + 10 })).toEqual([open1.value.id]);
    expect((await attempts.listOpen(campaignId)).map((a) => a.id)).toEqual([open2.value.id]);
    expect(await attempts.reconcileOpen({ now: NOW + 20 })).toContain(open2.value.id);
    expect(await attempts.listOpen(campaignId)).toEqual([]);
    expect(await attempts.get(open1.value.id)).toMatchObject({ outcome: 'interrupted', endedAt: NOW + 10 });
    expect(await attempts.get(ended.value.id)).toMatchObject({ outcome: 'busy', endedAt: NOW + 1 });
  });

  it('gives a phone history newest first, since a time, with campaign facts, training left out', async () => {
    const attempts = new AttemptsRepository(getStore().db);
    const sold = await newCampaign({ seller: 'Seller One' });
    const practice = await newCampaign({ training: true });
    const phone = `+1212555${String(Math.floor(Math.random() * 9000) + 1000)}`;
    const old = await attempts.insert(attempt(sold, { phone, dialedAt: NOW - 10_000 }));
    const recent = await attempts.insert(attempt(sold, { phone, dialedAt: NOW - 1_000 }));
    const newest = await attempts.insert(attempt(sold, { phone, dialedAt: NOW }));
    await attempts.insert(attempt(practice, { phone, dialedAt: NOW, training: true }));
    await attempts.insert(attempt(sold, { phone: '+19999999999', dialedAt: NOW }));
    if (!old.ok || !recent.ok || !newest.ok) throw new Error('insert failed');
    await attempts.markEnded(recent.value.id, { at: NOW - 500, outcome: 'no_answer' });
    const history = await attempts.historyForPhone(phone, NOW - 5_000);
    expect(history.map((h) => h.attemptId)).toEqual([newest.value.id, recent.value.id]);
    expect(history[1]).toMatchObject({
      campaignId: sold, dialedAt: NOW - 1_000, outcome: 'no_answer', seller: 'Seller One', subject: 'solar panels',
      dialMode: 'progressive', prerecorded: false, purpose: 'telemarketing', abandoned: false,
    });
    expect(await attempts.historyForPhone(phone, NOW - 20_000, 1)).toHaveLength(1);
  });

  it('counts live answers and abandoned calls in a window, with their ids, training excluded', async () => {
    const attempts = new AttemptsRepository(getStore().db);
    const campaignId = await newCampaign();
    async function dial(at: number, outcome: 'answered' | 'abandoned' | 'machine' | 'no_answer', options: { training?: boolean } = {}) {
      const inserted = await attempts.insert(attempt(campaignId, { dialedAt: at, training: options.training ?? false }));
      if (!inserted.ok) throw new Error(inserted.message);
      if (outcome !== 'no_answer') await attempts.markAnswered(inserted.value.id, at + 1_000);
      await attempts.markEnded(inserted.value.id, {
        at: at + 2_000, outcome, abandoned: outcome === 'abandoned', abandonMessagePlayed: outcome === 'abandoned',
      });
      return inserted.value.id;
    }
    const live1 = await dial(NOW, 'answered');
    const abandoned = await dial(NOW + 10_000, 'abandoned');
    await dial(NOW + 20_000, 'machine');
    await dial(NOW + 30_000, 'no_answer');
    await dial(NOW + 40_000, 'answered', { training: true });
    await dial(NOW + 100_000, 'answered'); // answered at NOW + 101_000: outside [NOW, NOW + 100_000)
    const counts = await attempts.windowCounts(campaignId, NOW, NOW + 100_000);
    expect(counts).toEqual({ liveAnswers: 2, abandoned: 1, liveAnswerIds: [live1, abandoned], abandonedIds: [abandoned] });
    expect(await attempts.get(abandoned)).toMatchObject({ abandoned: true, abandonMessagePlayed: true, outcome: 'abandoned' });
    expect(await attempts.windowCounts(campaignId, NOW + 1_001, NOW + 100_000)).toMatchObject({ liveAnswers: 1, abandoned: 1 });
  });

  it('lists attempts by campaign, contact and time, newest first, limited', async () => {
    const attempts = new AttemptsRepository(getStore().db);
    const campaignId = await newCampaign();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await attempts.insert(attempt(campaignId, { dialedAt: NOW + i * 1_000, contactId: i % 2 === 0 ? 'even' : 'odd' }));
      if (!r.ok) throw new Error(r.message);
      ids.push(r.value.id);
    }
    expect((await attempts.list({ campaignId })).map((a) => a.id)).toEqual([...ids].reverse());
    expect((await attempts.list({ campaignId, contactId: 'even' })).map((a) => a.id)).toEqual([ids[2], ids[0]]);
    expect((await attempts.list({ campaignId, since: NOW + 2_000 })).map((a) => a.id)).toEqual([ids[3], ids[2]]);
    expect((await attempts.list({ campaignId, limit: 1 })).map((a) => a.id)).toEqual([ids[3]]);
  });
});
