import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AmdConfig } from '../amd/amd-config.ts';
import type { Codec } from './g711.ts';
import type { MediaCommand, MediaEvent, MediaStats } from './media-protocol.ts';

type Fire = Exclude<MediaCommand, { req: number }>;

/** What the worker reports about one leg, delivered on the main thread. */
export interface MediaLegEvents {
  onDtmf?(digit: string, durationSamples: number): void;
  onEarlySit?(detail: string): void;
  onAmd?(event: Extract<MediaEvent, { t: 'amd' }>): void;
  onBridged?(token: number): void;
  onPlayDone?(token: number): void;
}

/**
 * The driver's view of one leg's media (its RTP lives in the worker): where to send, in which codec, and commands
 * for the leg. Ids are the plane's own, so a leg keeps its media while the driver renames it (agent legs do).
 */
export class MediaLeg {
  remote: { host: string; port: number } | undefined;
  codec: Codec = 'PCMU';
  telephoneEventPt: number | undefined = 101;
  private closed = false;

  constructor(
    private readonly plane: MediaPlane,
    readonly id: string,
    readonly kind: 'customer' | 'agent',
    readonly host: string,
    readonly port: number,
    readonly events: MediaLegEvents,
  ) {}

  open(): Promise<void> {
    return this.plane.open(this.id, this.kind, this.host, this.port);
  }

  setRemote(remote: { host: string; port: number }, codec: Codec, telephoneEventPt: number | undefined): void {
    this.remote = remote;
    this.codec = codec;
    this.telephoneEventPt = telephoneEventPt;
    this.plane.send({ t: 'remote', id: this.id, host: remote.host, port: remote.port, codec, telephoneEventPt });
  }

  earlyTones(config: AmdConfig): void {
    this.plane.send({ t: 'early-tones', id: this.id, config });
  }

  answered(record: boolean, amd: { config: AmdConfig; listenForTones: boolean } | undefined): void {
    this.plane.send({ t: 'answered', id: this.id, record, amd });
  }

  stopAmd(): void {
    this.plane.send({ t: 'amd-stop', id: this.id });
  }

  connect(agent: MediaLeg, token: number, fallbackMs: number): void {
    this.plane.send({ t: 'connect', id: this.id, agentId: agent.id, token, fallbackMs });
  }

  disconnect(): void {
    this.plane.send({ t: 'disconnect', id: this.id });
  }

  play(key: string, frames: Uint8Array[], token: number): void {
    this.plane.ensurePrompt(key, frames);
    this.plane.send({ t: 'play', id: this.id, key, token });
  }

  stopPlay(): void {
    this.plane.send({ t: 'stop-play', id: this.id });
  }

  /** Sends RFC 4733 digits on this leg; resolves once the last end packet is out, with the error if it failed. */
  async sendDtmf(digits: string, opts: { durationMs: number; gapMs: number; volume: number }): Promise<string | undefined> {
    if (this.closed) return 'the leg closed';
    return (await this.plane.request((req) => ({ t: 'send-dtmf', req, id: this.id, digits, ...opts }))).error;
  }

  /** Closes the leg; with `recordTo`, resolves once the recording is written (with the error, if any). */
  close(recordTo?: string): Promise<string | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    this.closed = true;
    return this.plane.close(this.id, recordTo);
  }
}

/**
 * The driver's handle on the media worker thread: starts it, sends it commands, and turns its answers into promises
 * (`open`, `close`, `stats`) or per-leg events (`MediaLegEvents`). The worker is unref'd: the driver's SIP
 * sockets, not the media thread, keep a process alive.
 */
export class MediaPlane {
  private worker: Worker | undefined;
  private nextReq = 1;
  private readonly pending = new Map<number, { resolve(e: Extract<MediaEvent, { t: 'reply' }>): void }>();
  private readonly promptKeys = new Set<string>();
  private readonly legs = new Map<string, MediaLeg>();
  private legSeq = 0;

  constructor(private readonly onFailure: (detail: string) => void) {}

  /** A new leg (not yet bound: `open` it). */
  leg(kind: 'customer' | 'agent', host: string, port: number, events: MediaLegEvents): MediaLeg {
    const leg = new MediaLeg(this, `m${++this.legSeq}`, kind, host, port, events);
    this.legs.set(leg.id, leg);
    return leg;
  }

  async start(): Promise<void> {
    if (this.worker) return;
    const worker = spawnWorker(new URL('./media-worker.ts', import.meta.url));
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void => reject(error);
      worker.once('error', failed);
      worker.on('message', (event: MediaEvent) => {
        if (event.t === 'ready') {
          worker.off('error', failed);
          worker.on('error', (error) => this.onFailure(`media worker failed: ${error.message}`));
          resolve();
        } else if (event.t === 'reply') {
          const p = this.pending.get(event.req);
          this.pending.delete(event.req);
          p?.resolve(event);
        } else {
          this.dispatch(event);
        }
      });
    });
    worker.unref();
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.promptKeys.clear();
    this.legs.clear();
    for (const p of this.pending.values()) p.resolve({ t: 'reply', req: 0, error: 'media worker stopped' });
    this.pending.clear();
    if (worker) await worker.terminate();
  }

  /** Binds a leg's RTP/RTCP ports in the worker. */
  async open(id: string, kind: 'customer' | 'agent', host: string, port: number): Promise<void> {
    const reply = await this.request((req) => ({ t: 'open', req, id, kind, host, port }));
    if (reply.error !== undefined) throw new Error(reply.error);
  }

  /** Closes a leg (its recording written to `recordTo` first); resolves with the error writing it, if any. */
  async close(id: string, recordTo: string | undefined): Promise<string | undefined> {
    this.legs.delete(id);
    return (await this.request((req) => ({ t: 'close', req, id, recordTo }))).error;
  }

  async stats(): Promise<MediaStats | undefined> {
    return (await this.request((req) => ({ t: 'stats', req }))).stats;
  }

  /** Sends a prompt's frames to the worker once; later plays name it by key. */
  ensurePrompt(key: string, frames: Uint8Array[]): void {
    if (this.promptKeys.has(key)) return;
    this.promptKeys.add(key);
    this.send({ t: 'prompt', key, frames });
  }

  send(cmd: Fire): void {
    this.worker?.postMessage(cmd);
  }

  private dispatch(event: Exclude<MediaEvent, { t: 'reply' | 'ready' }>): void {
    const events = this.legs.get(event.id)?.events;
    if (!events) return; // the leg is closed: late news
    switch (event.t) {
      case 'dtmf':
        return events.onDtmf?.(event.digit, event.durationSamples);
      case 'sit-early':
        return events.onEarlySit?.(event.detail);
      case 'amd':
        return events.onAmd?.(event);
      case 'bridged':
        return events.onBridged?.(event.token);
      case 'play-done':
        return events.onPlayDone?.(event.token);
    }
  }

  /** Sends a command the worker answers (`reply` with the same `req`). */
  request(make: (req: number) => MediaCommand): Promise<Extract<MediaEvent, { t: 'reply' }>> {
    const worker = this.worker;
    if (!worker) return Promise.resolve({ t: 'reply', req: 0, error: 'media worker not running' });
    const req = this.nextReq++;
    return new Promise((resolve) => {
      this.pending.set(req, { resolve });
      worker.postMessage(make(req));
    });
  }
}

/**
 * Outdial runs TypeScript through tsx; a worker thread starts with no loader, so a `.ts` entry is loaded after
 * registering tsx's hooks in the worker itself. A compiled `.js` entry starts directly.
 */
function spawnWorker(entry: URL): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const tsxPackage = createRequire(fileURLToPath(entry)).resolve('tsx/package.json');
  const api = pathToFileURL(tsxPackage.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true });
}
