import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import type { Codec } from './g711.ts';
import { PAYLOAD_TYPE } from './g711.ts';

/**
 * One received audio frame: G.711 payload, its codec and its position on the sender's 8 kHz sample clock. The endpoint
 * hands the same object to `onAudio` for every packet, overwritten by the next: consumers copy what they keep. The
 * payload view is made only when someone reads `payload` (the relay does not: it forwards `packet`).
 */
export class AudioFrame {
  codec: Codec = 'PCMU';
  timestamp = 0;
  seq = 0;
  /** The whole datagram the payload is part of (Node hands each one its own buffer): `RtpEndpoint.relay` reuses it. */
  packet: Buffer = Buffer.alloc(0);
  /** Where the payload starts and ends in `packet` (a plain header: 12, and the datagram's length). */
  payloadOffset = 12;
  payloadEnd = 12;
  private view: Buffer | undefined;

  get payload(): Buffer {
    return (this.view ??= this.packet.subarray(this.payloadOffset, this.payloadEnd));
  }

  get payloadLength(): number {
    return this.payloadEnd - this.payloadOffset;
  }

  /** Points the frame at the next packet. */
  reset(codec: Codec, timestamp: number, seq: number, packet: Buffer, payloadOffset: number, payloadEnd: number): void {
    this.codec = codec;
    this.timestamp = timestamp;
    this.seq = seq;
    this.packet = packet;
    this.payloadOffset = payloadOffset;
    this.payloadEnd = payloadEnd;
    this.view = undefined;
  }
}

export interface RtpEndpointEvents {
  onAudio(frame: AudioFrame): void;
  /** RFC 4733: one call per key press, when its end packet arrives. */
  onDtmf(digit: string, durationSamples: number): void;
}

/** RFC 4733 §3.2: event codes 0–15. */
export const DTMF_DIGITS = '0123456789*#ABCD';

/** Allocates even RTP ports (RTCP on the next odd one) from a range, in turn. */
export class PortPool {
  private next: number;
  private readonly used = new Set<number>();
  constructor(
    private readonly min: number,
    private readonly max: number,
  ) {
    this.next = min + (min % 2);
  }

  take(): number | undefined {
    const span = Math.floor((this.max - this.min) / 2);
    for (let i = 0; i < span; i++) {
      const port = this.next;
      this.next += 2;
      if (this.next + 1 > this.max) this.next = this.min + (this.min % 2);
      if (!this.used.has(port)) {
        this.used.add(port);
        return port;
      }
    }
    return undefined;
  }

  release(port: number): void {
    this.used.delete(port);
  }
}

/**
 * An RTP/RTCP endpoint for one leg (RFC 3550): receives and classifies packets (G.711 audio, RFC 4733 events,
 * comfort noise), drops duplicates and very late packets, and sends our own stream with its SSRC, sequence and
 * timestamp. Loss and reordering are left to the consumers, which place audio by timestamp.
 */
export class RtpEndpoint {
  private rtp: dgram.Socket | undefined;
  private rtcp: dgram.Socket | undefined;
  /**
   * A second socket on the same port, connected to the far end, that our packets leave by: a connected UDP socket
   * sends without an address look-up per packet (in Node and in the kernel), which is most of a relay's cost. Being
   * on the same port keeps RTP symmetric; packets from the far end's address now arrive on it, the rest (a far end
   * that sends from elsewhere) still on the first. Undefined until connected, or when `connectedSend` is off.
   */
  private sender: dgram.Socket | undefined;
  private remoteAddress: { host: string; port: number } | undefined;
  private codecName: Codec = 'PCMU';
  /** The payload type of `codec`, kept as a number for the packet path. */
  private payloadType = PAYLOAD_TYPE.PCMU;
  telephoneEventPt: number | undefined = 101;
  private readonly ssrc = randomInt(1, 0xffffffff);
  private seq = randomInt(0, 0xffff);
  private timestamp = randomInt(0, 0x7fffffff);
  private marker = true;
  private highestSeq: number | undefined;
  private lastDtmfTimestamp: number | undefined;
  packetsSent = 0;
  octetsSent = 0;
  packetsReceived = 0;
  private readonly ring: Buffer[] = [];
  private ringIndex = 0;
  /** Handed to `onAudio` for every packet and overwritten by the next: consumers copy what they keep. */
  private readonly frame = new AudioFrame();
  /** The local sample clock of what we send (for recording alignment). */
  get sentTimestamp(): number {
    return this.timestamp;
  }

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly events: RtpEndpointEvents,
    private readonly connectedSend = false,
  ) {}

  /** The codec we send in (the negotiated one). */
  get codec(): Codec {
    return this.codecName;
  }

  set codec(codec: Codec) {
    this.codecName = codec;
    this.payloadType = PAYLOAD_TYPE[codec];
  }

  get remote(): { host: string; port: number } | undefined {
    return this.remoteAddress;
  }

  /** Where we send; with `connectedSend`, also (re)connects the sending socket there. */
  set remote(remote: { host: string; port: number } | undefined) {
    const same = remote && this.remoteAddress && remote.host === this.remoteAddress.host && remote.port === this.remoteAddress.port;
    this.remoteAddress = remote;
    if (same || !this.connectedSend) return;
    this.sender?.close();
    this.sender = undefined;
    if (remote && this.rtp) void this.connectSender(remote);
  }

  async open(): Promise<void> {
    const rtp = dgram.createSocket({ type: 'udp4', reuseAddr: this.connectedSend });
    const rtcp = dgram.createSocket('udp4');
    rtp.on('error', () => undefined);
    rtcp.on('error', () => undefined);
    rtp.on('message', (data) => this.receive(data));
    rtcp.on('message', () => undefined); // receiver reports are accepted and ignored
    await bind(rtp, this.port, this.host);
    await bind(rtcp, this.port + 1, this.host);
    this.rtp = rtp;
    this.rtcp = rtcp;
    if (this.remoteAddress && this.connectedSend) await this.connectSender(this.remoteAddress);
  }

  close(): void {
    this.rtp?.close();
    this.rtcp?.close();
    this.sender?.close();
    this.rtp = undefined;
    this.rtcp = undefined;
    this.sender = undefined;
  }

  private async connectSender(remote: { host: string; port: number }): Promise<void> {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    socket.on('error', () => undefined);
    socket.on('message', (data) => this.receive(data));
    try {
      await bind(socket, this.port, this.host);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.connect(remote.port, remote.host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch {
      socket.close(); // sending goes on through the unconnected socket
      return;
    }
    // Still wanted: the endpoint is open and the far end has not moved meanwhile.
    if (!this.rtp || this.remoteAddress !== remote || this.sender) {
      socket.close();
      return;
    }
    this.sender = socket;
  }

  /**
   * Sends one frame of our stream (G.711 payload in this leg's codec); a silent gap is just no send. The packet is
   * built in one of a few preallocated buffers used in turn: dgram sends at once when the socket can take it (the
   * usual case) and otherwise keeps the buffer queued, so a ring of 8 (160 ms of audio) is never overwritten early.
   */
  send(payload: Uint8Array, samples = payload.length): void {
    const size = 12 + payload.length;
    let pkt = this.ring[this.ringIndex];
    if (!pkt || pkt.length !== size) {
      pkt = Buffer.allocUnsafeSlow(size);
      this.ring[this.ringIndex] = pkt;
    }
    this.ringIndex = (this.ringIndex + 1) & 7;
    pkt.set(payload, 12);
    this.transmit(pkt, this.payloadType, payload.length, samples);
  }

  /**
   * Forwards a frame another endpoint received, in our codec (the bridge, when both legs negotiated the same one):
   * the far end's datagram is re-stamped in place with our header (SSRC, sequence, timestamp, marker, our payload
   * type) and sent as it is, without a copy. Node gives every received datagram a buffer of its own, and the frame
   * is not used after its `onAudio`, so nothing else reads the header we overwrite; its payload is left as it was.
   * A packet with CSRCs, an extension or padding is copied into a plain one instead.
   */
  relay(frame: AudioFrame): void {
    const packet = frame.packet;
    if (frame.payloadOffset !== 12 || packet.length !== frame.payloadEnd) return this.send(frame.payload);
    const length = frame.payloadEnd - 12;
    this.transmit(packet, this.payloadType, length, length);
  }

  /** Writes our RTP header into `pkt` (payload already at 12) and sends it to the far end. */
  private transmit(pkt: Buffer, payloadType: number, payloadLength: number, samples: number): void {
    const seq = this.seq;
    const ts = this.timestamp;
    const ssrc = this.ssrc;
    pkt[0] = 0x80;
    pkt[1] = (this.marker ? 0x80 : 0) | payloadType;
    pkt[2] = seq >>> 8;
    pkt[3] = seq & 0xff;
    pkt[4] = ts >>> 24;
    pkt[5] = (ts >>> 16) & 0xff;
    pkt[6] = (ts >>> 8) & 0xff;
    pkt[7] = ts & 0xff;
    pkt[8] = ssrc >>> 24;
    pkt[9] = (ssrc >>> 16) & 0xff;
    pkt[10] = (ssrc >>> 8) & 0xff;
    pkt[11] = ssrc & 0xff;
    this.marker = false;
    this.seq = (seq + 1) & 0xffff;
    this.timestamp = (ts + samples) >>> 0;
    const sender = this.sender;
    if (sender) sender.send(pkt);
    else if (this.rtp && this.remoteAddress) this.rtp.send(pkt, this.remoteAddress.port, this.remoteAddress.host);
    else return;
    this.packetsSent++;
    this.octetsSent += payloadLength;
  }

  /**
   * Sends one RFC 4733 telephone-event packet of our stream (payload type `telephoneEventPt`, negotiated in SDP):
   * `event` 0–15 (digits 0–9, *, #, A–D), `startTimestamp` the event's first sample (the same in every packet of the
   * event), `durationSamples` how long it has lasted so far, `end` the E bit. The marker goes on the event's first
   * packet only (`first`). Each packet takes a sequence number; our timestamp advances by `advance` samples (one
   * packet time while the event lasts, so the audio after it continues in real time). False when no telephone-event
   * payload type was negotiated.
   */
  sendEvent(event: number, startTimestamp: number, durationSamples: number, opts: { end: boolean; first: boolean; volume: number; advance: number }): boolean {
    const pt = this.telephoneEventPt;
    if (pt === undefined) return false;
    const pkt = Buffer.allocUnsafe(16); // rare: a fresh buffer, never one dgram may still hold
    const seq = this.seq;
    pkt[0] = 0x80;
    pkt[1] = (opts.first ? 0x80 : 0) | pt;
    pkt.writeUInt16BE(seq, 2);
    pkt.writeUInt32BE(startTimestamp >>> 0, 4);
    pkt.writeUInt32BE(this.ssrc, 8);
    pkt[12] = event & 0xff;
    pkt[13] = (opts.end ? 0x80 : 0) | (opts.volume & 0x3f);
    pkt.writeUInt16BE(Math.min(0xffff, durationSamples), 14);
    this.seq = (seq + 1) & 0xffff;
    this.timestamp = (this.timestamp + opts.advance) >>> 0;
    this.marker = true; // the audio after an event starts a new talkspurt
    const sender = this.sender;
    if (sender) sender.send(pkt);
    else if (this.rtp && this.remoteAddress) this.rtp.send(pkt, this.remoteAddress.port, this.remoteAddress.host);
    else return true;
    this.packetsSent++;
    this.octetsSent += 4;
    return true;
  }

  /** Advances our clock over a gap in what we send, and marks the next packet as a new talkspurt. */
  skip(samples: number): void {
    this.timestamp = (this.timestamp + samples) >>> 0;
    this.marker = true;
  }

  /** Sends an RTCP sender report (RFC 3550 §6.4.1), so middleboxes and phones keep the stream alive. */
  sendReport(nowMs: number): void {
    if (!this.rtcp || !this.remote) return;
    const sr = Buffer.alloc(28);
    sr[0] = 0x80;
    sr[1] = 200;
    sr.writeUInt16BE(6, 2);
    sr.writeUInt32BE(this.ssrc, 4);
    const ntpSeconds = Math.floor(nowMs / 1000) + 2208988800;
    sr.writeUInt32BE(ntpSeconds >>> 0, 8);
    sr.writeUInt32BE(Math.floor(((nowMs % 1000) / 1000) * 0x100000000) >>> 0, 12);
    sr.writeUInt32BE(this.timestamp >>> 0, 16);
    sr.writeUInt32BE(this.packetsSent >>> 0, 20);
    sr.writeUInt32BE(this.octetsSent >>> 0, 24);
    this.rtcp.send(sr, this.remote.port + 1, this.remote.host);
  }

  private receive(data: Buffer): void {
    const length = data.length;
    if (length < 12) return;
    const first = data[0] as number;
    if (first >> 6 !== 2) return;
    const pt = (data[1] as number) & 0x7f;
    const seq = ((data[2] as number) << 8) | (data[3] as number);
    const timestamp = (((data[4] as number) << 24) | ((data[5] as number) << 16) | ((data[6] as number) << 8) | (data[7] as number)) >>> 0;
    let offset = 12;
    let end = length;
    if ((first & 0x3f) !== 0) {
      // CSRCs, a header extension, padding: the uncommon case.
      offset += (first & 0x0f) * 4;
      if (first & 0x10) {
        if (length < offset + 4) return;
        offset += 4 + data.readUInt16BE(offset + 2) * 4;
      }
      if (first & 0x20) end -= data[length - 1] ?? 0;
    }
    if (end <= offset) return;
    this.packetsReceived++;
    if (pt === this.telephoneEventPt) return this.receiveEvent(data.subarray(offset, end), timestamp);
    if (pt !== 0 && pt !== 8) return; // comfort noise (13) and anything else: treated as silence
    if (this.highestSeq !== undefined) {
      const delta = (seq - this.highestSeq + 0x10000) & 0xffff;
      if (delta === 0) return; // duplicate
      if (delta > 0x8000 && 0x10000 - delta > 50) return; // older than a second of audio: useless now
      if (delta < 0x8000) this.highestSeq = seq;
    } else {
      this.highestSeq = seq;
    }
    const frame = this.frame;
    frame.reset(pt === 0 ? 'PCMU' : 'PCMA', timestamp, seq, data, offset, end);
    this.events.onAudio(frame);
  }

  private receiveEvent(payload: Buffer, timestamp: number): void {
    if (payload.length < 4) return;
    const event = payload[0] ?? 0;
    const ended = ((payload[1] ?? 0) & 0x80) !== 0;
    if (!ended || this.lastDtmfTimestamp === timestamp) return; // end packets are sent three times
    this.lastDtmfTimestamp = timestamp;
    const digit = DTMF_DIGITS[event];
    if (digit) this.events.onDtmf(digit, payload.readUInt16BE(2));
  }
}

function bind(socket: dgram.Socket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}
