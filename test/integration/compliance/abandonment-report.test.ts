import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { ukCalendarDays, us30DayPeriods } from '@outdial/core/compliance/abandonment-periods';
import { complianceCsvHeader, complianceCsvRow } from '@outdial/core/compliance/compliance-export';
import { migrate, openStore } from '@outdial/store/database';
import type { Db } from '@outdial/store/database';
import { AbandonmentReportRepository } from '@outdial/store/repositories/abandonment-report.repository';
import { AttemptsRepository } from '@outdial/store/repositories/attempts.repository';
import type { AttemptOutcome } from '@outdial/core/campaign/types';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { main } from '../../../packages/cli/src/main.ts';
import { forEachDialect, sampleCampaign, uniqueName } from '../../support/store-fixtures.ts';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5, 15, 0, 0);
const DECISION = { id: 'd', verdict: 'allow', notBefore: null, reasons: [], evaluated: [], evidence: { rulesVersion: 'rules-test-1', zones: [], jurisdictions: [] } };

async function seedCampaign(db: Db, name: string, regime: 'us30d' | 'uk24h', calls: Array<{ at: number; outcome: AttemptOutcome; abandoned?: boolean; agent?: boolean }>, training = false): Promise<string> {
  const created = await new CampaignsRepository(db).create(sampleCampaign({ name, regime, training }));
  if (!created.ok) throw new Error(created.message);
  const attempts = new AttemptsRepository(db);
  let i = 0;
  for (const call of calls) {
    i += 1;
    const inserted = await attempts.insert({ campaignId: created.value.id, contactId: `k${i}`, phone: `+1212201${String(1000 + i).slice(-4)}`, attemptNo: 1, dialedAt: call.at, decisionVerdict: 'allow', decision: DECISION, training });
    if (!inserted.ok) throw new Error(inserted.message);
    if (call.outcome === 'answered' || call.outcome === 'abandoned') await attempts.markAnswered(inserted.value.id, call.at + 5_000);
    if (call.agent) await attempts.markConnected(inserted.value.id, call.at + 5_500, 'agent-1');
    await attempts.markEnded(inserted.value.id, { at: call.at + 65_000, outcome: call.outcome, abandoned: call.abandoned ?? call.outcome === 'abandoned' });
  }
  return created.value.id;
}

/** 100 live answers and 4 abandoned in the first 30 days, 50 answers and 1 abandoned in the next period. */
function usCalls() {
  const calls: Array<{ at: number; outcome: AttemptOutcome; agent?: boolean }> = [];
  for (let i = 0; i < 96; i += 1) calls.push({ at: START + i * 6 * 3_600_000, outcome: 'answered', agent: true });
  for (let i = 0; i < 4; i += 1) calls.push({ at: START + DAY + i * 3_600_000, outcome: 'abandoned' });
  for (let i = 0; i < 10; i += 1) calls.push({ at: START + 2 * DAY + i * 3_600_000, outcome: 'no_answer' });
  for (let i = 0; i < 49; i += 1) calls.push({ at: START + 31 * DAY + i * 3_600_000, outcome: 'answered', agent: true });
  calls.push({ at: START + 32 * DAY, outcome: 'abandoned' });
  return calls;
}

forEachDialect('abandonment report', (getStore) => {
  it('counts per successive 30-day period from the first call, training left out', async () => {
    const db = getStore().db;
    const id = await seedCampaign(db, uniqueName('us'), 'us30d', usCalls());
    await seedCampaign(db, uniqueName('practice'), 'us30d', [{ at: START, outcome: 'abandoned' }], true);
    const repository = new AbandonmentReportRepository(db);
    const first = await repository.firstCallAt(id);
    expect(first).toBe(START);
    const now = START + 40 * DAY;
    const periods = us30DayPeriods(START, now, await repository.hourCounts(id, START, now + 1));
    expect(periods.map((p) => [p.liveAnswers, p.abandoned, p.rate, p.overLimit])).toEqual([
      [100, 4, 0.04, true],
      [50, 1, 0.02, false],
    ]);
    expect(periods[1]?.start).toBe(START + 30 * DAY);
  });

  it('counts UK calendar days with the AMD false-positive estimate', async () => {
    const db = getStore().db;
    // 23:30 UTC on 1 July is 00:30 BST on 2 July: it belongs to the second UK day.
    const day = Date.UTC(2026, 6, 1, 9, 0, 0);
    const calls: Array<{ at: number; outcome: AttemptOutcome }> = [];
    for (let i = 0; i < 40; i += 1) calls.push({ at: day + i * 60_000, outcome: 'answered' });
    calls.push({ at: day + 3_600_000, outcome: 'abandoned' });
    for (let i = 0; i < 20; i += 1) calls.push({ at: day + 2 * 3_600_000 + i * 60_000, outcome: 'amd_hangup' });
    calls.push({ at: Date.UTC(2026, 6, 1, 23, 30, 0), outcome: 'abandoned' });
    const id = await seedCampaign(db, uniqueName('uk'), 'uk24h', calls);
    const repository = new AbandonmentReportRepository(db);
    const now = Date.UTC(2026, 6, 2, 12, 0, 0);
    const days = ukCalendarDays(day, now, await repository.hourCounts(id, day, now + 1), 0.05);
    expect(days).toHaveLength(2);
    // Day 1: 41 live, 1 abandoned, 20 machine × 5 % = 1 false positive → 2 / 42.
    expect(days[0]).toMatchObject({ liveAnswers: 41, abandoned: 1, amdMachine: 20, amdFalsePositiveEstimate: 1, overLimit: true });
    expect(days[0]?.start).toBe(Date.UTC(2026, 5, 30, 23, 0, 0));
    expect(days[1]).toMatchObject({ liveAnswers: 1, abandoned: 1 });
  });

  it('exports the TSR 310.5 records with dispositions and the rules version', async () => {
    const db = getStore().db;
    const id = await seedCampaign(db, uniqueName('export'), 'us30d', [
      { at: START, outcome: 'answered', agent: true },
      { at: START + 1000, outcome: 'abandoned' },
      { at: START + 2000, outcome: 'no_answer' },
    ]);
    const repository = new AbandonmentReportRepository(db);
    const records = [];
    for await (const record of repository.complianceRecords({ campaignId: id, telemarketer: 'Outdial Test Center' }, 2)) records.push(record);
    expect(records.map((r) => r.disposition)).toEqual(['transferred', 'dropped', 'no_answer']);
    expect(records[0]).toMatchObject({ seller: 'Acme Solar', telemarketer: 'Outdial Test Center', durationSeconds: 60, rulesVersion: 'rules-test-1', calledNumber: '+12122011001', outbound: true });
    const csv = complianceCsvHeader() + records.map(complianceCsvRow).join('');
    expect(csv.split('\r\n')[0]).toContain('callingNumber,callerIdName,calledNumber,dialedAt');
    expect(csv).toContain('+12122011001');
  });
});

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

it('outdial report abandonment --json prints the periods, exit 2 for an unknown campaign', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outdial-abandon-'));
  dirs.push(dir);
  const url = `sqlite:${join(dir, 'outdial.db')}`;
  const store = await openStore(url);
  await migrate(store.db);
  await seedCampaign(store.db, 'Spring', 'us30d', usCalls());
  await store.close();
  const run = async (argv: string[]) => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const code = await main(argv, { stdin: Readable.from([]), stdout, stderr: new PassThrough(), env: {} });
    return { code, text: Buffer.concat(chunks).toString('utf8') };
  };
  const result = await run(['report', 'abandonment', '--campaign', 'Spring', '--json', '--db', url]);
  expect(result.code).toBe(0);
  const report = JSON.parse(result.text) as { window: string; periods: Array<{ liveAnswers: number; abandoned: number; overLimit: boolean }>; overLimit: boolean };
  expect(report.window).toBe('30d');
  expect(report.periods[0]).toMatchObject({ liveAnswers: 100, abandoned: 4, overLimit: true });
  expect(report.overLimit).toBe(true);
  expect((await run(['report', 'abandonment', '--campaign', 'Nope', '--db', url])).code).toBe(2);
  expect((await run(['report', 'abandonment', '--campaign', 'Spring', '--window', '7d', '--db', url])).code).toBe(2);
});
