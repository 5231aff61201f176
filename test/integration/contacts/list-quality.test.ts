import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { ListQualityRepository } from '@outdial/store/repositories/contact-import-quality.repository';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { DncLists } from '@outdial/contacts/dnc/dnc-lists';
import { importContacts } from '@outdial/contacts/import/import-pipeline';
import { forEachDialect, sampleCampaign, uniqueName } from '../../support/store-fixtures.ts';

const NOW = Date.UTC(2026, 10, 27);
const dir = mkdtempSync(join(tmpdir(), 'outdial-quality-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

forEachDialect('list-vendor quality report', (getStore) => {
  it('counts contacts reached, sales, do-not-call hits, invalid numbers and the cost per sale', async () => {
    const db = getStore().db;
    const list = await new ListsRepository(db).create({ name: uniqueName('vendor'), vendor: 'LeadCo', purchasedAt: '2026-11-01', costCents: 50_000, consentBasis: 'web form', consentMethod: 'checkbox', now: NOW });
    if (!list.ok) throw new Error(list.message);
    const path = join(dir, `${getStore().kind}.csv`);
    writeFileSync(path, 'phone\n2122010801\n2122010802\n2122010803\n2122010804\nnot a phone\n');
    const registry = join(dir, `${getStore().kind}-reg.txt`);
    writeFileSync(registry, '2122010804\n');
    const binary = join(dir, `${getStore().kind}.bin`);
    await DncLists.open(db, binary).loadNational([registry], '2026-11-20', NOW);
    await importContacts({ db, file: path, listId: list.value.id, dnc: DncLists.open(db, binary), now: () => NOW });

    const campaign = await new CampaignsRepository(db).create(sampleCampaign({
      name: uniqueName('q'), listIds: [list.value.id],
      dispositions: [{ code: 'sale', label: 'Sale', action: 'final', sale: true }, { code: 'no', label: 'No', action: 'final' }],
    }));
    if (!campaign.ok) throw new Error(campaign.message);
    const contacts = await db.selectFrom('contacts').select(['id', 'phone']).where('list_id', '=', list.value.id).orderBy('phone').execute();
    const attempt = (i: number, contactId: string, phone: string, connected: boolean) => ({
      id: `att-${getStore().kind}-${i}`, campaign_id: campaign.value.id, contact_id: contactId, phone, attempt_no: 1, node_id: null, dialed_at: NOW,
      answered_at: connected ? NOW + 1000 : null, connected_at: connected ? NOW + 1500 : null, ended_at: NOW + 60_000, outcome: connected ? 'answered-human' : 'no-answer',
      sip_code: null, q850: null, amd_verdict: null, amd_ms: null, agent_id: null, abandoned: 0, abandon_message_played: 0, decision_verdict: 'ALLOW',
      decision_json: '{}', training: 0, created_at: NOW,
    });
    const [a, b, c] = contacts;
    if (!a || !b || !c) throw new Error('contacts missing');
    await db.insertInto('attempts').values([attempt(1, a.id, a.phone, true), attempt(2, b.id, b.phone, true), attempt(3, c.id, c.phone, false)]).execute();
    await db.insertInto('dispositions').values([
      { id: `d1-${getStore().kind}`, attempt_id: null, contact_id: a.id, campaign_id: campaign.value.id, agent_id: null, code: 'sale', notes: null, callback_at: null, created_at: NOW },
      { id: `d2-${getStore().kind}`, attempt_id: null, contact_id: b.id, campaign_id: campaign.value.id, agent_id: null, code: 'no', notes: null, callback_at: null, created_at: NOW },
    ]).execute();

    expect(await new ListQualityRepository(db).report(list.value.id)).toEqual({
      listId: list.value.id, vendor: 'LeadCo', purchasedAt: '2026-11-01', costCents: 50_000, consentBasis: 'web form', consentMethod: 'checkbox',
      contacts: 4, attempted: 3, contacted: 2, contactRate: 2 / 3, conversions: 1, dncHits: 1, invalidNumbers: 1, costPerSaleCents: 50_000,
    });
  });
});
