import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriverEvent } from '@outdial/core/telephony/driver';
import { SipDriver } from '@outdial/driver-sip/sip-driver';
import { skipUnless } from '../../support/require.ts';
import { EventLog, hasTool, loopback, startSipp } from './support/peers.ts';

const missing = skipUnless(hasTool('sipp'), 'sipp (Debian package sip-tester)');

/** An RFC 4733 telephone-event packet as it arrived at the called party's media address. */
interface EventPacket {
  marker: boolean;
  seq: number;
  ts: number;
  ssrc: number;
  code: number;
  end: boolean;
  volume: number;
  duration: number;
}

let dir = '';

describe.skipIf(missing)('sip driver sends RFC 4733 DTMF to a called party (SIPp answers, the test is its media)', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outdial-sip-dtmf-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the digits with the answer’s payload type: start, continuations, three end packets, durations and volume', async () => {
    // The called party's RTP: SIPp's SDP names this socket, so every packet the driver sends for the call lands here.
    const media = dgram.createSocket('udp4');
    const packets: Array<{ pt: number; p?: EventPacket }> = [];
    media.on('message', (b) => {
      const pt = (b[1] ?? 0) & 0x7f;
      const header = { marker: ((b[1] ?? 0) & 0x80) !== 0, seq: b.readUInt16BE(2), ts: b.readUInt32BE(4), ssrc: b.readUInt32BE(8) };
      packets.push(pt === 96 && b.length === 16 ? { pt, p: { ...header, code: b[12] ?? -1, end: ((b[13] ?? 0) & 0x80) !== 0, volume: (b[13] ?? 0) & 0x3f, duration: b.readUInt16BE(14) } } : { pt });
    });
    await new Promise<void>((r) => media.bind(0, loopback(72), r));
    const peer = await startSipp({
      scenario: 'dtmf-callee',
      host: loopback(71),
      cwd: dir,
      timeoutS: 20,
      extraArgs: ['-key', 'sink_host', loopback(72), '-key', 'sink_port', String(media.address().port)],
    });
    const driver = new SipDriver({
      sip: { host: loopback(171), port: 5060 },
      trunk: { uri: `sip:${peer.host}:5060` },
      media: { host: loopback(171), portMin: 30200, portMax: 30300 },
    });
    const log = new EventLog(driver);
    await driver.start();
    try {
      // Before the answer there is nothing to send on.
      driver.originate({ callId: 'ivr-1', to: '+15555550142', from: '+15555550199', ringTimeoutMs: 10_000, amd: false, contactId: 'c1', attemptNo: 1 });
      expect(await driver.sendDtmf('nobody', '1')).toBe('no call or agent leg nobody');
      await log.waitFor((e) => e.type === 'answered' && e.callId === 'ivr-1');
      expect(await driver.sendDtmf('ivr-1', '12x')).toMatch(/not DTMF digits/);
      const error = await log.waitFor((e): e is Extract<DriverEvent, { type: 'error' }> => e.type === 'error' && e.code === 'SIP_DTMF' && e.callId === 'ivr-1');
      expect(error.detail).toMatch(/not DTMF digits/);

      const sentAt = Date.now();
      expect(await driver.sendDtmf('ivr-1', '5#,0', { durationMs: 120, gapMs: 80, volume: 7 })).toBeUndefined();
      const tookMs = Date.now() - sentAt;
      await new Promise((r) => setTimeout(r, 100));
      driver.hangup('ivr-1');
      expect(await log.ended('ivr-1')).toMatchObject({ outcome: 'answered-human', by: 'local' });
      expect(await peer.exited, peer.output()).toBe(0);

      const events: EventPacket[][] = [];
      for (const { p } of packets) {
        if (!p) continue;
        if (p.marker || events.length === 0) events.push([]);
        events[events.length - 1]?.push(p);
      }
      // Three key presses (5, #, 0) with a 500 ms pause before the 0.
      expect(events.map((e) => e[0]?.code)).toEqual([5, 11, 0]);
      for (const e of events) {
        // 120 ms = 960 samples in 20 ms packets: 160 … 800, then 960 with the E bit three times.
        expect(e.map((p) => p.duration)).toEqual([160, 320, 480, 640, 800, 960, 960, 960]);
        expect(e.map((p) => p.end)).toEqual([false, false, false, false, false, true, true, true]);
        expect(e.every((p) => p.volume === 7 && p.ts === e[0]?.ts)).toBe(true);
      }
      const all = events.flat();
      expect(new Set(all.map((p) => p.ssrc)).size).toBe(1);
      for (let i = 1; i < all.length; i++) expect((all[i]!.seq - all[i - 1]!.seq + 0x10000) & 0xffff).toBe(1);
      // On the stream's clock the events are apart by at least their length (plus the pause before the 0).
      expect(events[1]![0]!.ts - events[0]![0]!.ts).toBeGreaterThanOrEqual(960);
      expect(events[2]![0]!.ts - events[1]![0]!.ts).toBeGreaterThanOrEqual(960 + 4000);
      // 3 × 8 packets and gaps, and the pause: at least ≈ 0.9 s of real time before the promise resolved.
      expect(tookMs).toBeGreaterThanOrEqual(900);
      expect(packets.filter((x) => x.pt !== 96 && x.pt !== 0)).toEqual([]);
    } finally {
      peer.stop();
      await driver.stop();
      media.close();
    }
  });
});
