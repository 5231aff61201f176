import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import type { Codec } from './g711.ts';
import { PAYLOAD_TYPE } from './g711.ts';

/** One received audio frame: G.711 payload, its codec and its position on the sender's 8 kHz sample clock. */
export interface AudioFrame {
  codec: Codec;
  payload: Uint8Array;
  timestamp: number;
  seq: number;
}

export interface RtpEndpointEvents {
  onAudio(frame: AudioFrame): void;
  /** RFC 4733: one call per key press, when its end packet arrives. */
  onDtmf(digit: string, durationSamples: number): void;
}

const DTMF_DIGITS = '0123456789*#ABCD';

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
  codec: Codec = 'PCMU';
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
  private readonly frame: AudioFrame = { codec: 'PCMU', payload: new Uint8Array(0), timestamp: 0, seq: 0 };
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
    pkt[0] = 0x80;
    pkt[1] = (this.marker ? 0x80 : 0) | PAYLOAD_TYPE[this.codec];
    pkt.writeUInt16BE(this.seq, 2);
    pkt.writeUInt32BE(this.timestamp >>> 0, 4);
    pkt.writeUInt32BE(this.ssrc, 8);
    pkt.set(payload, 12);
    this.marker = false;
    this.seq = (this.seq + 1) & 0xffff;
    this.timestamp = (this.timestamp + samples) >>> 0;
    if (!this.rtp || !this.remoteAddress) return;
    if (this.sender) this.sender.send(pkt);
    else this.rtp.send(pkt, this.remoteAddress.port, this.remoteAddress.host);
    this.packetsSent++;
    this.octetsSent += payload.length;
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
    if (data.length < 12 || (data[0] ?? 0) >> 6 !== 2) return;
    const first = data[0] ?? 0;
    const pt = (data[1] ?? 0) & 0x7f;
    const seq = data.readUInt16BE(2);
    const timestamp = data.readUInt32BE(4);
    let offset = 12 + (first & 0x0f) * 4;
    if (first & 0x10) {
      if (data.length < offset + 4) return;
      offset += 4 + data.readUInt16BE(offset + 2) * 4;
    }
    let end = data.length;
    if (first & 0x20) end -= data[data.length - 1] ?? 0;
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
    frame.codec = pt === 0 ? 'PCMU' : 'PCMA';
    frame.payload = data.subarray(offset, end);
    frame.timestamp = timestamp;
    frame.seq = seq;
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
