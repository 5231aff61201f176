import path from 'node:path';
import type { Clock } from '@outdial/core/clock';
import type {
  AgentLegRequest,
  CallOutcome,
  DriverCapabilities,
  DriverEvent,
  DriverEventListener,
  DriverHealth,
  HangupReason,
  OriginateRequest,
  TelephonyDriver,
} from '@outdial/core/telephony/driver';
import type { AmdConfig } from './amd/amd-config.ts';
import { amdConfig } from './amd/amd-config.ts';
import type { AmdEvent } from './amd/amd-engine.ts';
import type { Codec } from './media/g711.ts';
import type { MediaLeg } from './media/media-plane.ts';
import { MediaPlane } from './media/media-plane.ts';
import type { MediaStats } from './media/media-protocol.ts';
import { PromptStore } from './media/prompt-store.ts';
import { PortPool } from './media/rtp-endpoint.ts';
import { buildSdp, parseSdp } from './media/sdp.ts';
import { answeredOutcome, callEndOf, recordingSaved } from './call-end.ts';
import { RealClock } from '@outdial/telephony/real-clock';
import type { SipDriverConfig } from './sip-driver-config.ts';
import { newCallId } from './sip/ids.ts';
import type { SessionEnd } from './sip/invite-session.ts';
import { InviteSession } from './sip/invite-session.ts';
import type { Header } from './sip/message.ts';
import { parseUri } from './sip/message.ts';
import { Registration } from './sip/registration.ts';
import { DEFAULT_TIMERS } from './sip/transactions.ts';
import type { Peer } from './sip/transport.ts';
import { SipUserAgent } from './sip/user-agent.ts';
import { AgentPhones } from './sip/agent-phones.ts';
import { agentLegCause } from './sip/agent-leg-cause.ts';
import { IncomingSession } from './sip/incoming-session.ts';
import type { SipRequest } from './sip/message.ts';
import { makeResponse } from './sip/message.ts';
import type { ServerTransaction } from './sip/transactions.ts';

/** A leg's media, in the media worker (media/media-engine.ts); `lastSendAt` is kept there now. */
interface Sender {
  rtp: MediaLeg;
  lastSendAt: number | undefined;
}

/** A prompt playing in the worker; `token` tells its completion from an earlier prompt's. */
interface Playback {
  promptId: string;
  token: number;
}

interface CustomerLeg {
  req: OriginateRequest;
  session: InviteSession;
  sender: Sender;
  port: number;
  state: 'dialing' | 'answered' | 'ended';
  startedAt: number;
  answeredAt: number | undefined;
  cancelRing: (() => void) | undefined;
  cancelAmdDeadline: (() => void) | undefined;
  hangupReason: HangupReason | undefined;
  timedOut: boolean;
  /** The worker's detector runs and its events count (speech events, then the verdict, then maybe the beep). */
  amd: boolean;
  amdVerdict: 'human' | 'machine' | 'fax' | 'unknown' | undefined;
  cancelBeepWait: (() => void) | undefined;
  recording: boolean;
  agent: AgentLeg | undefined;
  bridgeRequestedAt: number | undefined;
  bridgeToken: number;
  playback: Playback | undefined;
}

interface AgentLeg {
  legId: string;
  agentId: string;
  /** The call to the phone, the phone's call in, or (waiting for the phone to call in) a stand-in that ends the wait. */
  session: { readonly callId: string; hangup(): void };
  sender: Sender;
  port: number;
  state: 'connecting' | 'up' | 'down';
  customer: CustomerLeg | undefined;
  /** `agent:EXTENSION` legs: the phone's extension, and the end of the wait for it. */
  extension?: string;
  cancelWait?: (() => void) | undefined;
  /** Resolves once the RTP endpoint is bound. */
  opened?: Promise<void>;
}

const CAPS: DriverCapabilities = {
  amd: true,
  beep: true,
  sit: true,
  bridge: 'in-process',
  recording: true,
  dtmf: true,
  speechEvents: true,
  virtualTime: false,
};

/**
 * The `sip` driver: a SIP user agent (our own RFC 3261 stack) toward one trunk, with the media plane in this
 * process: G.711 RTP per leg, AMD on the called party's audio, prompts, stereo recording and an in-process bridge
 * to agents' nailed-up legs (a media switch, no re-INVITE). Outcomes are events, never exceptions.
 */
export class SipDriver implements TelephonyDriver {
  readonly id = 'sip';
  readonly caps = CAPS;
  private readonly clock: Clock;
  private readonly ua: SipUserAgent;
  private readonly ports: PortPool;
  private readonly prompts: PromptStore;
  private readonly amdDefaults: AmdConfig;
  private readonly codecs: Codec[];
  private readonly trunkPeer: Peer;
  private readonly trunkHost: string;
  private readonly trunkPort: number | undefined;
  /** RTP, relay, prompts, recording and the AMD feed run in a worker thread, away from SIP and the engine. */
  private readonly media: MediaPlane;
  private mediaToken = 0;
  private readonly closing = new Set<Promise<unknown>>();
  private readonly listeners = new Set<DriverEventListener>();
  private readonly calls = new Map<string, CustomerLeg>();
  private readonly agents = new Map<string, AgentLeg>();
  private registration: Registration | undefined;
  /** Agents' phones that register with us or call in (`agent:EXTENSION` targets); undefined without `agentPhones`. */
  private readonly phones: AgentPhones | undefined;
  /** Phones that called in before their agent's leg was opened, answered and kept, by extension. */
  private readonly parked = new Map<string, AgentLeg>();
  /** The last leg of each extension whose phone hung up: the phone calling back in revives it. */
  private readonly phoneLegs = new Map<string, { legId: string; agentId: string }>();
  private inCommand = 0;
  private queued: DriverEvent[] = [];
  private agentSeq = 0;
  private started = false;

  constructor(private readonly config: SipDriverConfig) {
    this.clock = config.clock ?? new RealClock();
    const transports = config.sip.transports ?? ['udp'];
    this.ua = new SipUserAgent(config.sip.host, config.sip.port, transports, this.clock, { ...DEFAULT_TIMERS, ...config.timers });
    this.ports = new PortPool(config.media.portMin, config.media.portMax);
    this.prompts = new PromptStore(config.prompts ?? {});
    this.amdDefaults = amdConfig(config.amd);
    this.codecs = config.media.codecs ?? ['PCMU', 'PCMA'];
    const trunk = parseUri(config.trunk.uri);
    if (!trunk) throw new Error(`trunk.uri is not a SIP URI: ${config.trunk.uri}`);
    this.trunkHost = trunk.host;
    this.trunkPort = trunk.port;
    const hop = parseUri(config.trunk.outboundProxy ?? config.trunk.uri) ?? trunk;
    this.trunkPeer = { host: hop.host, port: hop.port ?? 5060, transport: hop.params['transport']?.toLowerCase() === 'tcp' ? 'tcp' : 'udp' };
    this.media = new MediaPlane((detail) => this.emit({ type: 'error', at: this.clock.now(), code: 'SIP_MEDIA_WORKER', detail }));
    if (config.agentPhones) {
      const phones = new AgentPhones(
        config.agentPhones,
        config.sip.host,
        this.clock,
        (ext, invite, tx) => this.command(() => this.onPhoneCallIn(ext, invite, tx)),
        (ext) => this.command(() => this.onPhoneRegistered(ext)),
      );
      this.phones = phones;
      this.ua.outOfDialog = (req, tx) => phones.handle(req, tx);
    }
  }

  /** Prompts added at run time (e.g. `outdial call test --play`). */
  get promptStore(): PromptStore {
    return this.prompts;
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.media.start();
    await this.ua.open();
    this.started = true;
    const t = this.config.trunk;
    if (t.register && t.username) {
      this.registration = new Registration(this.ua, this.clock, {
        registrarUri: `sip:${this.trunkHost}${this.trunkPort ? `:${this.trunkPort}` : ''}`,
        aor: `sip:${t.username}@${this.trunkHost}`,
        nextHop: this.trunkPeer,
        credentials: { username: t.username, password: t.password ?? '' },
        expiresS: t.register.expiresS,
        onState: (up, detail) => {
          if (!up) this.emit({ type: 'error', at: this.clock.now(), code: 'SIP_REGISTER_FAILED', detail });
        },
      });
      this.registration.start();
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    for (const callId of [...this.calls.keys()]) this.hangup(callId, 'shutdown');
    for (const legId of [...this.agents.keys()]) this.closeAgentLeg(legId);
    for (const leg of this.parked.values()) leg.session.hangup();
    this.registration?.stop();
    // Give BYEs and CANCELs a moment to leave and be answered.
    const deadline = this.clock.now() + 2000;
    while ((this.calls.size > 0 || this.agents.size > 0) && this.clock.now() < deadline) {
      await new Promise<void>((resolve) => this.clock.setTimer(20, resolve));
    }
    for (const call of this.calls.values()) this.release(call);
    for (const leg of [...this.agents.values(), ...this.parked.values()]) this.releaseAgent(leg);
    this.calls.clear();
    this.parked.clear();
    this.agents.clear();
    await Promise.all([...this.closing]); // recordings being written
    await this.media.stop();
    await this.ua.close();
    this.started = false;
  }

  onEvent(listener: DriverEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The media worker's figures, for benchmarks and metrics: RTP packets received and sent since start (live legs and
   * ended ones), and its event loop's utilisation and delay since the previous call.
   */
  mediaStats(): Promise<MediaStats | undefined> {
    return this.media.stats();
  }

  health(): DriverHealth {
    return { up: this.started, inFlight: this.calls.size, detail: `${this.agents.size} agent legs, ${this.ua.layer.size} transactions` };
  }

  originate(req: OriginateRequest): void {
    this.command(() => this.doOriginate(req));
  }

  private doOriginate(req: OriginateRequest): void {
    const now = this.clock.now();
    if (!this.started || this.calls.has(req.callId)) {
      const detail = this.started ? `call ${req.callId} already exists` : 'driver not started';
      this.emit({ type: 'error', callId: req.callId, at: now, code: 'SIP_ORIGINATE_REJECTED', detail });
      this.emit({ type: 'ended', callId: req.callId, at: now, outcome: 'local-error', by: 'local' });
      return;
    }
    const port = this.ports.take();
    if (port === undefined) {
      this.emit({ type: 'error', callId: req.callId, at: now, code: 'SIP_NO_MEDIA_PORT', detail: 'media port range exhausted' });
      this.emit({ type: 'ended', callId: req.callId, at: now, outcome: 'local-error', by: 'local' });
      return;
    }
    const fromDomain = this.config.trunk.fromDomain ?? this.trunkHost;
    const targetUri = req.to.startsWith('sip:') ? req.to : `sip:${req.to}@${this.trunkHost}${this.trunkPort ? `:${this.trunkPort}` : ''}`;
    const fromUri = `sip:${req.from}@${fromDomain}`;
    const extra: Header[] = [['P-Asserted-Identity', `<${fromUri}>`]];
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      const i = extra.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
      if (i >= 0) extra.splice(i, 1);
      extra.push([name, value]);
    }
    const rtp = this.media.leg('customer', this.config.media.host, port, {
      onDtmf: (digit, duration) => this.emit({ type: 'dtmf', legId: req.callId, at: this.clock.now(), digit, durationMs: Math.round(duration / 8) }),
      onEarlySit: (detail) => {
        if (leg.state === 'dialing') this.emit({ type: 'sit', callId: req.callId, at: this.clock.now(), detail });
      },
      onAmd: (e) => this.handleAmd(leg, e.events, e.agoMs),
      onBridged: (token) => {
        if (token === leg.bridgeToken) this.confirmBridge(leg);
      },
      onPlayDone: (token) => {
        if (leg.playback?.token === token) this.stopPlayback(leg, 'completed');
      },
    });
    const session: InviteSession = new InviteSession(
      {
        callId: newCallId(this.config.sip.host),
        targetUri,
        fromUri,
        toUri: targetUri,
        nextHop: this.nextHopFor(targetUri),
        local: { host: this.config.sip.host, port: this.config.sip.port, transport: this.trunkPeer.transport },
        sdp: this.sdpFor(port, 1),
        extraHeaders: extra,
        ...(this.config.trunk.username ? { credentials: { username: this.config.trunk.username, password: this.config.trunk.password ?? '' } } : {}),
      },
      this.ua.layer,
      this.ua.send,
      this.clock,
      {
        onProgress: (code, sdp) => this.onProgress(leg, code, sdp),
        onAnswered: (sdp) => this.onAnswered(leg, sdp),
        onRemoteSdp: (sdp) => this.applyRemoteSdp(leg.sender.rtp, sdp),
        onEnded: (end) => this.onCustomerEnded(leg, end),
      },
      () => this.sdpFor(port, 2),
    );
    const leg: CustomerLeg = {
      req,
      session,
      sender: { rtp, lastSendAt: undefined },
      port,
      state: 'dialing',
      startedAt: now,
      answeredAt: undefined,
      cancelRing: undefined,
      cancelAmdDeadline: undefined,
      hangupReason: undefined,
      timedOut: false,
      amd: false,
      amdVerdict: undefined,
      cancelBeepWait: undefined,
      recording: false,
      agent: undefined,
      bridgeRequestedAt: undefined,
      bridgeToken: 0,
      playback: undefined,
    };
    this.calls.set(req.callId, leg);
    this.ua.add(session);
    rtp.open().then(
      () => {
        if (leg.state === 'ended') return;
        session.start();
        leg.cancelRing = this.clock.setTimer(req.ringTimeoutMs, () => {
          if (leg.state !== 'dialing') return;
          leg.timedOut = true;
          leg.hangupReason = 'timeout';
          session.hangup();
        });
      },
      (error: unknown) => {
        this.emit({ type: 'error', callId: req.callId, at: this.clock.now(), code: 'SIP_MEDIA_BIND', detail: error instanceof Error ? error.message : String(error) });
        this.endCall(leg, 'local-error', 'local', undefined, undefined);
      },
    );
  }

  hangup(callId: string, reason: HangupReason = 'normal'): void {
    this.command(() => this.doHangup(callId, reason));
  }

  private doHangup(callId: string, reason: HangupReason = 'normal'): void {
    const leg = this.calls.get(callId);
    if (!leg || leg.state === 'ended') return;
    leg.hangupReason ??= reason;
    leg.session.hangup();
    if (leg.session.state === 'ended') this.endCall(leg, leg.answeredAt !== undefined ? answeredOutcome(leg.req.amd !== false, leg.amdVerdict) : 'cancelled', 'local', undefined, undefined);
  }

  bridge(callId: string, agentLegId: string): void {
    this.command(() => this.doBridge(callId, agentLegId));
  }

  private doBridge(callId: string, agentLegId: string): void {
    const leg = this.calls.get(callId);
    const agent = this.agents.get(agentLegId);
    const now = this.clock.now();
    if (!leg || leg.state !== 'answered') {
      this.emit({ type: 'error', callId, at: now, code: 'SIP_BRIDGE_NO_CALL', detail: `call ${callId} is not answered` });
      return;
    }
    if (!agent || agent.state !== 'up') {
      this.emit({ type: 'error', callId, at: now, code: 'SIP_BRIDGE_NO_AGENT', detail: `agent leg ${agentLegId} is not up` });
      return;
    }
    if (agent.customer && agent.customer !== leg) this.unbridge(agent.customer.req.callId);
    this.stopPlayback(leg, 'stopped');
    leg.agent = agent;
    agent.customer = leg;
    leg.bridgeRequestedAt = now;
    leg.bridgeToken = ++this.mediaToken;
    // The bridge is a pointer swap in the media worker: the next customer packet goes to the agent, and the worker
    // confirms it. If the customer is silent (no RTP), the worker reports the switch anyway after 60 ms of its time
    // (a worker that is behind then shows in the latency, which a timer here would hide).
    leg.sender.rtp.connect(agent.sender.rtp, leg.bridgeToken, this.config.bridgeFallbackMs ?? 60);
  }

  unbridge(callId: string): void {
    this.command(() => this.doUnbridge(callId));
  }

  private doUnbridge(callId: string): void {
    const leg = this.calls.get(callId);
    if (!leg?.agent) return;
    leg.agent.customer = undefined;
    leg.agent = undefined;
    leg.bridgeRequestedAt = undefined;
    leg.sender.rtp.disconnect();
  }

  play(callId: string, promptId: string): void {
    this.command(() => this.doPlay(callId, promptId));
  }

  private doPlay(callId: string, promptId: string): void {
    const leg = this.calls.get(callId);
    const now = this.clock.now();
    if (!leg || leg.state !== 'answered') {
      this.emit({ type: 'play-ended', callId, at: now, promptId, result: 'hangup' });
      return;
    }
    const frames = this.prompts.frames(promptId, leg.sender.rtp.codec);
    if ('error' in frames) {
      this.emit({ type: 'error', callId, at: now, code: 'SIP_PROMPT', detail: frames.error });
      this.emit({ type: 'play-ended', callId, at: now, promptId, result: 'stopped' });
      return;
    }
    this.stopPlayback(leg, 'stopped');
    if (leg.agent) this.unbridge(callId);
    leg.playback = { promptId, token: ++this.mediaToken };
    leg.sender.rtp.play(`${promptId}|${leg.sender.rtp.codec}`, frames, leg.playback.token);
  }

  /**
   * Sends DTMF as RFC 4733 telephone events (the payload type the far end's SDP gave) on an answered call (`id` a
   * call id: to the called party, e.g. an agent working an IVR) or on an agent leg (`id` a leg id). `digits`: 0–9,
   * *, #, A–D; a `,` waits 500 ms. Each digit lasts `durationMs` (default 100), then `gapMs` (default 60) of
   * silence; `volume` is the power level in −dBm0 (default 10). Other audio to that leg is held back meanwhile. Resolves
   * once the last end packet is sent, with undefined, or with why nothing was sent (also raised as an `error` event,
   * `SIP_DTMF`). Not part of the driver contract: the engine has no use for it yet.
   */
  async sendDtmf(id: string, digits: string, opts: { durationMs?: number; gapMs?: number; volume?: number } = {}): Promise<string | undefined> {
    const call = this.calls.get(id);
    const agent = call ? undefined : this.agents.get(id);
    const rtp = call?.state === 'answered' ? call.sender.rtp : agent?.state === 'up' ? agent.sender.rtp : undefined;
    const error = rtp
      ? await rtp.sendDtmf(digits, { durationMs: opts.durationMs ?? 100, gapMs: opts.gapMs ?? 60, volume: Math.min(63, Math.max(0, Math.round(opts.volume ?? 10))) })
      : `${call ? `call ${id} is not answered` : agent ? `agent leg ${id} is not up` : `no call or agent leg ${id}`}`;
    if (error !== undefined) this.command(() => this.emit({ type: 'error', ...(call ? { callId: id } : {}), at: this.clock.now(), code: 'SIP_DTMF', detail: error }));
    return error;
  }

  openAgentLeg(req: AgentLegRequest): string {
    return this.command(() => this.doOpenAgentLeg(req));
  }

  private doOpenAgentLeg(req: AgentLegRequest): string {
    this.agentSeq++;
    const legId = `agent-${req.agentId}-${this.agentSeq}`;
    const extension = req.target.startsWith('agent:') ? req.target.slice('agent:'.length) : undefined;
    const target = extension === undefined ? parseUri(req.target) : undefined;
    let cause: string | undefined;
    if (!this.started) cause = 'driver not started';
    else if (extension !== undefined && !this.phones?.isExtension(extension)) cause = `no agent phone with extension ${extension} (agentPhones)`;
    else if (extension === undefined && !target) cause = `not a SIP URI: ${req.target}`;
    const parked = extension === undefined ? undefined : this.parked.get(extension);
    if (cause === undefined && parked) {
      // The phone called in before the agent signed in: its call becomes the leg.
      this.parked.delete(parked.extension ?? '');
      parked.legId = legId;
      parked.agentId = req.agentId;
      this.agents.set(legId, parked);
      this.emit({ type: 'agent-leg', legId, agentId: req.agentId, at: this.clock.now(), state: 'up' });
      return legId;
    }
    const leg = cause === undefined ? this.newAgentLeg(legId, req.agentId) : undefined;
    if (!leg) {
      this.emit({ type: 'agent-leg', legId, agentId: req.agentId, at: this.clock.now(), state: 'down', cause: cause ?? 'media port range exhausted' });
      return legId;
    }
    if (target) {
      const transport = target.params['transport']?.toLowerCase() === 'tcp' ? 'tcp' : 'udp';
      this.dialAgent(leg, req.target, { host: target.host, port: target.port ?? 5060, transport });
      return legId;
    }
    leg.extension = extension;
    const binding = extension === undefined ? undefined : this.phones?.binding(extension);
    if (binding) this.dialAgent(leg, binding.contact, binding.peer);
    else this.waitForPhone(leg);
    return legId;
  }

  /** A leg with its RTP endpoint; its signalling comes next (a call out, a call in, or a wait for one). */
  private newAgentLeg(legId: string, agentId: string): AgentLeg | undefined {
    const port = this.ports.take();
    if (port === undefined) return undefined;
    const rtp = this.media.leg('agent', this.config.media.host, port, {
      onDtmf: (digit, duration) => this.emit({ type: 'dtmf', legId: leg.legId, at: this.clock.now(), digit, durationMs: Math.round(duration / 8) }),
    });
    const leg: AgentLeg = {
      legId,
      agentId,
      session: { callId: '', hangup: () => this.agentDown(leg, 'closed') },
      sender: { rtp, lastSendAt: undefined },
      port,
      state: 'connecting',
      customer: undefined,
    };
    this.agents.set(legId, leg);
    leg.opened = rtp.open().catch((error: unknown) => this.agentDown(leg, error instanceof Error ? error.message : String(error)));
    return leg;
  }

  /** Calls the agent's phone (auto-answer) and keeps the call up. */
  private dialAgent(leg: AgentLeg, targetUri: string, nextHop: Peer): void {
    const rtp = leg.sender.rtp;
    const session: InviteSession = new InviteSession(
      {
        callId: newCallId(this.config.sip.host),
        targetUri,
        fromUri: `sip:outdial@${this.config.sip.host}`,
        fromDisplay: 'Outdial',
        toUri: targetUri,
        nextHop,
        local: { host: this.config.sip.host, port: this.config.sip.port, transport: nextHop.transport },
        sdp: this.sdpFor(leg.port, 1),
        extraHeaders: [['X-Outdial-Agent', leg.agentId]],
      },
      this.ua.layer,
      this.ua.send,
      this.clock,
      {
        onProgress: () => undefined,
        onAnswered: (sdp) => {
          if (!sdp || !this.applyRemoteSdp(rtp, sdp)) {
            leg.session.hangup();
            return;
          }
          leg.state = 'up';
          this.emit({ type: 'agent-leg', legId: leg.legId, agentId: leg.agentId, at: this.clock.now(), state: 'up' });
        },
        onRemoteSdp: (sdp) => this.applyRemoteSdp(rtp, sdp),
        onEnded: (end) => this.agentDown(leg, agentLegCause(end)),
      },
      () => this.sdpFor(leg.port, 2),
    );
    leg.session = session;
    this.ua.add(session);
    void leg.opened?.then(() => {
      if (leg.state !== 'down') session.start();
    });
  }

  /** An `agent:EXTENSION` leg whose phone has neither called in nor registered yet. */
  private waitForPhone(leg: AgentLeg): void {
    const waitMs = this.phones?.callInWaitMs ?? 0;
    leg.cancelWait = this.clock.setTimer(waitMs, () => this.agentDown(leg, `the phone of extension ${leg.extension ?? ''} did not call in within ${waitMs / 1000} s`));
  }

  private onPhoneRegistered(extension: string): void {
    const binding = this.phones?.binding(extension);
    const leg = this.waitingLeg(extension);
    if (!leg || !binding) return;
    leg.cancelWait?.();
    leg.cancelWait = undefined;
    this.dialAgent(leg, binding.contact, binding.peer);
  }

  /**
   * A known extension called in (digest checked): it becomes the leg waiting for it, or revives the leg it had before
   * the phone hung up (the agent stays paused until they choose Ready), or is answered and parked until the agent
   * signs in. A second call from a phone already connected is busy.
   */
  private onPhoneCallIn(extension: string, invite: SipRequest, tx: ServerTransaction): void {
    if (!parseSdp(invite.body, this.codecs)) {
      tx.respond(makeResponse(invite, 488, 'Not Acceptable Here'));
      return;
    }
    const busy = this.parked.has(extension) || [...this.agents.values()].some((l) => l.extension === extension && l.state !== 'down' && !l.cancelWait);
    if (busy) {
      tx.respond(makeResponse(invite, 486, 'Busy Here'));
      return;
    }
    let leg = this.waitingLeg(extension);
    const previous = leg ? undefined : this.phoneLegs.get(extension);
    this.phoneLegs.delete(extension);
    if (!leg) leg = this.newAgentLeg(previous?.legId ?? `parked-${extension}`, previous?.agentId ?? '');
    if (!leg) {
      tx.respond(makeResponse(invite, 503, 'Service Unavailable'));
      return;
    }
    leg.cancelWait?.();
    leg.cancelWait = undefined;
    leg.extension = extension;
    if (!previous && leg.agentId === '') {
      this.agents.delete(leg.legId);
      this.parked.set(extension, leg);
    }
    const local = { host: this.config.sip.host, port: this.config.sip.port, transport: tx.peer.transport };
    const port = leg.port;
    const answered = leg;
    const session = new IncomingSession(invite, tx, local, this.ua.layer, {
      onRemoteSdp: (sdp) => this.applyRemoteSdp(answered.sender.rtp, sdp),
      onEnded: (end) => this.agentDown(answered, agentLegCause(end)),
    }, () => this.sdpFor(port, 1));
    this.applyRemoteSdp(leg.sender.rtp, invite.body);
    leg.session = session;
    this.ua.add(session);
    session.accept();
    leg.state = 'up';
    if (!this.parked.has(extension)) this.emit({ type: 'agent-leg', legId: leg.legId, agentId: leg.agentId, at: this.clock.now(), state: 'up' });
  }

  private waitingLeg(extension: string): AgentLeg | undefined {
    for (const leg of this.agents.values()) if (leg.extension === extension && leg.cancelWait && leg.state === 'connecting') return leg;
    return undefined;
  }

  /** Ends an agent leg once: the phone hung up or failed, the wait ran out, or the leg was closed. */
  private agentDown(leg: AgentLeg, cause: string): void {
    if (leg.state === 'down') return;
    leg.cancelWait?.();
    if (leg.customer) this.unbridge(leg.customer.req.callId);
    const ext = leg.extension;
    const parked = ext !== undefined && this.parked.get(ext) === leg;
    if (parked) this.parked.delete(ext);
    this.releaseAgent(leg);
    if (parked) return;
    // A phone that hangs up may call back in: its call then revives this leg (the engine still holds the id).
    if (ext !== undefined && cause !== 'closed') this.phoneLegs.set(ext, { legId: leg.legId, agentId: leg.agentId });
    this.emit({ type: 'agent-leg', legId: leg.legId, agentId: leg.agentId, at: this.clock.now(), state: 'down', cause });
  }

  closeAgentLeg(legId: string): void {
    this.command(() => this.doCloseAgentLeg(legId));
  }

  private doCloseAgentLeg(legId: string): void {
    for (const [ext, previous] of this.phoneLegs) if (previous.legId === legId) this.phoneLegs.delete(ext);
    const leg = this.agents.get(legId);
    if (!leg) return;
    if (leg.customer) this.unbridge(leg.customer.req.callId);
    leg.session.hangup();
  }

  // ——— signalling events ———

  private onProgress(leg: CustomerLeg, code: number, sdp: string | undefined): void {
    if (leg.state !== 'dialing') return;
    this.emit({ type: 'progress', callId: leg.req.callId, at: this.clock.now(), code, earlyMedia: sdp !== undefined });
    // Early media: listen for SIT tones (an intercept announcing a vacant number) before any answer.
    if (sdp && this.applyRemoteSdp(leg.sender.rtp, sdp)) leg.sender.rtp.earlyTones(this.amdDefaults);
  }

  private onAnswered(leg: CustomerLeg, sdp: string | undefined): void {
    const now = this.clock.now();
    leg.cancelRing?.();
    if (leg.state === 'ended') return;
    const mediaOk = sdp !== undefined ? this.applyRemoteSdp(leg.sender.rtp, sdp) : leg.sender.rtp.remote !== undefined;
    leg.state = 'answered';
    leg.answeredAt = now;
    this.emit({ type: 'answered', callId: leg.req.callId, at: now });
    if (leg.timedOut || leg.hangupReason) return; // the 200 crossed our CANCEL: the session is sending BYE
    if (!mediaOk) {
      this.emit({ type: 'error', callId: leg.req.callId, at: now, code: 'SIP_NO_COMMON_CODEC', detail: 'the answer has no G.711 audio we can use' });
      leg.hangupReason = 'normal';
      leg.session.hangup();
      return;
    }
    leg.recording = (leg.req.record ?? this.config.recordCalls ?? false) && this.config.recordingDir !== undefined;
    const amd = leg.req.amd;
    // The energy detector always runs until the greeting ends: its speech events start the abandonment clock.
    leg.amd = true;
    leg.sender.rtp.answered(leg.recording, {
      config: amd ? { ...this.amdDefaults, totalAnalysisMs: Math.min(this.amdDefaults.totalAnalysisMs, amd.maxMs) } : this.amdDefaults,
      listenForTones: amd !== false,
    });
    if (amd) {
      // Wall-clock guard: if no audio arrives at all, the verdict is still due.
      leg.cancelAmdDeadline = this.clock.setTimer(amd.maxMs + 200, () => {
        if (leg.amdVerdict !== undefined || leg.state !== 'answered') return;
        this.verdict(leg, 'unknown', 'NOAUDIODATA');
        this.afterVerdict(leg); // the worker's detector stops too (it reports only when it has news)
      });
    }
  }

  private onCustomerEnded(leg: CustomerLeg, end: SessionEnd): void {
    if (leg.state === 'ended') return;
    const result = callEndOf(
      { answered: leg.answeredAt !== undefined, amdRequested: leg.req.amd !== false, verdict: leg.amdVerdict, timedOut: leg.timedOut, hangupRequested: leg.hangupReason !== undefined },
      end,
    );
    if (result.problem) this.emit({ type: 'error', callId: leg.req.callId, at: this.clock.now(), code: result.problem.code, detail: result.problem.detail });
    this.endCall(leg, result.outcome, result.by, end.status, end.q850);
  }

  private endCall(leg: CustomerLeg, outcome: CallOutcome, by: 'remote' | 'local' | 'timeout', sipCode: number | undefined, q850: number | undefined): void {
    if (leg.state === 'ended') return;
    const now = this.clock.now();
    if (leg.playback) this.stopPlayback(leg, 'hangup');
    if (leg.agent) this.unbridge(leg.req.callId);
    leg.state = 'ended';
    const file = this.recordingFile(leg);
    const closed = this.release(leg, file);
    this.calls.delete(leg.req.callId);
    // An answered call's code is the INVITE's 200, whatever the BYE got.
    const code = leg.answeredAt !== undefined ? 200 : sipCode;
    const ended: DriverEvent = {
      type: 'ended',
      callId: leg.req.callId,
      at: now,
      outcome,
      by,
      ...(code !== undefined ? { sipCode: code } : {}),
      ...(q850 !== undefined ? { q850 } : {}),
      ...(leg.answeredAt !== undefined ? { answeredAt: leg.answeredAt, talkMs: now - leg.answeredAt } : {}),
    };
    if (file === undefined) {
      this.emit(ended);
      return;
    }
    // The recording is on disk before the call is reported ended (the worker writes it, off this thread).
    const written = closed.then((error) => {
      this.closing.delete(written);
      if (error !== undefined) this.emit({ type: 'error', callId: leg.req.callId, at: this.clock.now(), code: 'SIP_RECORDING_WRITE', detail: error });
      const saved = error === undefined ? recordingSaved(leg.req.callId, file, now) : undefined;
      if (saved) this.emit(saved);
      this.emit(ended);
    });
    this.closing.add(written);
  }

  private release(leg: CustomerLeg, recordTo?: string): Promise<string | undefined> {
    leg.cancelRing?.();
    leg.cancelAmdDeadline?.();
    leg.cancelBeepWait?.();
    const closed = leg.sender.rtp.close(recordTo);
    this.ports.release(leg.port);
    // Keep routing the Call-ID for a while: a late 2xx retransmission still needs its ACK.
    const callId = leg.session.callId;
    this.clock.setTimer(32_000, () => this.ua.forget(callId));
    return closed;
  }

  private releaseAgent(leg: AgentLeg): void {
    leg.state = 'down';
    void leg.sender.rtp.close();
    this.ports.release(leg.port);
    this.agents.delete(leg.legId);
    const callId = leg.session.callId;
    this.clock.setTimer(32_000, () => this.ua.forget(callId));
  }

  // ——— media ———

  /**
   * The detector's events for one frame, from the worker (which feeds it the called party's audio, lost frames as
   * silence); `agoMs[i]` is how long before this frame event i happened, for speech start/end stamps.
   */
  private handleAmd(leg: CustomerLeg, events: AmdEvent[], agoMs: number[]): void {
    if (!leg.amd || leg.state !== 'answered') return;
    const now = this.clock.now();
    const callId = leg.req.callId;
    for (const [i, e] of events.entries()) {
      if (e.kind === 'speech-start' || e.kind === 'speech-end') {
        this.emit({ type: 'speech', callId, at: now - (agoMs[i] ?? 0), phase: e.kind === 'speech-start' ? 'start' : 'end' });
      } else if (e.kind === 'verdict') {
        if (!leg.req.amd) {
          this.stopAmd(leg); // speech events only: the greeting is over or never came
          return;
        }
        if (leg.amdVerdict === undefined) this.verdict(leg, e.result, e.cause);
      } else if (e.kind === 'beep') {
        this.emit({ type: 'beep', callId, at: now, detail: `${Math.round(e.hz)} Hz, ${e.durationMs} ms` });
        if (leg.amdVerdict === undefined) this.verdict(leg, 'machine', 'BEEP');
        this.stopAmd(leg); // the beep is what a voicemail drop waits for; nothing more to detect
      } else {
        this.emit({ type: 'sit', callId, at: now, detail: e.detail });
        if (leg.amdVerdict === undefined) this.verdict(leg, 'machine', 'SIT');
      }
    }
    this.afterVerdict(leg);
  }

  /** After the verdict the detector stops, unless a machine's beep is awaited (for at most 30 s more). */
  private afterVerdict(leg: CustomerLeg): void {
    const now = this.clock.now();
    if (leg.amd && leg.amdVerdict !== undefined) {
      const req = leg.req.amd;
      const waitBeep = req && req.waitForBeep && leg.amdVerdict === 'machine';
      if (!waitBeep) this.stopAmd(leg);
      else if (!leg.cancelBeepWait && leg.answeredAt !== undefined) {
        // No beep 30 s after the analysis window: stop listening for one.
        leg.cancelBeepWait = this.clock.setTimer(Math.max(0, leg.answeredAt + req.maxMs + 30_000 - now), () => this.stopAmd(leg));
      }
    }
  }

  private stopAmd(leg: CustomerLeg): void {
    if (!leg.amd) return;
    leg.amd = false;
    leg.sender.rtp.stopAmd();
  }

  private verdict(leg: CustomerLeg, result: 'human' | 'machine' | 'fax' | 'unknown', cause: string): void {
    leg.amdVerdict = result;
    leg.cancelAmdDeadline?.();
    const now = this.clock.now();
    this.emit({ type: 'amd', callId: leg.req.callId, at: now, result, cause, decisionMs: now - (leg.answeredAt ?? now) });
  }

  private confirmBridge(leg: CustomerLeg): void {
    const requested = leg.bridgeRequestedAt;
    if (requested === undefined || !leg.agent) return;
    leg.bridgeRequestedAt = undefined;
    const now = this.clock.now();
    this.emit({ type: 'bridged', callId: leg.req.callId, agentLegId: leg.agent.legId, at: now, latencyMs: now - requested });
  }

  private stopPlayback(leg: CustomerLeg, result: 'completed' | 'stopped' | 'hangup'): void {
    const p = leg.playback;
    if (!p) return;
    leg.playback = undefined;
    if (result !== 'completed') leg.sender.rtp.stopPlay();
    this.emit({ type: 'play-ended', callId: leg.req.callId, at: this.clock.now(), promptId: p.promptId, result });
  }

  private applyRemoteSdp(rtp: MediaLeg, sdp: string): boolean {
    const remote = parseSdp(sdp, this.codecs);
    if (!remote) return false;
    rtp.setRemote({ host: remote.host, port: remote.port }, remote.codec, remote.telephoneEventPt);
    return true;
  }

  /** A `to` given as a full SIP URI goes to that URI's host, unless an outbound proxy takes everything. */
  private nextHopFor(targetUri: string): Peer {
    if (this.config.trunk.outboundProxy) return this.trunkPeer;
    const uri = parseUri(targetUri);
    if (!uri || (uri.host === this.trunkHost && uri.port === this.trunkPort)) return this.trunkPeer;
    return { host: uri.host, port: uri.port ?? 5060, transport: uri.params['transport']?.toLowerCase() === 'tcp' ? 'tcp' : this.trunkPeer.transport };
  }

  private sdpFor(port: number, version: number): string {
    return buildSdp({ host: this.config.media.host, port, codecs: this.codecs, telephoneEventPt: 101, sessionId: port, version });
  }

  /** Where a recorded call's stereo WAV goes (`<callId>.wav`), or undefined when it is not recorded. */
  private recordingFile(leg: CustomerLeg): string | undefined {
    const dir = this.config.recordingDir;
    if (!leg.recording || !dir) return undefined;
    leg.recording = false;
    return path.join(dir, `${leg.req.callId.replace(/[^A-Za-z0-9._-]/g, '_')}.wav`);
  }

  /**
   * Runs a command. Events it causes are queued and delivered after it returns (ADR 0004: never from inside a
   * command); once a queue exists, later events join it, so the stream stays in order.
   */
  private command<T>(fn: () => T): T {
    this.inCommand++;
    try {
      return fn();
    } finally {
      this.inCommand--;
    }
  }

  private emit(event: DriverEvent): void {
    if (this.inCommand > 0 || this.queued.length > 0) {
      this.queued.push(event);
      if (this.queued.length === 1) {
        this.clock.setTimer(0, () => {
          const batch = this.queued;
          this.queued = [];
          for (const e of batch) this.deliver(e);
        });
      }
      return;
    }
    this.deliver(event);
  }

  private deliver(event: DriverEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('outdial sip driver: event listener failed', error);
      }
    }
  }

}

