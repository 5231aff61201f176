import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nationalRegistryPath } from '@outdial/contacts/dnc/data-dir';
import { NationalRegistry } from '@outdial/contacts/dnc/national-registry';
import { createComplianceGate } from '@outdial/core/compliance/gate';
import type { ComplianceGate } from '@outdial/core/compliance/types';
import { startServer } from '@outdial/server/server';
import type { RunningServer } from '@outdial/server/server';
import { migrate, openStore } from '@outdial/store/database';
import { UsersRepository } from '@outdial/store/repositories/users.repository';
import { skipUnless } from '../../support/require.ts';
import { buildAudioFixtures } from './support/audio.ts';
import { hasTool, loopback, startSipp } from './support/peers.ts';
import type { Peer } from './support/peers.ts';
import { channelLevel } from './support/wav-level.ts';

const missing = skipUnless(hasTool('sipp') && hasTool('espeak-ng') && hasTool('sox'), 'sipp, espeak-ng and sox');

const HUMAN = '+12122010141';
const MACHINE = '+12122010142';
const BUSY = '+12122010143';
// The campaign's calls are judged at a fixed weekday noon in New York, so the calling-hours rules allow them
// whenever the test runs; every other rule of the real gate applies.
const gate: ComplianceGate = { check: (request) => createComplianceGate().check({ ...request, at: '2026-11-18T17:00:00.000Z' }) };

interface Me { state: string; reason: string | null; call: { attemptId: string } | null }

describe.skipIf(missing)('a campaign through the REST API on the sip driver (SIPp carrier, SIPp agent phone calling in)', () => {
  let dir = '';
  let server: RunningServer | undefined;
  const peers: Peer[] = [];
  let admin: Record<string, string> = {};
  let agent: Record<string, string> = {};
  let agentId = '';

  async function signIn(username: string, password: string): Promise<Record<string, string>> {
    const res = await server!.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'outdial_sid');
    return { cookie: `outdial_sid=${cookie?.value ?? ''}`, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken };
  }

  async function api(method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object): Promise<unknown> {
    const res = await server!.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(200);
    return res.json();
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) {
        const attempts = await server!.store.db.selectFrom('attempts').select(['phone', 'outcome', 'sip_code', 'amd_verdict', 'connected_at', 'ended_at']).execute();
        const me = await server!.app.inject({ method: 'GET', url: '/api/v1/agent/me', headers: agent });
        throw new Error(`timed out waiting for ${what}; attempts ${JSON.stringify(attempts)}; agent ${me.body}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'outdial-sip-server-'));
    buildAudioFixtures(dir);
    const db = `sqlite:${path.join(dir, 'outdial.db')}`;
    // A national do-not-call registry copy for area code 212, synced the day before the calls are judged, listing none
    // of the campaign's numbers.
    const registry = new NationalRegistry();
    registry.replaceAreaCode(212, new Uint8Array(1_250_000), '2026-11-17');
    registry.save(nationalRegistryPath(dir));
    // The users exist before the server starts: it learns agents' usernames (their phones' extensions) at start.
    const store = await openStore(db);
    await migrate(store.db);
    const users = new UsersRepository(store.db, { cost: 1024 });
    await users.create({ username: 'admin', displayName: 'Admin', role: 'admin', password: 'admin-pw', now: Date.now() });
    const created = await users.create({ username: 'agent1', displayName: 'Agent One', role: 'agent', password: 'agent-pw', now: Date.now() });
    if (!created.ok) throw new Error(created.message);
    agentId = created.value.id;
    await store.close();
    server = await startServer({
      port: 0, host: '127.0.0.1', db, dataDir: dir, logLevel: 'silent', telephony: 'sip',
      sip: {
        host: loopback(220), port: 5060, trunk: `sip:${loopback(221)}:5060`,
        mediaHost: loopback(220), mediaPortMin: 34000, mediaPortMax: 34100,
        agentUri: 'agent:{username}', agentExtensions: { agent1: 'phone-pw' }, agentCallInNumber: '8000',
        recordingDir: path.join(dir, 'recordings'), recordCalls: true,
      },
    }, { info: () => undefined, error: (msg: string, error?: unknown) => console.error(msg, error) }, { gate });
    admin = await signIn('admin', 'admin-pw');
    agent = await signIn('agent1', 'agent-pw');
  });

  afterAll(async () => {
    await server?.close();
    for (const p of peers) p.stop();
    if (process.env['OUTDIAL_SIP_TRACE'] === '1') console.warn(`SIPp traces kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('dials the list, bridges the person to the agent, records and stores the disposition; the phone hanging up pauses the agent', async () => {
    const carrier = await startSipp({ scenario: 'carrier', host: loopback(221), cwd: dir, calls: 3, timeoutS: 90 });
    peers.push(carrier);

    const list = (await api('POST', '/api/v1/lists', admin, { name: 'sip-campaign' })) as { id: string };
    const boundary = '----outdialsip';
    const csv = `Phone,First name,State,ZIP,Line\n${HUMAN},Hana,NY,10001,landline\n${MACHINE},Max,NY,10001,landline\n${BUSY},Bea,NY,10001,landline\n`;
    const fields = [['map', 'Phone=phone'], ['map', 'First name=firstName'], ['map', 'State=region'], ['map', 'ZIP=postalCode'], ['map', 'Line=lineType']];
    const body = [...fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`].join('');
    const imported = await server!.app.inject({ method: 'POST', url: `/api/v1/lists/${list.id}/imports`, headers: { ...admin, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    expect(imported.json(), imported.body).toMatchObject({ imported: 3 });

    const campaign = (await api('POST', '/api/v1/campaigns', admin, {
      name: 'SIP campaign', purpose: 'telemarketing', seller: 'Outdial Test', subject: 'tests', dialMode: 'progressive', pacingPolicy: 'progressive',
      abandonTarget: 0.03, regime: 'us30d', callerId: '+12028861234', scriptTemplate: 'Hello {{firstName}}',
      dispositions: [{ code: 'sale', label: 'Sale', action: 'final', sale: true }, { code: 'not_interested', label: 'Not interested', action: 'final' }, { code: 'dnc', label: 'Do not call', action: 'dnc' }],
      retryRules: [{ outcome: 'busy', action: 'final', delayMinutes: 0 }, { outcome: 'machine', action: 'final', delayMinutes: 0 }],
      maxAttempts: 1, callingWindow: null, abandonMessagePromptId: 'abandon-default', ringTimeoutSeconds: 20, amd: true, prerecorded: false,
      training: false, filter: null, listIds: [list.id],
    })) as { id: string };
    const assigned = await server!.app.inject({ method: 'PATCH', url: `/api/v1/users/${agentId}`, headers: admin, payload: { campaignIds: [campaign.id] } });
    expect(assigned.statusCode, assigned.body).toBe(200);
    await api('POST', `/api/v1/campaigns/${campaign.id}/resume`, admin);

    // The agent's phone calls in first (SIPp, echoing what it hears) and is parked; going Ready makes it their leg.
    const phone = await startSipp({
      scenario: 'agent-callin', host: loopback(222), cwd: dir, timeoutS: 90,
      extraArgs: [`${loopback(220)}:5060`, '-s', '8000', '-key', 'ext', 'agent1', '-au', 'agent1', '-ap', 'phone-pw', '-set', 'hold_ms', '35000', '-rtp_echo'],
    });
    peers.push(phone);
    await new Promise((r) => setTimeout(r, 1000));
    await api('POST', '/api/v1/agent/ready', agent);

    const onCall = await until('the person bridged to the agent', async () => {
      const me = (await api('GET', '/api/v1/agent/me', agent)) as Me;
      return me.state === 'on_call' && me.call ? me.call : undefined;
    }, 40_000);
    await new Promise((r) => setTimeout(r, 3500)); // let the two talk (the echo) before the agent closes the call
    await api('POST', '/api/v1/agent/disposition', agent, { code: 'sale', notes: 'over SIP' });

    const db = server!.store.db;
    const ended = await until('all three attempts ended', async () => {
      const rows = await db.selectFrom('attempts').selectAll().where('campaign_id', '=', campaign.id).where('ended_at', 'is not', null).execute();
      return rows.length === 3 ? rows : undefined;
    }, 40_000);
    const byPhone = new Map(ended.map((r) => [r.phone, r]));
    expect(byPhone.get(BUSY)).toMatchObject({ outcome: 'busy', sip_code: 486, q850: 17, connected_at: null });
    expect(byPhone.get(MACHINE)).toMatchObject({ amd_verdict: 'machine', connected_at: null });
    const person = byPhone.get(HUMAN);
    expect(person).toMatchObject({ id: onCall.attemptId, amd_verdict: 'human', agent_id: agentId });
    expect(person?.connected_at).not.toBeNull();

    const disposition = await until('the disposition', () => db.selectFrom('dispositions').selectAll().where('attempt_id', '=', onCall.attemptId).executeTakeFirst(), 10_000);
    expect(disposition).toMatchObject({ code: 'sale', notes: 'over SIP' });

    // The recording: stored with the attempt, visible in the API, a stereo WAV with the person on the left and,
    // after the bridge, what came back through the agent's phone on the right.
    const attempt = await until('the recording stored', async () => {
      const a = (await api('GET', `/api/v1/attempts/${onCall.attemptId}`, admin)) as { recordingPath: string | null; recordingMs: number; answeredAt: number; connectedAt: number };
      return a.recordingPath ? a : undefined;
    }, 10_000);
    const file = attempt.recordingPath ?? '';
    expect(existsSync(file)).toBe(true);
    const wav = readFileSync(file);
    expect(wav.readUInt16LE(22)).toBe(2);
    expect(wav.length).toBeGreaterThan(44 + 8000 * 4);
    expect(attempt.recordingMs).toBe(Math.round(((wav.length - 44) / 4 / 8000) * 1000));
    const bridgeS = (attempt.connectedAt - attempt.answeredAt) / 1000;
    expect(channelLevel(file, 0, 0, bridgeS)).toBeGreaterThan(100);
    expect(channelLevel(file, 1, bridgeS, attempt.recordingMs / 1000)).toBeGreaterThan(100);
    expect(byPhone.get(MACHINE)?.recording_path).toMatch(/\.wav$/);
    expect(byPhone.get(BUSY)?.recording_path).toBeNull();

    // The phone hangs up (SIPp's BYE after hold_ms): the leg is down and the agent is no longer Ready.
    const paused = await until('the agent paused by the phone hanging up', async () => {
      const me = (await api('GET', '/api/v1/agent/me', agent)) as Me;
      return me.state === 'paused' ? me : undefined;
    }, 40_000);
    expect(paused.reason).toBe('leg_down');
    expect(await phone.exited, phone.output()).toBe(0);
    expect(await carrier.exited, carrier.output()).toBe(0);
  });
});
