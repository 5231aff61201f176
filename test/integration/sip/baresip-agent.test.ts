import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriverEvent } from '@outdial/core/telephony/driver';
import { SipDriver } from '@outdial/driver-sip/sip-driver';
import { skipUnless } from '../../support/require.ts';
import { buildAudioFixtures } from './support/audio.ts';
import { startBaresip } from './support/baresip.ts';
import { EventLog, hasTool, loopback, startSipp } from './support/peers.ts';
import type { Peer } from './support/peers.ts';
import { channelLevel } from './support/wav-level.ts';

const missing = skipUnless(hasTool('baresip') && hasTool('sipp') && hasTool('espeak-ng') && hasTool('sox'), 'baresip, sipp, espeak-ng and sox');

describe.skipIf(missing)('baresip as an agent phone (registers with Outdial, auto-answers its nailed-up call)', () => {
  let dir = '';
  let voice = '';
  const peers: Peer[] = [];
  let driver: SipDriver | undefined;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outdial-sip-baresip-'));
    // baresip ends the call when its file source runs out: the phone's voice is the prompt, repeated for a minute.
    voice = path.join(dir, 'agent-voice.wav');
    execFileSync('sox', [buildAudioFixtures(dir).prompt, voice, 'repeat', '15']);
  });
  afterAll(async () => {
    await driver?.stop();
    for (const p of peers) p.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers with digest, is called as the agent leg, and a bridged call carries audio both ways into the recording', async () => {
    const person = await startSipp({ scenario: 'human', host: loopback(231), cwd: dir, timeoutS: 40 });
    peers.push(person);
    driver = new SipDriver({
      sip: { host: loopback(230), port: 5060 },
      trunk: { uri: `sip:${person.host}:5060` },
      media: { host: loopback(230), portMin: 35000, portMax: 35100 },
      agentPhones: { extensions: { '2001': 'desk-phone-pw' }, callInWaitMs: 20_000 },
      recordingDir: path.join(dir, 'recordings'),
    });
    const log = new EventLog(driver);
    await driver.start();
    const legId = driver.openAgentLeg({ agentId: 'a1', target: 'agent:2001' });
    const phone = await startBaresip({
      host: loopback(232), extension: '2001', password: 'desk-phone-pw', registrar: `${loopback(230)}:5060`, voiceWav: voice,
      rtpPorts: [35200, 35300], dir, killAfterMs: 60_000,
    });
    peers.push(phone);
    const up = await log.waitFor((e) => e.type === 'agent-leg' && e.legId === legId, 15_000);
    expect(up, phone.output()).toMatchObject({ state: 'up', agentId: 'a1' });

    let bridgedAt = 0;
    driver.onEvent((e) => {
      if (e.type === 'amd' && e.result === 'human') driver?.bridge(e.callId, legId);
      if (e.type === 'bridged') {
        bridgedAt = e.at;
        setTimeout(() => driver?.hangup(e.callId), 3000);
      }
    });
    driver.originate({ callId: 'bs-human', to: '+15555551001', from: '+15555550199', ringTimeoutMs: 10_000, amd: { maxMs: 5000 }, record: true, contactId: 'c1', attemptNo: 1 });
    expect(await log.ended('bs-human', 30_000)).toMatchObject({ outcome: 'answered-human' });
    expect(log.of('bs-human').find((e): e is Extract<DriverEvent, { type: 'bridged' }> => e.type === 'bridged')).toMatchObject({ agentLegId: legId });

    // Left: the person; right, after the bridge: the baresip phone's voice, relayed to the person.
    const saved = log.of('bs-human').find((e): e is Extract<DriverEvent, { type: 'recording' }> => e.type === 'recording');
    const file = saved?.path ?? '';
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).readUInt16LE(22)).toBe(2);
    const answeredAt = log.of('bs-human').find((e) => e.type === 'answered')?.at ?? 0;
    const bridgeS = (bridgedAt - answeredAt) / 1000;
    expect(channelLevel(file, 0, 0, bridgeS)).toBeGreaterThan(100);
    // Silence on the right until the bridge (less its last packet times: `bridged` is stamped when the first relayed
    // packet is confirmed, a little after the worker recorded it).
    expect(channelLevel(file, 1, 0, bridgeS - 0.1)).toBeLessThan(5);
    expect(channelLevel(file, 1, bridgeS, bridgeS + 2.5), phone.output()).toBeGreaterThan(100);

    driver.closeAgentLeg(legId);
    const down = await log.waitFor((e) => e.type === 'agent-leg' && e.legId === legId && e.state === 'down', 10_000);
    expect(down, JSON.stringify(down)).toMatchObject({ cause: 'closed' });
    expect(await person.exited, person.output()).toBe(0);
  });
});
