import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OriginateRequest } from '@outdial/core/telephony/driver';
import { SipDriver } from '@outdial/driver-sip/sip-driver';
import { skipUnless } from '../../support/require.ts';
import { startLossyRelay } from './support/lossy-relay.ts';
import { EventLog, hasTool, loopback, startSipp } from './support/peers.ts';
import type { Peer } from './support/peers.ts';

const missing = skipUnless(hasTool('sipp'), 'sipp (Debian package sip-tester)');
// SIPp's play_pcap_audio needs root (real-time scheduling) and the pcaps Debian's sip-tester ships.
const noPcapPlay = !missing && skipUnless(process.getuid?.() === 0 && existsSync('/usr/share/sip-tester/dtmf_2833_1.pcap'), 'root and /usr/share/sip-tester/dtmf_2833_*.pcap for SIPp play_pcap_audio');

function request(callId: string, overrides: Partial<OriginateRequest> = {}): OriginateRequest {
  return { callId, to: '+15555550100', from: '+15555550199', ringTimeoutMs: 10_000, amd: false, contactId: 'c1', attemptNo: 1, ...overrides };
}

/** One SIPp far end and one driver pointed at it, each on its own loopback address. */
async function withPeer(
  scenario: string,
  n: number,
  body: (driver: SipDriver, log: EventLog, peer: Peer) => Promise<void>,
  options: { trunkHost?: string; extraArgs?: string[] } = {},
): Promise<void> {
  const peer = await startSipp({ scenario, host: loopback(n), cwd: dir, timeoutS: 20, extraArgs: options.extraArgs ?? [] });
  const driver = new SipDriver({
    sip: { host: loopback(100 + n), port: 5060 },
    trunk: { uri: `sip:${options.trunkHost ?? peer.host}:5060` },
    media: { host: loopback(100 + n), portMin: 30000, portMax: 30100 },
    timers: { t1: 250 },
  });
  const log = new EventLog(driver);
  await driver.start();
  try {
    await body(driver, log, peer);
    expect(await peer.exited, `SIPp ${scenario} failed:\n${peer.output()}`).toBe(0);
  } finally {
    peer.stop();
    await driver.stop();
  }
}

let dir = '';

describe.skipIf(missing)('sip driver call outcomes against SIPp', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outdial-sip-'));
  });
  afterAll(() => {
    if (process.env['OUTDIAL_SIP_TRACE'] === '1') console.warn(`SIPp traces kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('maps 486 with Reason Q.850 cause 17 to busy', async () => {
    await withPeer('busy', 11, async (driver, log) => {
      driver.originate(request('busy-1'));
      const ended = await log.ended('busy-1');
      expect(ended).toMatchObject({ outcome: 'busy', sipCode: 486, q850: 17, by: 'remote' });
      expect(log.of('busy-1').some((e) => e.type === 'progress' && e.code === 180)).toBe(true);
    });
  });

  it('maps 404 to invalid-number', async () => {
    await withPeer('invalid', 12, async (driver, log) => {
      driver.originate(request('inv-1'));
      expect(await log.ended('inv-1')).toMatchObject({ outcome: 'invalid-number', sipCode: 404 });
    });
  });

  it('maps 503 to congestion', async () => {
    await withPeer('congestion', 13, async (driver, log) => {
      driver.originate(request('cong-1'));
      expect(await log.ended('cong-1')).toMatchObject({ outcome: 'congestion', sipCode: 503 });
    });
  });

  it('maps 603 to rejected', async () => {
    await withPeer('decline', 14, async (driver, log) => {
      driver.originate(request('dec-1'));
      expect(await log.ended('dec-1')).toMatchObject({ outcome: 'rejected', sipCode: 603 });
    });
  });

  it('maps 607 to blocked', async () => {
    await withPeer('blocked', 15, async (driver, log) => {
      driver.originate(request('blk-1'));
      expect(await log.ended('blk-1')).toMatchObject({ outcome: 'blocked', sipCode: 607 });
    });
  });

  it('cancels at the ring timeout: CANCEL, 487, no-answer by timeout', async () => {
    await withPeer('noanswer', 16, async (driver, log) => {
      driver.originate(request('na-1', { ringTimeoutMs: 1500 }));
      const ended = await log.ended('na-1');
      expect(ended).toMatchObject({ outcome: 'no-answer', sipCode: 487, by: 'timeout' });
      expect(log.of('na-1').some((e) => e.type === 'answered')).toBe(false);
    });
  });

  it('ACKs and BYEs a 200 that crosses our CANCEL at the ring timeout', async () => {
    await withPeer('race', 17, async (driver, log) => {
      driver.originate(request('race-1', { ringTimeoutMs: 1200 }));
      const ended = await log.ended('race-1');
      expect(ended).toMatchObject({ by: 'timeout', outcome: 'answered-human', sipCode: 200 });
      expect(log.of('race-1').map((e) => e.type)).toContain('answered');
    });
  });

  it('saves the call when the first INVITE and the first ACK are lost (Timer A, re-ACK of the 2xx)', async () => {
    const hop = loopback(58);
    const relay = await startLossyRelay({ host: hop, port: 5060 }, { host: loopback(18), port: 5060 }, (key, seen) => (key === 'INVITE' || key === 'ACK') && seen.get(key) === 1);
    try {
      await withPeer(
        'lost-invite',
        18,
        async (driver, log) => {
          driver.originate(request('lost-1'));
          await log.waitFor((e) => e.type === 'answered' && e.callId === 'lost-1', 10_000);
          // Hang up only after SIPp retransmitted its 200 and got our second ACK: it would not take a BYE before.
          await new Promise((r) => setTimeout(r, 1200));
          driver.hangup('lost-1');
          expect(await log.ended('lost-1')).toMatchObject({ outcome: 'answered-human', by: 'local', sipCode: 200 });
        },
        { trunkHost: hop, extraArgs: ['-key', 'contact_host', hop] },
      );
      expect(relay.dropped).toEqual(['INVITE', 'ACK']);
    } finally {
      await relay.close();
    }
  });

  it("answers the carrier's session-refresh re-INVITE and ends on its BYE", async () => {
    await withPeer('reinvite', 19, async (driver, log) => {
      driver.originate(request('reinv-1'));
      const ended = await log.ended('reinv-1');
      expect(ended).toMatchObject({ outcome: 'answered-human', by: 'remote' });
    });
  });

  it.skipIf(noPcapPlay)('decodes RFC 4733 key presses from the called party (SIPp pcap)', async () => {
    await withPeer('dtmf', 21, async (driver, log) => {
      driver.originate(request('dtmf-1'));
      await log.waitFor((e) => e.type === 'dtmf' && e.legId === 'dtmf-1' && e.digit === '5', 15_000);
      const digits = log.events.flatMap((e) => (e.type === 'dtmf' ? [e.digit] : []));
      expect(digits).toEqual(['1', '5']);
      driver.hangup('dtmf-1');
      await log.ended('dtmf-1');
    });
  });

  it('cancels on request before the answer with outcome cancelled', async () => {
    await withPeer('noanswer', 20, async (driver, log) => {
      driver.originate(request('can-1', { ringTimeoutMs: 10_000 }));
      await log.waitFor((e) => e.type === 'progress' && e.callId === 'can-1');
      driver.hangup('can-1');
      expect(await log.ended('can-1')).toMatchObject({ outcome: 'cancelled', by: 'local', sipCode: 487 });
    });
  });
});
