import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { PortPool, RtpEndpoint } from '@outdial/driver-sip/media/rtp-endpoint';
import { buildSdp, parseSdp } from '@outdial/driver-sip/media/sdp';
import { decode } from '@outdial/driver-sip/media/g711';
import { StereoRecorder } from '@outdial/driver-sip/media/stereo-recorder';
import { readWav, writeWav } from '@outdial/driver-sip/media/wav';

/** What a test keeps of each frame the endpoint hands over (the frame object itself is reused). */
interface Frame {
  codec: string;
  seq: number;
  timestamp: number;
  payload: Buffer;
}

function packet(seq: number, ts: number, pt = 0, payload: Buffer = Buffer.alloc(160, 0xff), flags = 0): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80 | flags;
  h[1] = pt;
  h.writeUInt16BE(seq, 2);
  h.writeUInt32BE(ts, 4);
  h.writeUInt32BE(1234, 8);
  return Buffer.concat([h, payload]);
}

function dtmf(event: number, end: boolean, duration: number): Buffer {
  const p = Buffer.alloc(4);
  p[0] = event;
  p[1] = (end ? 0x80 : 0) | 10;
  p.writeUInt16BE(duration, 2);
  return p;
}

describe('RTP endpoint', () => {
  const open: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const o of open.splice(0)) o.close();
  });

  async function endpoint(): Promise<{ ep: RtpEndpoint; frames: Frame[]; digits: Array<[string, number]>; send(b: Buffer): void }> {
    const frames: Frame[] = [];
    const digits: Array<[string, number]> = [];
    const port = 41000 + Math.floor(Math.random() * 500) * 2;
    const ep = new RtpEndpoint('127.0.0.1', port, { onAudio: (f) => frames.push({ codec: f.codec, seq: f.seq, timestamp: f.timestamp, payload: Buffer.from(f.payload) }), onDtmf: (d, n) => digits.push([d, n]) });
    await ep.open();
    const sender = dgram.createSocket('udp4');
    open.push(ep, sender);
    return { ep, frames, digits, send: (b) => sender.send(b, port, '127.0.0.1') };
  }

  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 100));

  it('delivers audio with its codec and timestamp, drops duplicates and very late packets, keeps reordered ones', async () => {
    const { frames, send } = await endpoint();
    send(packet(100, 16000));
    send(packet(100, 16000)); // duplicate
    send(packet(102, 16320, 8)); // PCMA, arrives before 101
    send(packet(101, 16160));
    send(packet(40, 6560)); // 60 packets old
    send(packet(103, 16480, 13)); // comfort noise: ignored
    await settle();
    expect(frames.map((f) => [f.seq, f.codec, f.timestamp])).toEqual([
      [100, 'PCMU', 16000],
      [102, 'PCMA', 16320],
      [101, 'PCMU', 16160],
    ]);
  });

  it('skips CSRCs, header extensions and padding', async () => {
    const { frames, send } = await endpoint();
    const h = Buffer.alloc(12 + 4 + 8);
    h[0] = 0x80 | 0x10 | 0x20 | 1; // extension, padding, one CSRC
    h.writeUInt16BE(5, 2);
    h.writeUInt16BE(1, 16 + 2); // extension of one word
    const payload = Buffer.concat([Buffer.alloc(160, 0x55), Buffer.from([0, 0, 3])]);
    send(Buffer.concat([h, payload]));
    await settle();
    expect(frames[0]?.payload.length).toBe(160);
  });

  it('decodes an RFC 4733 key press once, from its end packets', async () => {
    const { digits, send } = await endpoint();
    send(packet(1, 8000, 101, dtmf(5, false, 400)));
    send(packet(2, 8000, 101, dtmf(5, false, 800)));
    for (let i = 0; i < 3; i++) send(packet(3 + i, 8000, 101, dtmf(5, true, 1120)));
    send(packet(6, 9600, 101, dtmf(11, true, 800)));
    await settle();
    expect(digits).toEqual([
      ['5', 1120],
      ['#', 800],
    ]);
  });

  it('sends our stream with our SSRC, consecutive sequence numbers and a timestamp that follows gaps', async () => {
    const sink = dgram.createSocket('udp4');
    const got: Buffer[] = [];
    sink.on('message', (m) => got.push(m));
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', r));
    open.push(sink);
    const { ep } = await endpoint();
    ep.remote = { host: '127.0.0.1', port: sink.address().port };
    ep.send(new Uint8Array(160));
    ep.send(new Uint8Array(160));
    ep.skip(800);
    ep.send(new Uint8Array(160));
    await settle();
    expect(got).toHaveLength(3);
    const seqs = got.map((b) => b.readUInt16BE(2));
    const ts = got.map((b) => b.readUInt32BE(4));
    expect((seqs[1] ?? 0) - (seqs[0] ?? 0)).toBe(1);
    expect((ts[1] ?? 0) - (ts[0] ?? 0)).toBe(160);
    expect((ts[2] ?? 0) - (ts[1] ?? 0)).toBe(960);
    expect(got.map((b) => (b[1] ?? 0) >> 7)).toEqual([1, 0, 1]); // marker on each talkspurt start
  });

  it('hands out even ports and reuses released ones', () => {
    const pool = new PortPool(20001, 20007);
    expect([pool.take(), pool.take(), pool.take()]).toEqual([20002, 20004, 20006]);
    expect(pool.take()).toBeUndefined();
    pool.release(20004);
    expect(pool.take()).toBe(20004);
  });
});

describe('SDP', () => {
  it('offers G.711 and telephone-event and reads the answer codec and address', () => {
    const offer = buildSdp({ host: '127.0.0.5', port: 30000, codecs: ['PCMU', 'PCMA'], telephoneEventPt: 101, sessionId: 1, version: 1 });
    expect(offer).toContain('m=audio 30000 RTP/AVP 0 8 101');
    const answer = 'v=0\r\no=x 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8 96\r\na=rtpmap:96 telephone-event/8000\r\n';
    expect(parseSdp(answer, ['PCMU', 'PCMA'])).toEqual({ host: '10.0.0.2', port: 4000, codec: 'PCMA', telephoneEventPt: 96 });
    expect(parseSdp('v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 18\r\n', ['PCMU'])).toBeUndefined();
  });
});

describe('stereo recording', () => {
  it('places each channel by its own RTP clock, leaving silence for lost packets', () => {
    const rec = new StereoRecorder();
    const ones = new Int16Array(160).fill(1000);
    rec.write(0, 5000, ones, 0);
    rec.write(0, 5320, ones, 0); // 5160 lost
    rec.write(1, 90000, ones, 160); // right channel starts one frame later
    const [left, right] = rec.finish();
    expect(left[0]).toBe(1000);
    expect(left[200]).toBe(0);
    expect(left[330]).toBe(1000);
    expect(right[100]).toBe(0);
    expect(right[170]).toBe(1000);
    const wav = writeWav([left, right]);
    expect(wav.readUInt16LE(22)).toBe(2);
    const back = readWav(wav);
    expect('samples' in back && back.samples[330]).toBe(1000);
  });

  it('decodes G.711 straight into the recording as decode() would, in either codec, and grows past its first 10 s', () => {
    const viaPcm = new StereoRecorder();
    const direct = new StereoRecorder();
    const payload = new Uint8Array(160);
    for (let i = 0; i < 160; i++) payload[i] = (i * 37) & 0xff; // every kind of byte, both signs
    for (let k = 0; k < 600; k++) {
      // 12 s of both channels, the right in A-law; every 7th left frame lost.
      if (k % 7 !== 3) {
        viaPcm.write(0, 1000 + k * 160, decode('PCMU', payload), 0);
        direct.writeG711(0, 1000 + k * 160, 'PCMU', payload, 0);
      }
      viaPcm.write(1, 777 + k * 160, decode('PCMA', payload), 0);
      direct.writeG711(1, 777 + k * 160, 'PCMA', payload, 0);
    }
    const [l1, r1] = viaPcm.finish();
    const [l2, r2] = direct.finish();
    expect(l2.length).toBe(600 * 160);
    expect(direct.durationMs).toBe(12_000);
    expect(l2).toEqual(l1);
    expect(r2).toEqual(r1);
    expect(l2.subarray(3 * 160, 4 * 160).every((x) => x === 0)).toBe(true);
    expect(Array.from(r2.subarray(599 * 160, 599 * 160 + 160))).toEqual(Array.from(decode('PCMA', payload)));
  });
});
