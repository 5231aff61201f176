import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SipDriver } from '@outdial/driver-sip/sip-driver';
import { skipUnless } from '../../support/require.ts';
import { EventLog, hasTool, loopback, startSipp } from './support/peers.ts';
import type { Peer } from './support/peers.ts';

const missing = skipUnless(hasTool('sipp'), 'sipp');

describe.skipIf(missing)('100rel / PRACK (RFC 3262) against a SIPp trunk that requires it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'outdial-sip-prack-'));
  const peers: Peer[] = [];
  let driver: SipDriver | undefined;
  afterAll(async () => {
    await driver?.stop();
    for (const p of peers) p.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 421 by requiring 100rel, PRACKs the reliable 183 with its RAck, and completes the call', async () => {
    const trunk = await startSipp({ scenario: 'prack', host: loopback(241), cwd: dir, timeoutS: 20 });
    peers.push(trunk);
    driver = new SipDriver({ sip: { host: loopback(240), port: 5060 }, trunk: { uri: `sip:${trunk.host}:5060` }, media: { host: loopback(240), portMin: 36000, portMax: 36100 } });
    const log = new EventLog(driver);
    await driver.start();
    driver.originate({ callId: 'prack-1', to: '+15555550101', from: '+15555550199', ringTimeoutMs: 10_000, amd: false, contactId: 'c', attemptNo: 1 });
    await log.waitFor((e) => e.type === 'answered' && e.callId === 'prack-1', 10_000);
    expect(log.of('prack-1').find((e) => e.type === 'progress')).toMatchObject({ code: 183 });
    driver.hangup('prack-1');
    expect(await log.ended('prack-1')).toMatchObject({ outcome: 'answered-human', by: 'local', sipCode: 200 });
    expect(await trunk.exited, trunk.output()).toBe(0);
  });
});
