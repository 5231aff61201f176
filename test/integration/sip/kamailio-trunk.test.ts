import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OriginateRequest } from '@outdial/core/telephony/driver';
import { SipDriver } from '@outdial/driver-sip/sip-driver';
import type { TransportName } from '@outdial/driver-sip/sip/transport';
import { skipUnless } from '../../support/require.ts';
import { startKamailio } from './support/kamailio.ts';
import { EventLog, hasTool, loopback, startSipp } from './support/peers.ts';
import type { Peer } from './support/peers.ts';

const missing = skipUnless(hasTool('sipp') && hasTool('kamailio'), 'sipp and kamailio');

let dir = '';
const started: Peer[] = [];
const drivers: SipDriver[] = [];

function request(callId: string, overrides: Partial<OriginateRequest> = {}): OriginateRequest {
  return { callId, to: '+15555550100', from: '+15555550199', ringTimeoutMs: 10_000, amd: false, contactId: 'c', attemptNo: 1, ...overrides };
}

/** SIPp behind kamailio (407 digest, Record-Route), and a driver that authenticates to kamailio. */
async function edge(scenario: string, n: number, password: string, transport: TransportName = 'udp'): Promise<{ driver: SipDriver; log: EventLog; sipp: Peer }> {
  const sipp = await startSipp({ scenario, host: loopback(n), cwd: dir, timeoutS: 20 });
  const kamailio = await startKamailio({ listen: loopback(n + 20), target: sipp.host, realm: 'outdial.test', user: 'dialer', password: 'right-password', dir, timeoutMs: 60_000 });
  started.push(sipp, kamailio);
  const driver = new SipDriver({
    sip: { host: loopback(n + 100), port: 5060, transports: [transport] },
    trunk: { uri: `sip:${kamailio.host}:5060${transport === 'tcp' ? ';transport=tcp' : ''}`, username: 'dialer', password },
    media: { host: loopback(n + 100), portMin: 32000, portMax: 32100 },
  });
  drivers.push(driver);
  const log = new EventLog(driver);
  await driver.start();
  return { driver, log, sipp };
}

describe.skipIf(missing)('sip driver through kamailio (digest trunk, record-route, 503 → 500)', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outdial-sip-kam-'));
  });
  afterAll(async () => {
    for (const d of drivers) await d.stop();
    for (const p of started) p.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the 407 challenge and routes ACK and BYE through the Record-Route', async () => {
    const { driver, log, sipp } = await edge('answer', 41, 'right-password');
    driver.originate(request('kam-1'));
    await log.waitFor((e) => e.type === 'answered' && e.callId === 'kam-1');
    driver.hangup('kam-1');
    expect(await log.ended('kam-1')).toMatchObject({ outcome: 'answered-human', by: 'local', sipCode: 200 });
    // Had the BYE skipped kamailio, SIPp would answer it toward kamailio and our BYE would go unanswered.
    expect(log.of('kam-1').filter((e) => e.type === 'error')).toEqual([]);
    expect(await sipp.exited, sipp.output()).toBe(0);
  }, 30_000);

  it('reports a wrong password as config-error after one retry', async () => {
    const { driver, log } = await edge('busy', 42, 'wrong-password');
    driver.originate(request('kam-2'));
    expect(await log.ended('kam-2')).toMatchObject({ outcome: 'config-error', sipCode: 407 });
  });

  it('maps the 500 a proxy makes of a 503 to congestion', async () => {
    const { driver, log, sipp } = await edge('congestion', 43, 'right-password');
    driver.originate(request('kam-3'));
    expect(await log.ended('kam-3')).toMatchObject({ outcome: 'congestion', sipCode: 500 });
    expect(await sipp.exited, sipp.output()).toBe(0);
  });

  it('dials over TCP to the edge', async () => {
    const { driver, log, sipp } = await edge('busy', 44, 'right-password', 'tcp');
    driver.originate(request('kam-4'));
    expect(await log.ended('kam-4')).toMatchObject({ outcome: 'busy', sipCode: 486, q850: 17 });
    expect(await sipp.exited, sipp.output()).toBe(0);
  });
});
