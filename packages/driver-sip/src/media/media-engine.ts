import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '@outdial/core/clock';
import { AmdEngine } from '../amd/amd-engine.ts';
import { ToneDetector } from '../amd/tone-detector.ts';
import { decode, transcode } from './g711.ts';
import type { MediaCommand, MediaEvent } from './media-protocol.ts';
import { MediaTicker } from './media-ticker.ts';
import type { AudioFrame } from './rtp-endpoint.ts';
import { DTMF_DIGITS, RtpEndpoint } from './rtp-endpoint.ts';
import { StereoRecorder } from './stereo-recorder.ts';
import { writeWav } from './wav.ts';

interface Leg {
  id: string;
  kind: 'customer' | 'agent';
  rtp: RtpEndpoint;
  /** When we last sent on this leg: the RTP clock jumps over longer gaps so the far end's playout stays real time. */
  lastSendAt: number | undefined;
  answeredAt: number | undefined;
  /** The other leg of a bridge (customer ↔ agent). */
  peer: Leg | undefined;
  /**
   * A bridge not yet confirmed: the first customer packet forwarded confirms it, or the ticker once the customer has
   * been silent `fallbackMs` since the switch. Both on this thread's time, so a late worker shows in the latency.
   */
  bridge: { token: number; at: number; fallbackMs: number } | undefined;
  playback: { frames: Uint8Array[]; index: number; token: number } | undefined;
  recorder: StereoRecorder | undefined;
  amd: AmdEngine | undefined;
  amdMediaMs: number;
  lastAmdTimestamp: number | undefined;
  earlyTones: ToneDetector | undefined;
  /** RFC 4733 digits being sent (the first) and queued behind it; audio to this leg is held back meanwhile. */
  dtmf: DtmfJob[] | undefined;
  /** Decode scratch for one 20 ms frame: no allocation per packet. */
  pcm: Int16Array;
  closed: boolean;
}

const PERIOD_MS = 20;
/** Samples per packet time (8 kHz, 20 ms): one telephone-event packet per tick. */
const TICK_SAMPLES = 160;
/** A `,` in a digit string: a pause of this many ticks (500 ms), as dialers write a wait for an IVR. */
const PAUSE_TICKS = 25;

/** One `send-dtmf` request in progress on a leg (RFC 4733 §2.5: start, continuation, three end packets). */
interface DtmfJob {
  req: number;
  digits: string;
  index: number;
  durationSamples: number;
  gapTicks: number;
  volume: number;
  /** The current event: its code, first timestamp, packets sent, end packets sent; ticks of silence left after it. */
  event: number | undefined;
  startTs: number;
  packets: number;
  ends: number;
  silentTicks: number;
}

/**
 * The media plane of the `sip` driver: every leg's RTP, the bridge relay, prompt playback, stereo recording, the
 * AMD feed and RFC 4733 digits. It runs in its own worker thread (media-worker.ts) so packets never wait behind
 * SIP signalling or the dialer engine; the driver controls it with `MediaCommand`s and hears `MediaEvent`s.
 *
 * The relay forwards each packet when it arrives (no jitter buffer: the phones have theirs, and holding packets
 * would add delay); G.711 is decoded only while AMD or recording needs samples, transcoded only when the legs'
 * codecs differ. One ticker paces everything we originate (prompt frames, RTCP) and the bridges' silent-customer fallback, for all
 * legs at once.
 */
export class MediaEngine {
  private readonly legs = new Map<string, Leg>();
  private readonly prompts = new Map<string, Uint8Array[]>();
  private readonly done = { in: 0, out: 0 };
  private readonly ticker: MediaTicker;
  private ticks = 0;

  constructor(
    private readonly clock: Clock,
    private readonly post: (event: MediaEvent) => void,
  ) {
    this.ticker = new MediaTicker(clock, PERIOD_MS, () => this.tick());
  }

  start(): void {
    this.ticker.start();
  }

  stop(): void {
    this.ticker.stop();
    for (const leg of this.legs.values()) leg.rtp.close();
    this.legs.clear();
  }

  /** Packets received and sent since start, on live and closed legs. */
  packets(): { in: number; out: number; legs: number; bridged: number; amd: number } {
    let packetsIn = this.done.in;
    let packetsOut = this.done.out;
    let bridged = 0;
    let amd = 0;
    for (const leg of this.legs.values()) {
      packetsIn += leg.rtp.packetsReceived;
      packetsOut += leg.rtp.packetsSent;
      if (leg.kind === 'customer' && leg.peer) bridged++;
      if (leg.amd) amd++;
    }
    return { in: packetsIn, out: packetsOut, legs: this.legs.size, bridged, amd };
  }

  /** Runs one command; `open` and `close` answer when done (binding and writing a recording take I/O). */
  handle(cmd: MediaCommand): void {
    switch (cmd.t) {
      case 'open':
        return void this.open(cmd);
      case 'remote': {
        const leg = this.legs.get(cmd.id);
        if (!leg) return;
        leg.rtp.remote = { host: cmd.host, port: cmd.port };
        leg.rtp.codec = cmd.codec;
        leg.rtp.telephoneEventPt = cmd.telephoneEventPt;
        return;
      }
      case 'early-tones': {
        const leg = this.legs.get(cmd.id);
        if (leg && leg.answeredAt === undefined) leg.earlyTones ??= new ToneDetector(cmd.config);
        return;
      }
      case 'answered': {
        const leg = this.legs.get(cmd.id);
        if (!leg) return;
        leg.answeredAt = this.clock.now();
        leg.earlyTones = undefined;
        if (cmd.record) leg.recorder = new StereoRecorder();
        if (cmd.amd) {
          leg.amd = new AmdEngine(cmd.amd.config);
          leg.amd.listenForTones = cmd.amd.listenForTones;
        }
        return;
      }
      case 'amd-stop': {
        const leg = this.legs.get(cmd.id);
        if (leg) leg.amd = undefined;
        return;
      }
      case 'connect':
        return this.connect(cmd.id, cmd.agentId, cmd.token, cmd.fallbackMs);
      case 'disconnect': {
        const leg = this.legs.get(cmd.id);
        if (leg) this.unlink(leg);
        return;
      }
      case 'prompt':
        this.prompts.set(cmd.key, cmd.frames);
        return;
      case 'play': {
        const leg = this.legs.get(cmd.id);
        const frames = this.prompts.get(cmd.key);
        if (!leg || !frames) return;
        this.unlink(leg);
        leg.playback = { frames, index: 0, token: cmd.token };
        return;
      }
      case 'stop-play': {
        const leg = this.legs.get(cmd.id);
        if (leg) leg.playback = undefined;
        return;
      }
      case 'send-dtmf':
        return this.queueDtmf(cmd);
      case 'close':
        return this.close(cmd.req, cmd.id, cmd.recordTo);
      case 'stats':
        return; // answered by the worker, which adds its own loop figures
    }
  }

  private async open(cmd: Extract<MediaCommand, { t: 'open' }>): Promise<void> {
    const leg: Leg = {
      id: cmd.id,
      kind: cmd.kind,
      rtp: new RtpEndpoint(cmd.host, cmd.port, {
        onAudio: (frame) => (leg.kind === 'customer' ? this.customerAudio(leg, frame) : this.agentAudio(leg, frame)),
        onDtmf: (digit, durationSamples) => this.post({ t: 'dtmf', id: leg.id, digit, durationSamples }),
      }, true),
      lastSendAt: undefined,
      answeredAt: undefined,
      peer: undefined,
      bridge: undefined,
      playback: undefined,
      recorder: undefined,
      amd: undefined,
      amdMediaMs: 0,
      lastAmdTimestamp: undefined,
      earlyTones: undefined,
      dtmf: undefined,
      pcm: new Int16Array(160),
      closed: false,
    };
    this.legs.set(cmd.id, leg);
    try {
      await leg.rtp.open();
      if (leg.closed) leg.rtp.close();
      this.post({ t: 'reply', req: cmd.req });
    } catch (error) {
      this.legs.delete(cmd.id);
      leg.rtp.close();
      this.post({ t: 'reply', req: cmd.req, error: error instanceof Error ? error.message : String(error) });
    }
  }

  private close(req: number, id: string, recordTo: string | undefined): void {
    const leg = this.legs.get(id);
    let error: string | undefined;
    if (leg) {
      this.unlink(leg);
      for (const job of leg.dtmf ?? []) this.post({ t: 'reply', req: job.req, error: 'the leg closed' });
      leg.dtmf = undefined;
      leg.closed = true;
      leg.rtp.close();
      this.done.in += leg.rtp.packetsReceived;
      this.done.out += leg.rtp.packetsSent;
      this.legs.delete(id);
      if (recordTo && leg.recorder) {
        try {
          mkdirSync(path.dirname(recordTo), { recursive: true });
          writeFileSync(recordTo, writeWav(leg.recorder.finish()));
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
      }
    }
    this.post(error === undefined ? { t: 'reply', req } : { t: 'reply', req, error });
  }

  private connect(id: string, agentId: string, token: number, fallbackMs: number): void {
    const leg = this.legs.get(id);
    const agent = this.legs.get(agentId);
    if (!leg || !agent) return;
    this.unlink(leg);
    this.unlink(agent);
    leg.playback = undefined;
    leg.peer = agent;
    agent.peer = leg;
    leg.bridge = { token, at: this.clock.now(), fallbackMs };
  }

  private unlink(leg: Leg): void {
    const peer = leg.peer;
    if (!peer) return;
    peer.peer = undefined;
    leg.peer = undefined;
    leg.bridge = undefined;
    peer.bridge = undefined;
  }

  private customerAudio(leg: Leg, frame: AudioFrame): void {
    if (leg.answeredAt === undefined) {
      if (leg.earlyTones && frame.payloadLength === 160) {
        for (const e of leg.earlyTones.feed(decode(frame.codec, frame.payload, leg.pcm))) {
          if (e.kind === 'sit') this.post({ t: 'sit-early', id: leg.id, detail: e.detail });
        }
      }
      return;
    }
    const agent = leg.peer;
    if (agent) {
      if (agent.dtmf === undefined) {
        this.clockSend(agent);
        if (agent.rtp.codec === frame.codec) agent.rtp.relay(frame);
        else agent.rtp.send(transcode(frame.codec, agent.rtp.codec, frame.payload));
      }
      if (leg.bridge) this.confirmBridge(leg);
    }
    const recorder = leg.recorder;
    if (!leg.amd) {
      // After the verdict (most of a call): the recording decodes the payload straight into its buffer.
      if (recorder) recorder.writeG711(0, frame.timestamp, frame.codec, frame.payload, (this.clock.now() - leg.answeredAt) * 8);
      return;
    }
    const pcm = decode(frame.codec, frame.payload, frame.payloadLength === 160 ? leg.pcm : new Int16Array(frame.payloadLength));
    if (recorder) recorder.write(0, frame.timestamp, pcm, (this.clock.now() - leg.answeredAt) * 8);
    this.feedAmd(leg, leg.amd, frame.timestamp, pcm);
  }

  private agentAudio(leg: Leg, frame: AudioFrame): void {
    const customer = leg.peer;
    if (!customer || customer.playback || customer.closed || customer.dtmf) return;
    if (customer.rtp.codec !== frame.codec) return this.sendToCustomer(customer, transcode(frame.codec, customer.rtp.codec, frame.payload));
    const ts = this.clockSend(customer);
    customer.rtp.relay(frame); // the payload is left as it was: the recording reads it below
    if (customer.recorder) this.recordSent(customer, ts, frame.payload);
  }

  private sendToCustomer(leg: Leg, payload: Uint8Array): void {
    const ts = this.clockSend(leg);
    leg.rtp.send(payload);
    this.recordSent(leg, ts, payload);
  }

  /** What we sent the called party, on the recording's right channel. */
  private recordSent(leg: Leg, ts: number, payload: Uint8Array): void {
    if (leg.recorder && leg.answeredAt !== undefined) {
      leg.recorder.writeG711(1, ts, leg.rtp.codec, payload, (this.clock.now() - leg.answeredAt) * 8);
    }
  }

  /**
   * Before each packet we send: our RTP clock jumps over a gap of more than 30 ms (a new talkspurt) so the far end
   * plays in real time. Returns the timestamp the packet will carry.
   */
  private clockSend(leg: Leg): number {
    const now = this.clock.now();
    const last = leg.lastSendAt;
    if (last !== undefined && now - last > 30) leg.rtp.skip(Math.round((now - last - 20) * 8));
    leg.lastSendAt = now;
    return leg.rtp.sentTimestamp;
  }

  private feedAmd(leg: Leg, amd: AmdEngine, timestamp: number, pcm: Int16Array): void {
    if (leg.lastAmdTimestamp !== undefined) {
      const delta = (timestamp - leg.lastAmdTimestamp) | 0;
      if (delta <= 0) return; // late or duplicate: AMD has moved on
      // Lost frames count as silence, so loss does not stretch or shrink the greeting.
      for (let missing = Math.min(50, Math.round(delta / 160) - 1); missing > 0 && leg.amd === amd; missing--) this.amdEvents(leg, amd, amd.feed(undefined));
    }
    leg.lastAmdTimestamp = timestamp;
    if (pcm.length === 160 && leg.amd === amd) this.amdEvents(leg, amd, amd.feed(pcm));
  }

  private amdEvents(leg: Leg, amd: AmdEngine, events: ReturnType<AmdEngine['feed']>): void {
    leg.amdMediaMs += amd.config.frameMs;
    if (events.length === 0) return;
    const agoMs = events.map((e) => ('atMs' in e ? leg.amdMediaMs - e.atMs : 0));
    this.post({ t: 'amd', id: leg.id, events, agoMs });
    // A beep ends detection (a voicemail drop waits for it); the driver decides everything else.
    if (events.some((e) => e.kind === 'beep')) leg.amd = undefined;
  }

  private queueDtmf(cmd: Extract<MediaCommand, { t: 'send-dtmf' }>): void {
    const leg = this.legs.get(cmd.id);
    const fail = (error: string): void => this.post({ t: 'reply', req: cmd.req, error });
    if (!/^[0-9*#A-Da-d,]+$/.test(cmd.digits)) return fail(`not DTMF digits: "${cmd.digits}" (0-9, *, #, A-D, and , for a pause)`);
    if (!leg || leg.closed) return fail('no such leg');
    if (!leg.rtp.remote) return fail('the leg has no far end yet');
    if (leg.rtp.telephoneEventPt === undefined) return fail('the far end did not accept telephone-event (RFC 4733) in its SDP');
    const job: DtmfJob = {
      req: cmd.req,
      digits: cmd.digits,
      index: 0,
      // Whole packets: the last one (with E) carries the full duration.
      durationSamples: Math.max(2, Math.round(cmd.durationMs / PERIOD_MS)) * TICK_SAMPLES,
      gapTicks: Math.max(1, Math.round(cmd.gapMs / PERIOD_MS)),
      volume: cmd.volume,
      event: undefined,
      startTs: 0,
      packets: 0,
      ends: 0,
      silentTicks: 0,
    };
    if (leg.dtmf) leg.dtmf.push(job);
    else leg.dtmf = [job];
  }

  /**
   * One packet time of the leg's first DTMF job: the next packet of the current event (start with the marker,
   * continuations with the duration so far, then the end packet three times, RFC 4733 §2.5.1.4), or a tick of the
   * silence after it, or the start of the next digit. The event's timestamp is where our stream's clock stood when it
   * began; the clock goes on advancing one packet time per packet, so audio after the digits continues in real time.
   */
  private dtmfTick(leg: Leg, jobs: DtmfJob[]): void {
    const job = jobs[0];
    if (!job) {
      leg.dtmf = undefined;
      return;
    }
    if (job.silentTicks > 0) {
      job.silentTicks--;
      if (job.silentTicks > 0 || job.index < job.digits.length) return;
      this.post({ t: 'reply', req: job.req });
      jobs.shift();
      if (jobs.length === 0) leg.dtmf = undefined;
      return;
    }
    if (job.event === undefined) {
      const c = job.digits[job.index++] ?? '';
      if (c === ',') {
        job.silentTicks = PAUSE_TICKS;
        return;
      }
      job.event = DTMF_DIGITS.indexOf(c.toUpperCase());
      job.startTs = this.clockSend(leg);
      job.packets = 0;
      job.ends = 0;
    } else {
      this.clockSend(leg);
    }
    job.packets++;
    const duration = Math.min(job.durationSamples, job.packets * TICK_SAMPLES);
    const end = duration >= job.durationSamples;
    if (end) job.ends++;
    leg.rtp.sendEvent(job.event, job.startTs, duration, { end, first: job.packets === 1, volume: job.volume, advance: TICK_SAMPLES });
    if (job.ends < 3) return;
    job.event = undefined;
    job.silentTicks = job.gapTicks;
  }

  private confirmBridge(leg: Leg): void {
    const bridge = leg.bridge;
    if (!bridge) return;
    leg.bridge = undefined;
    this.post({ t: 'bridged', id: leg.id, token: bridge.token });
  }

  private tick(): void {
    this.ticks++;
    const now = this.clock.now();
    for (const leg of this.legs.values()) {
      if (leg.bridge && now - leg.bridge.at >= leg.bridge.fallbackMs) this.confirmBridge(leg);
      if (leg.dtmf) {
        this.dtmfTick(leg, leg.dtmf); // a prompt waits meanwhile
        continue;
      }
      const p = leg.playback;
      if (!p) continue;
      const frame = p.frames[p.index];
      if (!frame) {
        leg.playback = undefined;
        this.post({ t: 'play-done', id: leg.id, token: p.token });
        continue;
      }
      p.index++;
      this.sendToCustomer(leg, frame);
    }
    if (this.ticks % 250 === 0) {
      // RTCP sender reports every 5 s.
      for (const leg of this.legs.values()) if (leg.rtp.remote && (leg.kind === 'agent' || leg.answeredAt !== undefined)) leg.rtp.sendReport(now);
    }
  }
}
