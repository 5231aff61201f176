/**
 * Child process of `bench:sip`: the benchmark's customers' voices. Streams one µ-law WAV, looped, at 50 packets/s
 * to every even port of a range (the driver's customer legs), and counts what arrives at its sink socket (the audio
 * the driver forwards from the agents back to the customers). Prints {"sent", "received"} on SIGUSR1 and SIGTERM.
 *
 * Probe mode (SIGUSR2 starts it, a second SIGUSR2 stops it and prints the figures): every packet's payload starts
 * with a tag (stream, sequence, send time), so the sink can tell per stream what came back through the driver's
 * relay (generator → customer leg → agent leg → the agent phone's echo → agent leg → customer leg → sink): loss,
 * round-trip delay and the RFC 3550 interarrival jitter of what was relayed. The tag overwrites the first 16 bytes
 * of each 160-byte frame: probe only after AMD has decided.
 *
 *   tsx rtp-generator.ts HOST SINK_PORT TARGET_HOST PORT_FROM PORT_TO FILE.wav
 */
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [host = '127.0.0.1', sinkPort = '7000', targetHost = '127.0.0.1', from = '20000', to = '20000', file = ''] = process.argv.slice(2);
const wav = readFileSync(file);
const dataAt = wav.indexOf('data') + 8;
const audio = wav.subarray(dataAt);
const frames = Math.floor(audio.length / 160);
const sink = dgram.createSocket('udp4');
const out = dgram.createSocket('udp4');
let received = 0;
let sent = 0;

const ports: number[] = [];
for (let p = Number(from); p <= Number(to); p += 2) ports.push(p);

const TAG = 0xa55a;
const MAX_SAMPLES = 1 << 21;
/** Probe state: per stream what was sent and received, its last transit time and running jitter (ms). */
const probe = {
  /** Tag what we send / count tagged packets that come back (the second outlives the first by a drain time). */
  tagging: false,
  counting: false,
  sent: new Float64Array(ports.length),
  received: new Float64Array(ports.length),
  lastTransit: new Float64Array(ports.length).fill(NaN),
  jitter: new Float64Array(ports.length),
  maxSeq: new Float64Array(ports.length).fill(-1),
  reordered: 0,
  delays: new Float32Array(MAX_SAMPLES),
  delayCount: 0,
  seq: 0,
};

sink.on('message', (data) => {
  received++;
  if (!probe.counting || data.length < 12 + 16) return;
  const p = 12 + ((data[0] ?? 0) & 0x0f) * 4;
  if (data.readUInt16BE(p) !== TAG) return;
  const stream = data.readUInt16BE(p + 2);
  const seq = data.readUInt32BE(p + 4);
  const transit = performance.now() - data.readDoubleBE(p + 8);
  if (stream >= ports.length) return;
  probe.received[stream] = (probe.received[stream] ?? 0) + 1;
  if (seq < (probe.maxSeq[stream] ?? -1)) probe.reordered++;
  else probe.maxSeq[stream] = seq;
  const last = probe.lastTransit[stream] ?? NaN;
  if (!Number.isNaN(last)) {
    const d = Math.abs(transit - last);
    probe.jitter[stream] = (probe.jitter[stream] ?? 0) + (d - (probe.jitter[stream] ?? 0)) / 16;
  }
  probe.lastTransit[stream] = transit;
  if (probe.delayCount < MAX_SAMPLES) probe.delays[probe.delayCount++] = transit;
});
sink.on('error', () => undefined);
out.on('error', () => undefined);
// A deep receive buffer (up to net.core.rmem_max): the sink takes every call's audio on one socket, and a scheduling
// stall of this process must not count as loss in the driver.
sink.bind(Number(sinkPort), host, () => sink.setRecvBufferSize(4 << 20));
out.bind(0, host, () => out.setSendBufferSize(4 << 20));

let tick = 0;
const started = Date.now();

function step(): void {
  // One packet per port per 20 ms, each port with its own phase in the loop so calls do not speak in unison.
  const due = Math.floor((Date.now() - started) / 20);
  while (tick <= due) {
    for (let i = 0; i < ports.length; i++) {
      const frame = (tick + i * 7) % frames;
      // A fresh header per packet: with hundreds of streams a burst fills the socket's send buffer and dgram keeps
      // later packets queued, still pointing at their buffers (a shared header made them all the last one's copy).
      const header = Buffer.allocUnsafe(12);
      header[0] = 0x80;
      header[1] = 0;
      header.writeUInt16BE(tick & 0xffff, 2);
      header.writeUInt32BE((tick * 160) >>> 0, 4);
      header.writeUInt32BE(0x1000 + i, 8);
      let body: Buffer = audio.subarray(frame * 160, frame * 160 + 160);
      if (probe.tagging) {
        // A fresh buffer per tagged packet: dgram may still hold the previous one when the socket is busy.
        body = Buffer.allocUnsafe(160);
        audio.copy(body, 0, frame * 160, frame * 160 + 160);
        body.writeUInt16BE(TAG, 0);
        body.writeUInt16BE(i, 2);
        body.writeUInt32BE(probe.seq, 4);
        body.writeDoubleBE(performance.now(), 8);
        probe.sent[i] = (probe.sent[i] ?? 0) + 1;
      }
      out.send([header, body], ports[i] ?? 0, targetHost);
      sent++;
    }
    if (probe.tagging) probe.seq++;
    tick++;
  }
  setTimeout(step, 20 - ((Date.now() - started) % 20));
}
step();

function percentile(xs: Float32Array, p: number): number {
  if (xs.length === 0) return NaN;
  return Number((xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN).toFixed(2));
}

function probeReport(): Record<string, unknown> {
  let sentTotal = 0;
  let receivedTotal = 0;
  let worstLoss = 0;
  const jitters: number[] = [];
  for (let i = 0; i < ports.length; i++) {
    const s = probe.sent[i] ?? 0;
    const r = probe.received[i] ?? 0;
    sentTotal += s;
    receivedTotal += r;
    if (s > 0) worstLoss = Math.max(worstLoss, 1 - r / s);
    if (r > 1) jitters.push(probe.jitter[i] ?? 0);
  }
  jitters.sort((a, b) => a - b);
  const delays = probe.delays.subarray(0, probe.delayCount).sort();
  return {
    streams: ports.length,
    probeSent: sentTotal,
    probeReceived: receivedTotal,
    lossPercent: Number((100 * (1 - receivedTotal / Math.max(1, sentTotal))).toFixed(3)),
    worstStreamLossPercent: Number((100 * worstLoss).toFixed(2)),
    reordered: probe.reordered,
    roundTripDelayMs: { p50: percentile(delays, 0.5), p99: percentile(delays, 0.99), p999: percentile(delays, 0.999), max: percentile(delays, 1) },
    jitterMs: { median: Number((jitters[Math.floor(jitters.length / 2)] ?? NaN).toFixed(2)), p99: Number((jitters[Math.floor(jitters.length * 0.99)] ?? NaN).toFixed(2)), max: Number((jitters[jitters.length - 1] ?? NaN).toFixed(2)) },
  };
}

process.on('SIGUSR1', () => process.stdout.write(`${JSON.stringify({ sent, received })}\n`));
process.on('SIGUSR2', () => {
  if (!probe.tagging) {
    probe.tagging = true;
    probe.counting = true;
    return;
  }
  // Stop tagging, let the last tagged packets come back (they are < 1 s late or lost), then report.
  probe.tagging = false;
  setTimeout(() => {
    probe.counting = false;
    process.stdout.write(`${JSON.stringify({ probe: probeReport() })}\n`);
  }, 1000);
});
process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ sent, received })}\n`);
  process.exit(0);
});
