import type { CampaignSettings } from '@outdial/core/campaign/types';
import type { Db } from '@outdial/store/database';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import type { NewContact } from '@outdial/store/repositories/contacts.repository';
import { DncRepository } from '@outdial/store/repositories/dnc.repository';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { UsersRepository } from '@outdial/store/repositories/users.repository';
import { seededRandom } from '@outdial/core/random/seeded-random';
import { locateContact } from '@outdial/core/geo/locate';

export const DEMO_PASSWORD = 'demo';
export const DEMO_CAMPAIGN = 'Demo campaign';
export const PRACTICE_CAMPAIGN = 'Practice campaign';
export const DEMO_USERS = [
  { username: 'admin', displayName: 'Ada Admin', role: 'admin' },
  { username: 'supervisor', displayName: 'Sam Supervisor', role: 'supervisor' },
  { username: 'agent1', displayName: 'Alex Agent', role: 'agent' },
  { username: 'agent2', displayName: 'Bea Bot', role: 'agent' },
  { username: 'agent3', displayName: 'Cal Bot', role: 'agent' },
] as const;
/** Agents the demo simulates; agent1 is left for a person. */
export const SIMULATED_AGENTS = ['agent2', 'agent3'] as const;

/**
 * Area codes across every US zone plus Guam (UTC+10), and UK numbers, so that at any hour of the day some
 * demo contacts are inside their calling window: the demo dials around the clock while the compliance engine
 * visibly defers the rest.
 */
const AREA_CODES: ReadonlyArray<{ npa: string; region: string; postal: string; city: string }> = [
  { npa: '212', region: 'NY', postal: '10001', city: 'New York' }, { npa: '617', region: 'MA', postal: '02108', city: 'Boston' },
  { npa: '305', region: 'FL', postal: '33101', city: 'Miami' }, { npa: '404', region: 'GA', postal: '30301', city: 'Atlanta' },
  { npa: '312', region: 'IL', postal: '60601', city: 'Chicago' }, { npa: '214', region: 'TX', postal: '75201', city: 'Dallas' },
  { npa: '612', region: 'MN', postal: '55401', city: 'Minneapolis' }, { npa: '303', region: 'CO', postal: '80202', city: 'Denver' },
  { npa: '602', region: 'AZ', postal: '85001', city: 'Phoenix' }, { npa: '415', region: 'CA', postal: '94102', city: 'San Francisco' },
  { npa: '206', region: 'WA', postal: '98101', city: 'Seattle' }, { npa: '907', region: 'AK', postal: '99501', city: 'Anchorage' },
  { npa: '808', region: 'HI', postal: '96813', city: 'Honolulu' }, { npa: '671', region: 'GU', postal: '96910', city: 'Hagåtña' },
];
const FIRST = ['Maria', 'James', 'Linda', 'Robert', 'Patricia', 'Michael', 'Jennifer', 'David', 'Elizabeth', 'William', 'Susan', 'Richard', 'Jessica', 'Joseph', 'Sarah', 'Thomas', 'Karen', 'Charles', 'Nancy', 'Daniel'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee'];

const DEMO_COLUMN_MAPPING: Record<string, string> = {
  'First name': 'firstName', 'Last name': 'lastName', Phone: 'phone', State: 'region', ZIP: 'postalCode',
  'Home owner': 'homeOwner:boolean', Income: 'income:number', 'Last purchase': 'lastPurchaseAt:date',
};

const DEMO_DISPOSITIONS: CampaignSettings['dispositions'] = [
  { code: 'sale', label: 'Sale', action: 'final', sale: true },
  { code: 'not_interested', label: 'Not interested', action: 'final' },
  { code: 'callback', label: 'Call back', action: 'callback' },
  { code: 'dnc', label: 'Do not call', action: 'dnc' },
];

function campaignSettings(name: string, listId: string, training: boolean): Omit<CampaignSettings, 'id' | 'status'> {
  return {
    name,
    purpose: 'telemarketing',
    seller: 'Outdial Demo Solar',
    subject: 'solar',
    dialMode: training ? 'progressive' : 'predictive',
    pacingPolicy: training ? 'progressive' : 'outdial',
    abandonTarget: 0.03,
    regime: 'us30d',
    callerId: '+12028861234',
    scriptTemplate:
      'Hello {{firstName}}, this is {{agentName}} calling for Outdial Demo Solar. We are offering free solar assessments in {{city}}. ' +
      'Do you own your home? (Home owner on file: {{homeOwner}}.) If not interested, thank them and choose "Not interested".',
    dispositions: DEMO_DISPOSITIONS,
    retryRules: [
      { outcome: 'no_answer', action: 'retry', delayMinutes: 60 },
      { outcome: 'busy', action: 'retry', delayMinutes: 15 },
      { outcome: 'machine', action: 'retry', delayMinutes: 240 },
      { outcome: 'amd_hangup', action: 'retry', delayMinutes: 240 },
      { outcome: 'abandoned', action: 'retry', delayMinutes: 72 * 60 },
      { outcome: 'congestion', action: 'retry', delayMinutes: 5 },
      { outcome: 'failed', action: 'retry', delayMinutes: 30 },
      { outcome: 'invalid', action: 'final', delayMinutes: 0 },
      { outcome: 'rejected', action: 'final', delayMinutes: 0 },
    ],
    maxAttempts: 5,
    callingWindow: null,
    abandonMessagePromptId: 'abandon-default',
    ringTimeoutSeconds: 25,
    amd: true,
    prerecorded: false,
    training,
    filter: null,
    listIds: [listId],
  };
}

/** A NANP central-office code that is a subscriber exchange: 2-9 first digit, not N11, 555 or a special code. */
function exchange(random: { next(): number }): string {
  for (;;) {
    const code = 200 + Math.floor(random.next() * 800);
    const text = String(code);
    if (text.endsWith('11') || [555, 950, 958, 959, 976].includes(code)) continue;
    return text;
  }
}

/**
 * `ukOffset` shifts the list's UK numbers within Ofcom's 1000-number drama range, so no two demo lists share a phone
 * (a practice call would otherwise ring a number that is also a demo contact, with its callbacks).
 */
function demoContacts(listId: string, prefix: string, count: number, seed: number, ukOffset = 0): NewContact[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)] as T;
  const contacts: NewContact[] = [];
  for (let i = 0; i < count; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const uk = i % 8 === 7;
    // Only the simulated carrier ever dials demo contacts. UK numbers come from Ofcom's drama range (07700 900xxx);
    // NANP numbers need a real subscriber exchange (the compliance engine rejects 555-01xx as fictional).
    const area = AREA_CODES[i % AREA_CODES.length] as (typeof AREA_CODES)[number];
    const phone = uk ? `+447700900${String((i + ukOffset) % 1000).padStart(3, '0')}` : `+1${area.npa}${exchange(random)}${String(Math.floor(random.next() * 10_000)).padStart(4, '0')}`;
    contacts.push({
      listId,
      phone,
      firstName: first,
      lastName: last,
      email: `${first}.${last}${i}@example.com`.toLowerCase(),
      region: uk ? null : area.region,
      city: uk ? 'London' : area.city,
      postalCode: uk ? 'SW1A 1AA' : area.postal,
      country: uk ? 'GB' : 'US',
      lineType: random.next() < 0.6 ? 'landline' : 'unknown',
      attributes: {
        homeOwner: random.next() < 0.55,
        income: Math.round(25_000 + random.next() * 150_000),
        lastPurchaseAt: new Date(Date.UTC(2025, Math.floor(random.next() * 12), 1 + Math.floor(random.next() * 27))).toISOString().slice(0, 10),
      },
      importKey: `${prefix}-${i}`,
      sourceRow: i + 1,
    });
  }
  // One phone per contact: the fictional ranges repeat, keep the first of each. Candidate zones and jurisdictions
  // as an import works them out (area code plus postcode).
  const seen = new Set<string>();
  return contacts.filter((c) => (seen.has(c.phone) ? false : (seen.add(c.phone), true))).map((c) => {
    const located = locateContact({ phone: c.phone, country: c.country, postalCode: c.postalCode, region: c.region });
    return located.ok ? { ...c, timezones: located.zones, jurisdictions: located.jurisdictions } : c;
  });
}

/** Seeds the demo: users, a list, the demo and practice campaigns, and some do-not-call entries. Idempotent. */
export async function seedDemo(db: Db, now: number): Promise<void> {
  const users = new UsersRepository(db);
  const ids = new Map<string, string>();
  for (const u of DEMO_USERS) {
    const existing = await users.findByUsername(u.username);
    if (existing) {
      ids.set(u.username, existing.id);
      continue;
    }
    const created = await users.create({ ...u, password: DEMO_PASSWORD, now });
    if (!created.ok) throw new Error(`demo user ${u.username}: ${created.message}`);
    ids.set(u.username, created.value.id);
  }

  const campaigns = new CampaignsRepository(db);
  if (await campaigns.findByName(DEMO_CAMPAIGN)) return;
  const lists = new ListsRepository(db);
  const contacts = new ContactsRepository(db);
  const demoList = await lists.create({
    name: 'Demo list', vendor: 'Acme Leads (demo)', purchasedAt: '2026-11-01', costCents: 45_000,
    consentBasis: 'web form opt-in, one-to-one consent to calls from Outdial Demo Solar', consentMethod: 'web form',
    // As an import would have saved it: the typed custom attributes segmentation filters can use.
    columnMapping: DEMO_COLUMN_MAPPING, now,
  });
  const practiceList = await lists.create({ name: 'Practice list', vendor: 'training', consentBasis: 'practice data', columnMapping: DEMO_COLUMN_MAPPING, now });
  if (!demoList.ok || !practiceList.ok) throw new Error('demo lists could not be created');
  const inserted = await contacts.insertMany(demoContacts(demoList.value.id, 'demo', 1500, 7), now);
  // Demo UK numbers are 7 mod 8 in the range; the practice list's, 3 mod 8: no phone is in both lists.
  await contacts.insertMany(demoContacts(practiceList.value.id, 'practice', 200, 11, 500), now);
  if (!inserted.ok) throw new Error(`demo contacts: ${inserted.message}`);

  const demo = await campaigns.create({ ...campaignSettings(DEMO_CAMPAIGN, demoList.value.id, false), status: 'running', now });
  const practice = await campaigns.create({ ...campaignSettings(PRACTICE_CAMPAIGN, practiceList.value.id, true), status: 'running', now });
  if (!demo.ok || !practice.ok) throw new Error('demo campaigns could not be created');
  for (const name of ['agent1', 'agent2', 'agent3']) await campaigns.assignAgent(demo.value.id, ids.get(name) ?? '');
  await campaigns.assignAgent(practice.value.id, ids.get('agent1') ?? '');

  // A few numbers on do-not-call lists, so the supervisor sees blocks as well as calls.
  const dnc = new DncRepository(db);
  const sample = inserted.value.filter((_, i) => i % 97 === 5).slice(0, 12);
  for (const [i, c] of sample.entries()) {
    await dnc.add({ kind: i % 2 === 0 ? 'internal' : 'national', region: i % 2 === 0 ? 'Outdial Demo Solar' : null, phone: c.phone, by: 'demo', reason: 'demo entry', now });
  }
  // The demo's copies of the US national registry (per area code) and the UK TPS are fresh.
  const today = new Date(now).toISOString().slice(0, 10);
  for (const area of AREA_CODES) await dnc.upsertSync({ kind: 'national', scope: area.npa, syncedAt: today, numbers: 0, updatedAt: now });
  await dnc.upsertSync({ kind: 'tps', scope: 'GB', syncedAt: today, numbers: 0, updatedAt: now });
}
