import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { RealClock } from '@outdial/telephony/real-clock';
import { MediaEngine } from '@outdial/driver-sip/media/media-engine';
import type { MediaEvent } from '@outdial/driver-sip/media/media-protocol';
import { RtpEndpoint } from '@outdial/driver-sip/media/rtp-endpoint';

const HOST = '127.0.0.1';
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, ms = 3000): Promise<void> {
  for (let t = 0; !check() && t < ms; t += 10) await wait(10);
}

/** One received RTP packet, decoded (RFC 3550 header; RFC 4733 payload when it is a telephone event). */
interface Packet {
  pt: number;
  marker: boolean;
  seq: number;
  ts: number;
  ssrc: number;
  event?: { code: number; end: boolean; volume: number; duration: number };
}

function parse(b: Buffer): Packet {
  const p: Packet = { pt: (b[1] ?? 0) & 0x7f, marker: ((b[1] ?? 0) & 0x80) !== 0, seq: b.readUInt16BE(2), ts: b.readUInt32BE(4), ssrc: b.readUInt32BE(8) };
  if (p.pt === 96 && b.length === 16) {
    p.event = { code: b[12] ?? -1, end: ((b[13] ?? 0) & 0x80) !== 0, volume: (b[13] ?? 0) & 0x3f, duration: b.readUInt16BE(14) };
  }
  return p;
}

async function farEnd(): Promise<{ port: number; got: Packet[]; send(to: number, b: Buffer): void; close(): void }> {
  const socket = dgram.createSocket('udp4');
  const got: Packet[] = [];
  socket.on('message', (m) => got.push(parse(m)));
  await new Promise<void>((r) => socket.bind(0, HOST, r));
  let open = true;
  const close = (): void => {
    if (open) socket.close();
    open = false;
  };
  return { port: socket.address().port, got, send: (to, b) => socket.send(b, to, HOST), close };
}

function audio(seq: number): Buffer {
  const b = Buffer.alloc(172, 0x55);
  b[0] = 0x80;
  b[1] = 0;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(seq * 160, 4);
  b.writeUInt32BE(0x1234, 8);
  return b;
}

/** Splits the telephone-event packets into events (a new one at each marker). */
function events(got: Packet[]): Packet[][] {
  const out: Packet[][] = [];
  for (const p of got) {
    if (!p.event) continue;
    if (p.marker || out.length === 0) out.push([]);
    out[out.length - 1]?.push(p);
  }
  return out;
}

describe('RFC 4733 DTMF sending (media engine)', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanup.splice(0)) c();
  });

  async function rig(pt: number | 'none'): Promise<{ engine: MediaEngine; replies: MediaEvent[]; customer: Awaited<ReturnType<typeof farEnd>>; agent: Awaited<ReturnType<typeof farEnd>>; aPort: number }> {
    const replies: MediaEvent[] = [];
    const engine = new MediaEngine(new RealClock(), (e) => replies.push(e));
    engine.start();
    const customer = await farEnd();
    const agent = await farEnd();
    cleanup.push(() => engine.stop(), customer.close, agent.close);
    const base = 44000 + Math.floor(Math.random() * 1000) * 4;
    engine.handle({ t: 'open', req: 1, id: 'c', kind: 'customer', host: HOST, port: base });
    engine.handle({ t: 'open', req: 2, id: 'a', kind: 'agent', host: HOST, port: base + 2 });
    await until(() => replies.filter((e) => e.t === 'reply').length === 2);
    expect(replies.filter((e) => e.t === 'reply' && e.error !== undefined)).toEqual([]);
    replies.length = 0;
    engine.handle({ t: 'remote', id: 'c', host: HOST, port: customer.port, codec: 'PCMU', telephoneEventPt: pt === 'none' ? undefined : pt });
    engine.handle({ t: 'remote', id: 'a', host: HOST, port: agent.port, codec: 'PCMU', telephoneEventPt: 101 });
    engine.handle({ t: 'answered', id: 'c', record: false, amd: undefined });
    return { engine, replies, customer, agent, aPort: base + 2 };
  }

  it('sends each digit as start, continuations and three end packets with the negotiated payload type, one timestamp per event, and holds the bridged audio back meanwhile', async () => {
    const { engine, replies, customer, agent, aPort } = await rig(96);
    engine.handle({ t: 'connect', id: 'c', agentId: 'a', token: 1, fallbackMs: 60 });
    // The agent talks before, during and after the digits: 40 packets over 800 ms.
    let seq = 1;
    const talking = setInterval(() => agent.send(aPort, audio(seq++)), 20);
    cleanup.push(() => clearInterval(talking));
    await until(() => customer.got.length >= 3);
    engine.handle({ t: 'send-dtmf', req: 7, id: 'c', digits: '1#9', durationMs: 100, gapMs: 60, volume: 10 });
    await until(() => replies.some((e) => e.t === 'reply' && e.req === 7));
    await wait(100);
    clearInterval(talking);
    expect(replies.filter((e) => e.t === 'reply')).toEqual([{ t: 'reply', req: 7 }]);

    const got = customer.got;
    const evs = events(got);
    expect(evs.map((e) => e[0]?.event?.code)).toEqual([1, 11, 9]);
    for (const e of evs) {
      // 100 ms = 800 samples: 160, 320, 480, 640, then 800 with E three times; one timestamp, marker on the first.
      expect(e.map((p) => [p.event?.duration, p.event?.end])).toEqual([
        [160, false],
        [320, false],
        [480, false],
        [640, false],
        [800, true],
        [800, true],
        [800, true],
      ]);
      expect(e.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false]);
      expect(new Set(e.map((p) => p.ts)).size).toBe(1);
      expect(new Set(e.map((p) => p.event?.volume))).toEqual(new Set([10]));
    }
    // Events follow in time on our stream's clock: each starts after the previous one's duration.
    expect(evs[1]![0]!.ts - evs[0]![0]!.ts).toBeGreaterThanOrEqual(800);
    expect(evs[2]![0]!.ts - evs[1]![0]!.ts).toBeGreaterThanOrEqual(800);
    // One stream: the same SSRC and consecutive sequence numbers for audio and events alike.
    expect(new Set(got.map((p) => p.ssrc)).size).toBe(1);
    for (let i = 1; i < got.length; i++) expect((got[i]!.seq - got[i - 1]!.seq + 0x10000) & 0xffff).toBe(1);
    // No agent audio between the first event packet and the last end packet; audio before and after, on a new
    // talkspurt (marker) whose timestamp is past the last event.
    const first = got.findIndex((p) => p.event);
    const last = got.length - 1 - [...got].reverse().findIndex((p) => p.event);
    expect(got.slice(first, last + 1).every((p) => p.pt === 96)).toBe(true);
    expect(got.slice(0, first).every((p) => p.pt === 0)).toBe(true);
    const after = got[last + 1];
    expect(after).toMatchObject({ pt: 0, marker: true });
    expect(after!.ts - evs[2]![0]!.ts).toBeGreaterThanOrEqual(800);
  });

  it('is heard by our own RFC 4733 receiver as one digit per key press, with its duration', async () => {
    const { engine, replies, customer } = await rig(101);
    customer.close();
    // Our own endpoint as the called party, on the port the engine sends to.
    const digits: Array<[string, number]> = [];
    const receiver = new RtpEndpoint(HOST, customer.port, { onAudio: () => undefined, onDtmf: (d, n) => digits.push([d, n]) });
    await receiver.open();
    cleanup.push(() => receiver.close());
    engine.handle({ t: 'send-dtmf', req: 8, id: 'c', digits: '0*A', durationMs: 60, gapMs: 40, volume: 6 });
    engine.handle({ t: 'send-dtmf', req: 9, id: 'c', digits: 'd', durationMs: 200, gapMs: 40, volume: 6 }); // queued behind
    await until(() => replies.filter((e) => e.t === 'reply').length === 2);
    await until(() => digits.length === 4, 500);
    expect(replies.filter((e) => e.t === 'reply')).toEqual([{ t: 'reply', req: 8 }, { t: 'reply', req: 9 }]);
    expect(digits).toEqual([['0', 480], ['*', 480], ['A', 480], ['D', 1600]]);
  });

  it('refuses digits it cannot send, and answers a request cut short by the leg closing', async () => {
    const { engine, replies } = await rig('none');
    engine.handle({ t: 'send-dtmf', req: 10, id: 'c', digits: '12', durationMs: 100, gapMs: 60, volume: 10 });
    engine.handle({ t: 'send-dtmf', req: 11, id: 'a', digits: '1x', durationMs: 100, gapMs: 60, volume: 10 });
    engine.handle({ t: 'send-dtmf', req: 12, id: 'nobody', digits: '1', durationMs: 100, gapMs: 60, volume: 10 });
    engine.handle({ t: 'send-dtmf', req: 13, id: 'a', digits: '123', durationMs: 100, gapMs: 60, volume: 10 });
    await wait(60);
    engine.handle({ t: 'close', req: 14, id: 'a', recordTo: undefined });
    await until(() => replies.filter((e) => e.t === 'reply').length === 5);
    const byReq = new Map(replies.flatMap((e) => (e.t === 'reply' ? [[e.req, e.error] as const] : [])));
    expect(byReq.get(10)).toMatch(/telephone-event/);
    expect(byReq.get(11)).toMatch(/not DTMF digits/);
    expect(byReq.get(12)).toBe('no such leg');
    expect(byReq.get(13)).toBe('the leg closed');
    expect(byReq.get(14)).toBeUndefined();
  });
});
