import dgram from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RealClock } from '@outdial/telephony/real-clock';
import { amdConfig } from '@outdial/driver-sip/amd/amd-config';
import { decode, encode } from '@outdial/driver-sip/media/g711';
import { MediaEngine } from '@outdial/driver-sip/media/media-engine';
import { MediaPlane } from '@outdial/driver-sip/media/media-plane';
import type { MediaEvent } from '@outdial/driver-sip/media/media-protocol';

const HOST = '127.0.0.1';

function rtpPacket(seq: number, ts: number, payload: Uint8Array, pt = 0): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = pt;
  h.writeUInt16BE(seq, 2);
  h.writeUInt32BE(ts, 4);
  h.writeUInt32BE(0xabcdef, 8);
  return Buffer.concat([h, payload]);
}

/** A far end: a socket that collects what the engine sends it. */
async function farEnd(): Promise<{ port: number; got: Buffer[]; send(to: number, b: Buffer): void; close(): void }> {
  const socket = dgram.createSocket('udp4');
  const got: Buffer[] = [];
  socket.on('message', (m) => got.push(m));
  await new Promise<void>((r) => socket.bind(0, HOST, r));
  return { port: socket.address().port, got, send: (to, b) => socket.send(b, to, HOST), close: () => socket.close() };
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, ms = 2000): Promise<void> {
  for (let t = 0; !check() && t < ms; t += 10) await wait(10);
}

/** Two free even ports for a customer and an agent leg (RTCP on the odd ones). */
function ports(): [number, number] {
  const base = 42000 + Math.floor(Math.random() * 1000) * 4;
  return [base, base + 2];
}

describe('media engine (the media worker’s core, run in-process)', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanup.splice(0)) c();
  });

  async function rig(opts: { agentCodec?: 'PCMU' | 'PCMA'; record?: boolean } = {}): Promise<{
    engine: MediaEngine;
    events: MediaEvent[];
    customer: Awaited<ReturnType<typeof farEnd>>;
    agent: Awaited<ReturnType<typeof farEnd>>;
    cPort: number;
    aPort: number;
  }> {
    const events: MediaEvent[] = [];
    const engine = new MediaEngine(new RealClock(), (e) => events.push(e));
    engine.start();
    const customer = await farEnd();
    const agent = await farEnd();
    cleanup.push(() => engine.stop(), customer.close, agent.close);
    const [cPort, aPort] = ports();
    engine.handle({ t: 'open', req: 1, id: 'c', kind: 'customer', host: HOST, port: cPort });
    engine.handle({ t: 'open', req: 2, id: 'a', kind: 'agent', host: HOST, port: aPort });
    await until(() => events.filter((e) => e.t === 'reply').length === 2);
    expect(events.filter((e) => e.t === 'reply' && e.error !== undefined)).toEqual([]);
    engine.handle({ t: 'remote', id: 'c', host: HOST, port: customer.port, codec: 'PCMU', telephoneEventPt: 101 });
    engine.handle({ t: 'remote', id: 'a', host: HOST, port: agent.port, codec: opts.agentCodec ?? 'PCMU', telephoneEventPt: 101 });
    engine.handle({ t: 'answered', id: 'c', record: opts.record ?? false, amd: undefined });
    return { engine, events, customer, agent, cPort, aPort };
  }

  it('relays both ways once connected, re-stamped with each leg’s own SSRC, payload untouched, and confirms the bridge on the first packet', async () => {
    const { engine, events, customer, agent, cPort, aPort } = await rig();
    const voice = Buffer.alloc(160, 0x2a);
    customer.send(cPort, rtpPacket(1, 160, voice));
    await wait(50);
    expect(agent.got).toHaveLength(0); // not bridged yet: nothing goes to the agent
    engine.handle({ t: 'connect', id: 'c', agentId: 'a', token: 7, fallbackMs: 5000 });
    customer.send(cPort, rtpPacket(2, 320, voice));
    await until(() => agent.got.length === 1);
    const toAgent = agent.got[0] ?? Buffer.alloc(0);
    expect(toAgent.subarray(12)).toEqual(voice);
    expect(toAgent.readUInt32BE(8)).not.toBe(0xabcdef);
    expect(events).toContainEqual({ t: 'bridged', id: 'c', token: 7 });
    agent.send(aPort, rtpPacket(9, 1440, Buffer.alloc(160, 0x33)));
    await until(() => customer.got.length === 1);
    expect(customer.got[0]?.subarray(12)).toEqual(Buffer.alloc(160, 0x33));
    engine.handle({ t: 'disconnect', id: 'c' });
    customer.send(cPort, rtpPacket(3, 480, voice));
    await wait(50);
    expect(agent.got).toHaveLength(1);
    expect(engine.packets()).toMatchObject({ in: 4, out: 2, legs: 2 });
  });

  it('confirms a bridge to a silent customer on the ticker after the fallback time, not before', async () => {
    const { engine, events } = await rig();
    const t0 = Date.now();
    engine.handle({ t: 'connect', id: 'c', agentId: 'a', token: 5, fallbackMs: 100 });
    await until(() => events.some((e) => e.t === 'bridged'));
    expect(events.filter((e) => e.t === 'bridged')).toEqual([{ t: 'bridged', id: 'c', token: 5 }]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
  });

  it('still hears a far end that sends from another port than the one it receives on (asymmetric RTP)', async () => {
    const { engine, agent, cPort } = await rig();
    const elsewhere = await farEnd();
    cleanup.push(elsewhere.close);
    engine.handle({ t: 'connect', id: 'c', agentId: 'a', token: 1, fallbackMs: 5000 });
    await wait(50); // the connected sending sockets are in place
    elsewhere.send(cPort, rtpPacket(1, 160, Buffer.alloc(160, 0x21)));
    await until(() => agent.got.length === 1);
    expect(agent.got[0]?.subarray(12)).toEqual(Buffer.alloc(160, 0x21));
  });

  it('transcodes only when the legs’ codecs differ', async () => {
    const { engine, customer, agent, cPort } = await rig({ agentCodec: 'PCMA' });
    engine.handle({ t: 'connect', id: 'c', agentId: 'a', token: 1, fallbackMs: 5000 });
    const pcm = new Int16Array(160).map((_, i) => Math.round(8000 * Math.sin(i / 5)));
    customer.send(cPort, rtpPacket(1, 160, encode('PCMU', pcm)));
    await until(() => agent.got.length === 1);
    const out = agent.got[0] ?? Buffer.alloc(0);
    expect(out[1]! & 0x7f).toBe(8);
    const back = decode('PCMA', out.subarray(12));
    for (let i = 0; i < 160; i++) expect(Math.abs((back[i] ?? 0) - (pcm[i] ?? 0))).toBeLessThan(600);
  });

  it('plays a prompt on the shared 20 ms ticker and reports it done; a bridge is not relayed while it plays', async () => {
    const { engine, events, customer } = await rig();
    engine.handle({ t: 'prompt', key: 'p|PCMU', frames: [new Uint8Array(160).fill(1), new Uint8Array(160).fill(2), new Uint8Array(160).fill(3)] });
    engine.handle({ t: 'play', id: 'c', key: 'p|PCMU', token: 4 });
    await until(() => events.some((e) => e.t === 'play-done'));
    expect(events).toContainEqual({ t: 'play-done', id: 'c', token: 4 });
    expect(customer.got.map((b) => b[12])).toEqual([1, 2, 3]);
    const seqs = customer.got.map((b) => b.readUInt16BE(2));
    expect(seqs[1]).toBe(((seqs[0] ?? 0) + 1) & 0xffff);
  });

  it('records both directions and writes the stereo WAV when the leg closes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'outdial-media-engine-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const { engine, events, customer, agent, cPort, aPort } = await rig({ record: true });
    engine.handle({ t: 'connect', id: 'c', agentId: 'a', token: 1, fallbackMs: 5000 });
    const loud = encode('PCMU', new Int16Array(160).fill(4000));
    for (let i = 0; i < 5; i++) customer.send(cPort, rtpPacket(i, i * 160, loud));
    await until(() => agent.got.length === 5);
    for (let i = 0; i < 5; i++) agent.send(aPort, rtpPacket(100 + i, i * 160, loud));
    await until(() => customer.got.length === 5);
    const file = path.join(dir, 'rec', 'c.wav');
    engine.handle({ t: 'close', req: 9, id: 'c', recordTo: file });
    await until(() => events.some((e) => e.t === 'reply' && e.req === 9));
    expect(events).toContainEqual({ t: 'reply', req: 9 });
    expect(existsSync(file)).toBe(true);
    const wav = readFileSync(file);
    expect(wav.readUInt16LE(22)).toBe(2);
    const frames = (wav.length - 44) / 4;
    let left = 0;
    let right = 0;
    for (let i = 0; i < frames; i++) {
      left = Math.max(left, Math.abs(wav.readInt16LE(44 + i * 4)));
      right = Math.max(right, Math.abs(wav.readInt16LE(46 + i * 4)));
    }
    expect(left).toBeGreaterThan(3000);
    expect(right).toBeGreaterThan(3000);
  });

  it('feeds AMD the called party’s audio and reports its events with how long ago they happened', async () => {
    const events: MediaEvent[] = [];
    const engine = new MediaEngine(new RealClock(), (e) => events.push(e));
    engine.start();
    const peer = await farEnd();
    cleanup.push(() => engine.stop(), peer.close);
    const [port] = ports();
    engine.handle({ t: 'open', req: 1, id: 'c', kind: 'customer', host: HOST, port });
    await until(() => events.length === 1);
    engine.handle({ t: 'answered', id: 'c', record: false, amd: { config: { ...amdConfig(), initialSilenceMs: 400 }, listenForTones: true } });
    // Silence only (every other frame lost: lost frames count as silence too) → INITIALSILENCE, a machine.
    const silence = new Uint8Array(160).fill(0xff);
    for (let i = 0; i < 30; i += 2) peer.send(port, rtpPacket(i, i * 160, silence));
    await until(() => events.some((e) => e.t === 'amd'));
    const amd = events.find((e) => e.t === 'amd');
    expect(amd).toMatchObject({ t: 'amd', id: 'c', events: [{ kind: 'verdict', result: 'machine' }] });
  });
});

describe('media plane (the worker thread)', () => {
  it('starts the worker, relays through it and answers stats with its thread’s figures', async () => {
    const plane = new MediaPlane((detail) => {
      throw new Error(detail);
    });
    await plane.start();
    const customer = await farEnd();
    const agent = await farEnd();
    try {
      const bridged: number[] = [];
      const [cPort, aPort] = ports();
      const c = plane.leg('customer', HOST, cPort, { onBridged: (token) => bridged.push(token) });
      const a = plane.leg('agent', HOST, aPort, {});
      await Promise.all([c.open(), a.open()]);
      c.setRemote({ host: HOST, port: customer.port }, 'PCMU', 101);
      a.setRemote({ host: HOST, port: agent.port }, 'PCMU', 101);
      c.answered(false, undefined);
      c.connect(a, 3, 5000);
      await wait(50);
      customer.send(cPort, rtpPacket(1, 160, Buffer.alloc(160, 0x44)));
      await until(() => agent.got.length === 1 && bridged.length === 1);
      expect(agent.got[0]?.subarray(12)).toEqual(Buffer.alloc(160, 0x44));
      expect(bridged).toEqual([3]);
      const stats = await plane.stats();
      expect(stats).toMatchObject({ packetsIn: 1, packetsOut: 1, legs: 2 });
      expect(stats?.utilization).toBeGreaterThanOrEqual(0);
      if (process.platform === 'linux') expect(stats?.threadId).not.toBe(process.pid);
      expect(await c.close()).toBeUndefined();
    } finally {
      customer.close();
      agent.close();
      await plane.stop();
    }
  });
});
