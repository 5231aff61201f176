/**
 * Entry of the media worker thread (started by MediaPlane): runs a MediaEngine on this thread's event loop, which
 * then carries nothing but RTP. Its figures (loop utilisation and delay) come with every stats answer.
 */
import { readlinkSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { RealClock } from '@outdial/telephony/real-clock';
import { MediaEngine } from './media-engine.ts';
import type { MediaCommand, MediaEvent } from './media-protocol.ts';

const port = parentPort;
if (!port) throw new Error('media-worker.ts runs as a worker thread');

const clock = new RealClock();
const post = (event: MediaEvent): void => port.postMessage(event);
const engine = new MediaEngine(clock, post);
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
let lastElu = performance.eventLoopUtilization();
const threadId = ((): number | undefined => {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return undefined; // not Linux
  }
})();

port.on('message', (cmd: MediaCommand) => {
  if (cmd.t === 'stats') {
    const elu = performance.eventLoopUtilization(lastElu);
    lastElu = performance.eventLoopUtilization();
    const p = engine.packets();
    post({
      t: 'reply',
      req: cmd.req,
      stats: {
        packetsIn: p.in,
        packetsOut: p.out,
        legs: p.legs,
        bridgedLegs: p.bridged,
        amdLegs: p.amd,
        utilization: elu.utilization,
        loopDelayP99Ms: delay.percentile(99) / 1e6,
        loopDelayMaxMs: delay.max / 1e6,
        threadId,
      },
    });
    delay.reset();
    return;
  }
  engine.handle(cmd);
});
engine.start();
post({ t: 'ready' });
