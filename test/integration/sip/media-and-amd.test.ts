import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriverEvent, OriginateRequest } from '@outdial/core/telephony/driver';
import { SipDriver } from '@outdial/driver-sip/sip-driver';
import { skipUnless } from '../../support/require.ts';
import { buildAudioFixtures } from './support/audio.ts';
import { EventLog, hasTool, loopback, startSipp } from './support/peers.ts';
import type { Peer } from './support/peers.ts';

const missing = skipUnless(hasTool('sipp') && hasTool('espeak-ng') && hasTool('sox'), 'sipp, espeak-ng and sox');

let dir = '';
let prompt = '';
const peers: Peer[] = [];
const drivers: SipDriver[] = [];

function request(callId: string, to: string, overrides: Partial<OriginateRequest> = {}): OriginateRequest {
  return { callId, to, from: '+15555550199', ringTimeoutMs: 10_000, amd: { maxMs: 5000 }, contactId: callId, attemptNo: 1, ...overrides };
}

async function driverFor(n: number, trunkHost: string): Promise<{ driver: SipDriver; log: EventLog }> {
  const driver = new SipDriver({
    sip: { host: loopback(n), port: 5060 },
    trunk: { uri: `sip:${trunkHost}:5060` },
    media: { host: loopback(n), portMin: 31000, portMax: 31100 },
    recordingDir: path.join(dir, 'recordings'),
    prompts: { 'vm-drop': prompt },
  });
  drivers.push(driver);
  const log = new EventLog(driver);
  await driver.start();
  return { driver, log };
}

/** Mean |sample| of a 16-bit stereo WAV channel between two times (seconds). */
function channelLevel(file: string, channel: 0 | 1, fromS: number, toS: number): number {
  const data = readFileSync(file);
  const frames = (data.length - 44) / 4;
  let sum = 0;
  let n = 0;
  for (let i = Math.floor(fromS * 8000); i < Math.min(frames, Math.floor(toS * 8000)); i++) {
    sum += Math.abs(data.readInt16LE(44 + i * 4 + channel * 2));
    n++;
  }
  return n === 0 ? 0 : sum / n;
}

describe.skipIf(missing)('sip driver media, AMD, bridge and recording against SIPp', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outdial-sip-media-'));
    prompt = buildAudioFixtures(dir).prompt;
  });
  afterAll(async () => {
    for (const p of peers) p.stop();
    for (const d of drivers) await d.stop();
    if (process.env['OUTDIAL_SIP_TRACE'] === '1') console.warn(`SIPp traces kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('detects a human, reports the greeting as speech, and ends answered-human', async () => {
    const peer = await startSipp({ scenario: 'human', host: loopback(31), cwd: dir });
    peers.push(peer);
    const { driver, log } = await driverFor(131, peer.host);
    driver.originate(request('human-1', '+15555550101'));
    const amd = await log.waitFor((e): e is Extract<DriverEvent, { type: 'amd' }> => e.type === 'amd' && e.callId === 'human-1');
    expect(amd).toMatchObject({ result: 'human', cause: 'HUMAN' });
    const phases = log.of('human-1').filter((e) => e.type === 'speech').map((e) => (e.type === 'speech' ? e.phase : ''));
    expect(phases).toEqual(['start', 'end']);
    driver.hangup('human-1');
    expect(await log.ended('human-1')).toMatchObject({ outcome: 'answered-human', by: 'local', sipCode: 200 });
    expect(await peer.exited).toBe(0);
  });

  it('detects a machine, waits for the beep, drops the voicemail and ends answered-machine', async () => {
    const peer = await startSipp({ scenario: 'machine', host: loopback(32), cwd: dir });
    peers.push(peer);
    const { driver, log } = await driverFor(132, peer.host);
    driver.originate(request('vm-1', '+15555550102', { amd: { maxMs: 5000, waitForBeep: true } }));
    const amd = await log.waitFor((e) => e.type === 'amd' && e.callId === 'vm-1');
    expect(amd).toMatchObject({ result: 'machine' });
    await log.waitFor((e) => e.type === 'beep' && e.callId === 'vm-1', 20_000);
    driver.play('vm-1', 'vm-drop');
    expect(await log.waitFor((e) => e.type === 'play-ended' && e.callId === 'vm-1', 20_000)).toMatchObject({ result: 'completed', promptId: 'vm-drop' });
    driver.hangup('vm-1', 'amd-machine');
    expect(await log.ended('vm-1')).toMatchObject({ outcome: 'answered-machine' });
    expect(await peer.exited).toBe(0);
  });

  it('hears a SIT in early media and ends invalid-number on the 404 that follows', async () => {
    const peer = await startSipp({ scenario: 'sit', host: loopback(35), cwd: dir });
    peers.push(peer);
    const { driver, log } = await driverFor(135, peer.host);
    driver.originate(request('sit-1', '+15555550105'));
    const ended = await log.ended('sit-1');
    expect(ended).toMatchObject({ outcome: 'invalid-number', sipCode: 404, q850: 1 });
    expect(log.of('sit-1').map((e) => e.type)).toEqual(['progress', 'sit', 'ended']);
    expect(log.of('sit-1')[0]).toMatchObject({ code: 183, earlyMedia: true });
    expect(await peer.exited).toBe(0);
  });

  it('runs a campaign-like flow: nailed-up agent leg, human bridged and recorded, machine dropped, busy retried', async () => {
    const agentPhone = await startSipp({ scenario: 'agent', host: loopback(37), cwd: dir, extraArgs: ['-rtp_echo'], timeoutS: 40 });
    // SIPp 3.6 streams audio (rtp_stream) to one call at a time per instance: the human has its own.
    const carrier = await startSipp({ scenario: 'carrier', host: loopback(33), cwd: dir, calls: 2, timeoutS: 40 });
    const person = await startSipp({ scenario: 'human', host: loopback(34), cwd: dir, timeoutS: 40 });
    peers.push(agentPhone, carrier, person);
    const { driver, log } = await driverFor(133, carrier.host);

    const legId = driver.openAgentLeg({ agentId: 'a1', target: `sip:agent1@${agentPhone.host}:5060` });
    expect(await log.waitFor((e) => e.type === 'agent-leg' && e.legId === legId)).toMatchObject({ state: 'up', agentId: 'a1' });

    // The smallest dialer: bridge humans, drop voicemail after the beep.
    const bridgedAt = new Map<string, number>();
    log.events.length = 0;
    driver.onEvent((e) => {
      if (e.type === 'amd' && e.result === 'human') driver.bridge(e.callId, legId);
      if (e.type === 'bridged') {
        bridgedAt.set(e.callId, e.at);
        setTimeout(() => driver.hangup(e.callId), 3500);
      }
      if (e.type === 'beep') driver.play(e.callId, 'vm-drop');
      if (e.type === 'play-ended' && e.result === 'completed') driver.hangup(e.callId, 'amd-machine');
    });
    driver.originate(request('camp-human', `sip:+15555551001@${person.host}:5060`, { record: true }));
    driver.originate(request('camp-machine', '+15555552001', { record: true, amd: { maxMs: 5000, waitForBeep: true } }));
    driver.originate(request('camp-busy', '+15555553001'));

    const [human, machine, busy] = await Promise.all([log.ended('camp-human', 40_000), log.ended('camp-machine', 40_000), log.ended('camp-busy', 40_000)]);
    expect(busy).toMatchObject({ outcome: 'busy', q850: 17 });
    expect(machine).toMatchObject({ outcome: 'answered-machine' });
    expect(human).toMatchObject({ outcome: 'answered-human' });
    const bridged = log.of('camp-human').find((e) => e.type === 'bridged');
    expect(bridged).toMatchObject({ agentLegId: legId });
    expect(log.of('camp-machine').map((e) => e.type)).toEqual(expect.arrayContaining(['answered', 'amd', 'beep', 'play-ended', 'ended']));

    // The recording: left is the customer's greeting, right is what came back through the agent's (echoing) leg.
    const rec = path.join(dir, 'recordings', 'camp-human.wav');
    expect(existsSync(rec)).toBe(true);
    expect(readFileSync(rec).readUInt16LE(22)).toBe(2);
    const answeredAt = log.of('camp-human').find((e) => e.type === 'answered')?.at ?? 0;
    const bridgeS = ((bridgedAt.get('camp-human') ?? 0) - answeredAt) / 1000;
    expect(channelLevel(rec, 0, 0, bridgeS)).toBeGreaterThan(100);
    expect(channelLevel(rec, 1, 0, bridgeS)).toBeLessThan(5);
    expect(channelLevel(rec, 1, bridgeS, bridgeS + 3)).toBeGreaterThan(100);
    expect(existsSync(path.join(dir, 'recordings', 'camp-machine.wav'))).toBe(true);

    driver.closeAgentLeg(legId);
    expect(await log.waitFor((e) => e.type === 'agent-leg' && e.state === 'down')).toMatchObject({ legId });
    expect(await carrier.exited, carrier.output()).toBe(0);
    expect(await person.exited, person.output()).toBe(0);
    expect(await agentPhone.exited, agentPhone.output()).toBe(0);
  });
});
