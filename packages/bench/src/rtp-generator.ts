/**
 * Child process of `bench:sip`: the benchmark's customers' voices. Streams one µ-law WAV, looped, at 50 packets/s
 * to every even port of a range (the driver's customer legs), and counts what arrives at its sink socket (the audio
 * the driver forwards from the agents back to the customers). Prints {"sent", "received"} on SIGUSR1 and SIGTERM.
 *
 *   tsx rtp-generator.ts HOST SINK_PORT TARGET_HOST PORT_FROM PORT_TO FILE.wav
 */
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';

const [host = '127.0.0.1', sinkPort = '7000', targetHost = '127.0.0.1', from = '20000', to = '20000', file = ''] = process.argv.slice(2);
const wav = readFileSync(file);
const dataAt = wav.indexOf('data') + 8;
const audio = wav.subarray(dataAt);
const frames = Math.floor(audio.length / 160);
const sink = dgram.createSocket('udp4');
const out = dgram.createSocket('udp4');
let received = 0;
let sent = 0;
sink.on('message', () => received++);
sink.on('error', () => undefined);
out.on('error', () => undefined);
sink.bind(Number(sinkPort), host);
out.bind(0, host);

const ports: number[] = [];
for (let p = Number(from); p <= Number(to); p += 2) ports.push(p);
let tick = 0;
const started = Date.now();
const header = Buffer.alloc(12);
header[0] = 0x80;

function step(): void {
  // One packet per port per 20 ms, each port with its own phase in the loop so calls do not speak in unison.
  const due = Math.floor((Date.now() - started) / 20);
  while (tick <= due) {
    ports.forEach((port, i) => {
      const frame = (tick + i * 7) % frames;
      header[1] = 0;
      header.writeUInt16BE(tick & 0xffff, 2);
      header.writeUInt32BE((tick * 160) >>> 0, 4);
      header.writeUInt32BE(0x1000 + i, 8);
      out.send([header, audio.subarray(frame * 160, frame * 160 + 160)], port, targetHost);
      sent++;
    });
    tick++;
  }
  setTimeout(step, 20 - ((Date.now() - started) % 20));
}
step();

process.on('SIGUSR1', () => process.stdout.write(`${JSON.stringify({ sent, received })}\n`));
process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ sent, received })}\n`);
  process.exit(0);
});
