import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriverEvent } from '@outdial/core/telephony/driver';
import { SipDriver } from '@outdial/driver-sip/sip-driver';
import { skipUnless } from '../../support/require.ts';
import { buildAudioFixtures } from './support/audio.ts';
import { EventLog, hasTool, loopback, startSipp } from './support/peers.ts';
import type { Peer } from './support/peers.ts';
import { probe } from './support/sip-probe.ts';
import { channelLevel } from './support/wav-level.ts';

const missing = skipUnless(hasTool('sipp') && hasTool('espeak-ng') && hasTool('sox'), 'sipp, espeak-ng and sox');

const EXTENSIONS = { '1001': 'pw-1001', '1002': 'pw-1002', '1003': 'pw-1003' };
let dir = '';
const peers: Peer[] = [];
const drivers: SipDriver[] = [];

async function driverFor(n: number, trunkHost: string, callInWaitMs = 30_000): Promise<{ driver: SipDriver; log: EventLog }> {
  const driver = new SipDriver({
    sip: { host: loopback(n), port: 5060 },
    trunk: { uri: `sip:${trunkHost}:5060` },
    media: { host: loopback(n), portMin: 33000, portMax: 33100 },
    agentPhones: { extensions: EXTENSIONS, callInNumber: '8000', callInWaitMs },
    recordingDir: path.join(dir, 'recordings'),
  });
  drivers.push(driver);
  const log = new EventLog(driver);
  await driver.start();
  return { driver, log };
}

/** SIPp as an agent's phone calling in to the driver at `driverHost` (number 8000), echoing the audio it gets. */
async function phoneCallingIn(n: number, driverHost: string, ext: keyof typeof EXTENSIONS, holdMs: number): Promise<Peer> {
  const peer = await startSipp({
    scenario: 'agent-callin',
    host: loopback(n),
    cwd: dir,
    timeoutS: 40,
    extraArgs: [`${driverHost}:5060`, '-s', '8000', '-key', 'ext', ext, '-au', ext, '-ap', EXTENSIONS[ext], '-set', 'hold_ms', String(holdMs), '-rtp_echo'],
  });
  peers.push(peer);
  return peer;
}

const isLeg = (legId: string, state: 'up' | 'down') => (e: DriverEvent): boolean => e.type === 'agent-leg' && e.legId === legId && e.state === state;

describe.skipIf(missing)('agents phones registering and calling in (SIPp phones)', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outdial-sip-agents-'));
    buildAudioFixtures(dir);
  });
  afterAll(async () => {
    for (const p of peers) p.stop();
    for (const d of drivers) await d.stop();
    if (process.env['OUTDIAL_SIP_TRACE'] === '1') console.warn(`SIPp traces kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('refuses strangers (404 another number, 403 unknown extension or wrong password) and times out a phone that never calls', async () => {
    const { driver, log } = await driverFor(210, loopback(201), 400);
    const at = { host: loopback(210), port: 5060 };
    const codes = async (r: Parameters<typeof probe>[2]): Promise<number[]> => (await probe(loopback(211), at, r)).map((res) => res.status);
    const right = { username: '1001', password: 'pw-1001' };
    expect(await codes({ method: 'INVITE', uri: `sip:9999@${at.host}`, user: '1001', credentials: right })).toEqual([404]);
    expect(await codes({ method: 'INVITE', uri: `sip:8000@${at.host}`, user: '7777', credentials: right })).toEqual([403]);
    expect(await codes({ method: 'INVITE', uri: `sip:8000@${at.host}`, user: '1001', credentials: { username: '1001', password: 'wrong' } })).toEqual([401, 403]);
    // Credentials of one extension do not register another.
    expect(await codes({ method: 'REGISTER', uri: `sip:${at.host}`, user: '1001', credentials: { username: '1002', password: 'pw-1002' } })).toEqual([401, 403]);
    expect(await codes({ method: 'REGISTER', uri: `sip:${at.host}`, user: '1002', credentials: { username: '1002', password: 'pw-1002' } })).toEqual([401, 200]);
    expect(log.events.filter((e) => e.type === 'agent-leg')).toEqual([]);

    const legId = driver.openAgentLeg({ agentId: 'a9', target: 'agent:1001' });
    expect(await log.waitFor(isLeg(legId, 'down'), 5000)).toMatchObject({ cause: expect.stringContaining('did not call in') });
    const unknown = driver.openAgentLeg({ agentId: 'a8', target: 'agent:4242' });
    expect(await log.waitFor(isLeg(unknown, 'down'), 5000)).toMatchObject({ cause: expect.stringContaining('4242') });
  });

  it('answers an agent phone calling in as the agent leg, bridges a customer through it, and takes the leg down on the phone BYE', async () => {
    const person = await startSipp({ scenario: 'human', host: loopback(202), cwd: dir, timeoutS: 40 });
    peers.push(person);
    const { driver, log } = await driverFor(212, person.host);
    const legId = driver.openAgentLeg({ agentId: 'a1', target: 'agent:1001' });
    const phone = await phoneCallingIn(203, loopback(212), '1001', 12_000);
    expect(await log.waitFor(isLeg(legId, 'up'), 10_000)).toMatchObject({ agentId: 'a1' });

    let bridgedAt = 0;
    driver.onEvent((e) => {
      if (e.type === 'amd' && e.result === 'human') driver.bridge(e.callId, legId);
      if (e.type === 'bridged') {
        bridgedAt = e.at;
        setTimeout(() => driver.hangup(e.callId), 3000);
      }
    });
    driver.originate({ callId: 'in-human', to: '+15555551001', from: '+15555550199', ringTimeoutMs: 10_000, amd: { maxMs: 5000 }, record: true, contactId: 'c1', attemptNo: 1 });
    expect(await log.ended('in-human', 30_000)).toMatchObject({ outcome: 'answered-human' });
    expect(log.of('in-human').find((e) => e.type === 'bridged')).toMatchObject({ agentLegId: legId });
    // What the customer heard after the bridge came back through the phone's (echoing) leg.
    const rec = path.join(dir, 'recordings', 'in-human.wav');
    expect(existsSync(rec)).toBe(true);
    const types = log.of('in-human').map((e) => e.type);
    expect(types.slice(-2)).toEqual(['recording', 'ended']);
    const saved = log.of('in-human').find((e) => e.type === 'recording');
    expect(saved).toMatchObject({ path: rec });
    expect(saved?.type === 'recording' ? saved.durationMs : 0).toBeGreaterThan(3000);
    const answeredAt = log.of('in-human').find((e) => e.type === 'answered')?.at ?? 0;
    const bridgeS = (bridgedAt - answeredAt) / 1000;
    expect(readFileSync(rec).readUInt16LE(22)).toBe(2);
    expect(channelLevel(rec, 1, 0, bridgeS - 0.1)).toBeLessThan(5); // the last packet times before `bridged` may carry audio
    expect(channelLevel(rec, 1, bridgeS, bridgeS + 2.5)).toBeGreaterThan(100);

    expect(await log.waitFor(isLeg(legId, 'down'), 20_000)).toMatchObject({ cause: 'the phone hung up' });
    expect(await phone.exited, phone.output()).toBe(0);
    expect(await person.exited, person.output()).toBe(0);
  });

  it('parks a phone that calls in before its agent signs in, then makes it the leg; calling back in revives the leg', async () => {
    const { driver, log } = await driverFor(214, loopback(201));
    const first = await phoneCallingIn(204, loopback(214), '1002', 3000);
    await new Promise((r) => setTimeout(r, 1000)); // the phone is answered and parked by now
    const legId = driver.openAgentLeg({ agentId: 'a2', target: 'agent:1002' });
    expect(await log.waitFor(isLeg(legId, 'up'), 2000)).toMatchObject({ agentId: 'a2' });
    expect(await log.waitFor(isLeg(legId, 'down'), 10_000)).toMatchObject({ cause: 'the phone hung up' });
    expect(await first.exited, first.output()).toBe(0);

    log.events.length = 0;
    const again = await phoneCallingIn(205, loopback(214), '1002', 2000);
    expect(await log.waitFor(isLeg(legId, 'up'), 10_000)).toMatchObject({ agentId: 'a2' });
    expect(await log.waitFor(isLeg(legId, 'down'), 10_000)).toMatchObject({ cause: 'the phone hung up' });
    expect(await again.exited, again.output()).toBe(0);
  });

  it('calls a phone that registers while its agent leg waits, and hangs it up when the leg is closed', async () => {
    const { driver, log } = await driverFor(216, loopback(201));
    const phone = await startSipp({ scenario: 'agent', host: loopback(206), cwd: dir, timeoutS: 40, extraArgs: ['-rtp_echo'] });
    peers.push(phone);
    const legId = driver.openAgentLeg({ agentId: 'a3', target: 'agent:1003' });
    const registrar = await startSipp({
      scenario: 'agent-register',
      host: loopback(207),
      cwd: dir,
      timeoutS: 20,
      extraArgs: [`${loopback(216)}:5060`, '-key', 'ext', '1003', '-key', 'contact', `sip:1003@${phone.host}:5060`, '-au', '1003', '-ap', 'pw-1003'],
    });
    peers.push(registrar);
    expect(await registrar.exited, registrar.output()).toBe(0);
    expect(await log.waitFor(isLeg(legId, 'up'), 10_000)).toMatchObject({ agentId: 'a3' });
    driver.closeAgentLeg(legId);
    expect(await log.waitFor(isLeg(legId, 'down'), 10_000)).toMatchObject({ cause: 'closed' });
    expect(await phone.exited, phone.output()).toBe(0);
  });
});
