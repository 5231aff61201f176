import { mkdirSync, writeFileSync } from 'node:fs';
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
import { AmdEngine } from './amd/amd-engine.ts';
import { ToneDetector } from './amd/tone-detector.ts';
import type { Codec } from './media/g711.ts';
import { decode, transcode } from './media/g711.ts';
import { MediaTicker } from './media/media-ticker.ts';
import { PromptStore } from './media/prompt-store.ts';
import type { AudioFrame } from './media/rtp-endpoint.ts';
import { PortPool, RtpEndpoint } from './media/rtp-endpoint.ts';
import { buildSdp, parseSdp } from './media/sdp.ts';
import { StereoRecorder } from './media/stereo-recorder.ts';
import { writeWav } from './media/wav.ts';
import { answeredOutcome, callEndOf } from './call-end.ts';
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

/** What a leg sends: a relay, a prompt, or nothing; kept per leg so the send clock follows real time. */
interface Sender {
  rtp: RtpEndpoint;
  lastSendAt: number | undefined;
}

interface Playback {
  promptId: string;
  frames: Uint8Array[];
  index: number;
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
  amd: AmdEngine | undefined;
  earlyTones: ToneDetector | undefined;
  amdVerdict: 'human' | 'machine' | 'fax' | 'unknown' | undefined;
  amdMediaMs: number;
  lastAmdTimestamp: number | undefined;
  recorder: StereoRecorder | undefined;
  agent: AgentLeg | undefined;
  bridgeRequestedAt: number | undefined;
  cancelBridgeFallback: (() => void) | undefined;
  playback: Playback | undefined;
  pcm: Int16Array;
}

interface AgentLeg {
  legId: string;
  agentId: string;
  session: InviteSession;
  sender: Sender;
  port: number;
  state: 'connecting' | 'up' | 'down';
  customer: CustomerLeg | undefined;
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
  private readonly ticker: MediaTicker;
  private readonly listeners = new Set<DriverEventListener>();
  private readonly calls = new Map<string, CustomerLeg>();
  private readonly agents = new Map<string, AgentLeg>();
  private registration: Registration | undefined;
  private readonly packetsDone = { in: 0, out: 0 };
  private inCommand = 0;
  private queued: DriverEvent[] = [];
  private agentSeq = 0;
  private ticks = 0;
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
    this.ticker = new MediaTicker(this.clock, 20, (now) => this.tick(now));
  }

  /** Prompts added at run time (e.g. `outdial call test --play`). */
  get promptStore(): PromptStore {
    return this.prompts;
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.ua.open();
    this.started = true;
    this.ticker.start();
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
    this.registration?.stop();
    // Give BYEs and CANCELs a moment to leave and be answered.
    const deadline = this.clock.now() + 2000;
    while ((this.calls.size > 0 || this.agents.size > 0) && this.clock.now() < deadline) {
      await new Promise<void>((resolve) => this.clock.setTimer(20, resolve));
    }
    for (const call of this.calls.values()) this.release(call);
    for (const leg of this.agents.values()) this.releaseAgent(leg);
    this.calls.clear();
    this.agents.clear();
    this.ticker.stop();
    await this.ua.close();
    this.started = false;
  }

  onEvent(listener: DriverEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** RTP packets received and sent since start (live legs and ended ones), for benchmarks and metrics. */
  mediaStats(): { packetsIn: number; packetsOut: number } {
    let packetsIn = this.packetsDone.in;
    let packetsOut = this.packetsDone.out;
    for (const leg of [...this.calls.values(), ...this.agents.values()]) {
      packetsIn += leg.sender.rtp.packetsReceived;
      packetsOut += leg.sender.rtp.packetsSent;
    }
    return { packetsIn, packetsOut };
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
    const rtp = new RtpEndpoint(this.config.media.host, port, {
      onAudio: (frame) => this.onCustomerAudio(leg, frame),
      onDtmf: (digit, duration) => this.emit({ type: 'dtmf', legId: req.callId, at: this.clock.now(), digit, durationMs: Math.round(duration / 8) }),
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
      amd: undefined,
      earlyTones: undefined,
      amdVerdict: undefined,
      amdMediaMs: 0,
      lastAmdTimestamp: undefined,
      recorder: undefined,
      agent: undefined,
      bridgeRequestedAt: undefined,
      cancelBridgeFallback: undefined,
      playback: undefined,
      pcm: new Int16Array(160),
    };
    this.calls.set(req.callId, leg);
    this.ua.add(session);
    rtp.open().then(
      () => {
        if (leg.state === 'ended') return rtp.close();
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
    // The bridge is a pointer swap: the next customer packet goes to the agent. If the customer is silent (no RTP),
    // report the switch anyway after one packet time.
    leg.cancelBridgeFallback = this.clock.setTimer(this.config.bridgeFallbackMs ?? 60, () => this.confirmBridge(leg));
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
    leg.cancelBridgeFallback?.();
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
    leg.playback = { promptId, frames, index: 0 };
  }

  openAgentLeg(req: AgentLegRequest): string {
    return this.command(() => this.doOpenAgentLeg(req));
  }

  private doOpenAgentLeg(req: AgentLegRequest): string {
    this.agentSeq++;
    const legId = `agent-${req.agentId}-${this.agentSeq}`;
    const now = this.clock.now();
    const port = this.started ? this.ports.take() : undefined;
    const target = parseUri(req.target);
    if (port === undefined || !target) {
      if (port !== undefined) this.ports.release(port);
      const cause = !this.started ? 'driver not started' : !target ? `not a SIP URI: ${req.target}` : 'media port range exhausted';
      this.emit({ type: 'agent-leg', legId, agentId: req.agentId, at: now, state: 'down', cause });
      return legId;
    }
    const rtp = new RtpEndpoint(this.config.media.host, port, {
      onAudio: (frame) => this.onAgentAudio(leg, frame),
      onDtmf: (digit, duration) => this.emit({ type: 'dtmf', legId, at: this.clock.now(), digit, durationMs: Math.round(duration / 8) }),
    });
    const transport = target.params['transport']?.toLowerCase() === 'tcp' ? 'tcp' : 'udp';
    const session: InviteSession = new InviteSession(
      {
        callId: newCallId(this.config.sip.host),
        targetUri: req.target,
        fromUri: `sip:outdial@${this.config.sip.host}`,
        fromDisplay: 'Outdial',
        toUri: req.target,
        nextHop: { host: target.host, port: target.port ?? 5060, transport },
        local: { host: this.config.sip.host, port: this.config.sip.port, transport },
        sdp: this.sdpFor(port, 1),
        extraHeaders: [['X-Outdial-Agent', req.agentId]],
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
          this.emit({ type: 'agent-leg', legId, agentId: req.agentId, at: this.clock.now(), state: 'up' });
        },
        onRemoteSdp: (sdp) => this.applyRemoteSdp(rtp, sdp),
        onEnded: (end) => {
          const cause = end.status !== undefined ? `SIP ${end.status}` : (end.detail ?? end.by);
          if (leg.customer) this.unbridge(leg.customer.req.callId);
          this.releaseAgent(leg);
          this.emit({ type: 'agent-leg', legId, agentId: req.agentId, at: this.clock.now(), state: 'down', cause: end.by === 'local' && end.failure === undefined ? 'closed' : cause });
        },
      },
      () => this.sdpFor(port, 2),
    );
    const leg: AgentLeg = { legId, agentId: req.agentId, session, sender: { rtp, lastSendAt: undefined }, port, state: 'connecting', customer: undefined };
    this.agents.set(legId, leg);
    this.ua.add(session);
    rtp.open().then(
      () => session.start(),
      (error: unknown) => {
        this.releaseAgent(leg);
        this.emit({ type: 'agent-leg', legId, agentId: req.agentId, at: this.clock.now(), state: 'down', cause: error instanceof Error ? error.message : String(error) });
      },
    );
    return legId;
  }

  closeAgentLeg(legId: string): void {
    this.command(() => this.doCloseAgentLeg(legId));
  }

  private doCloseAgentLeg(legId: string): void {
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
    if (sdp && this.applyRemoteSdp(leg.sender.rtp, sdp)) leg.earlyTones ??= new ToneDetector(this.amdDefaults);
  }

  private onAnswered(leg: CustomerLeg, sdp: string | undefined): void {
    const now = this.clock.now();
    leg.cancelRing?.();
    if (leg.state === 'ended') return;
    const mediaOk = sdp !== undefined ? this.applyRemoteSdp(leg.sender.rtp, sdp) : leg.sender.rtp.remote !== undefined;
    leg.state = 'answered';
    leg.answeredAt = now;
    leg.earlyTones = undefined;
    this.emit({ type: 'answered', callId: leg.req.callId, at: now });
    if (leg.timedOut || leg.hangupReason) return; // the 200 crossed our CANCEL: the session is sending BYE
    if (!mediaOk) {
      this.emit({ type: 'error', callId: leg.req.callId, at: now, code: 'SIP_NO_COMMON_CODEC', detail: 'the answer has no G.711 audio we can use' });
      leg.hangupReason = 'normal';
      leg.session.hangup();
      return;
    }
    if (leg.req.record && this.config.recordingDir) leg.recorder = new StereoRecorder();
    const amd = leg.req.amd;
    // The energy detector always runs until the greeting ends: its speech events start the abandonment clock.
    leg.amd = new AmdEngine(amd ? { ...this.amdDefaults, totalAnalysisMs: Math.min(this.amdDefaults.totalAnalysisMs, amd.maxMs) } : this.amdDefaults);
    leg.amd.listenForTones = amd !== false;
    if (amd) {
      // Wall-clock guard: if no audio arrives at all, the verdict is still due.
      leg.cancelAmdDeadline = this.clock.setTimer(amd.maxMs + 200, () => {
        if (leg.amdVerdict === undefined && leg.state === 'answered') this.verdict(leg, 'unknown', 'NOAUDIODATA');
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
    this.saveRecording(leg);
    this.release(leg);
    this.calls.delete(leg.req.callId);
    // An answered call's code is the INVITE's 200, whatever the BYE got.
    const code = leg.answeredAt !== undefined ? 200 : sipCode;
    this.emit({
      type: 'ended',
      callId: leg.req.callId,
      at: now,
      outcome,
      by,
      ...(code !== undefined ? { sipCode: code } : {}),
      ...(q850 !== undefined ? { q850 } : {}),
      ...(leg.answeredAt !== undefined ? { answeredAt: leg.answeredAt, talkMs: now - leg.answeredAt } : {}),
    });
  }

  private release(leg: CustomerLeg): void {
    this.countPackets(leg.sender.rtp);
    leg.cancelRing?.();
    leg.cancelAmdDeadline?.();
    leg.cancelBridgeFallback?.();
    leg.sender.rtp.close();
    this.ports.release(leg.port);
    // Keep routing the Call-ID for a while: a late 2xx retransmission still needs its ACK.
    const callId = leg.session.callId;
    this.clock.setTimer(32_000, () => this.ua.forget(callId));
  }

  private countPackets(rtp: RtpEndpoint): void {
    this.packetsDone.in += rtp.packetsReceived;
    this.packetsDone.out += rtp.packetsSent;
  }

  private releaseAgent(leg: AgentLeg): void {
    if (leg.state !== 'down') this.countPackets(leg.sender.rtp);
    leg.state = 'down';
    leg.sender.rtp.close();
    this.ports.release(leg.port);
    this.agents.delete(leg.legId);
    const callId = leg.session.callId;
    this.clock.setTimer(32_000, () => this.ua.forget(callId));
  }

  // ——— media ———

  private onCustomerAudio(leg: CustomerLeg, frame: AudioFrame): void {
    if (leg.state === 'dialing') {
      if (leg.earlyTones && frame.payload.length === 160) {
        for (const e of leg.earlyTones.feed(decode(frame.codec, frame.payload, leg.pcm))) {
          if (e.kind === 'sit') this.emit({ type: 'sit', callId: leg.req.callId, at: this.clock.now(), detail: e.detail });
        }
      }
      return;
    }
    if (leg.state !== 'answered') return;
    const agent = leg.agent;
    if (agent && agent.state === 'up') {
      this.sendTimed(agent.sender, transcode(frame.codec, agent.sender.rtp.codec, frame.payload));
      if (leg.bridgeRequestedAt !== undefined) this.confirmBridge(leg);
    }
    if (!leg.amd && !leg.recorder) return;
    const pcm = decode(frame.codec, frame.payload, frame.payload.length === 160 ? leg.pcm : new Int16Array(frame.payload.length));
    if (leg.recorder && leg.answeredAt !== undefined) leg.recorder.write(0, frame.timestamp, pcm, (this.clock.now() - leg.answeredAt) * 8);
    if (leg.amd) this.feedAmd(leg, frame.timestamp, pcm);
  }

  private onAgentAudio(leg: AgentLeg, frame: AudioFrame): void {
    const customer = leg.customer;
    if (!customer || customer.state !== 'answered' || customer.playback) return;
    const payload = transcode(frame.codec, customer.sender.rtp.codec, frame.payload);
    this.sendToCustomer(customer, payload);
  }

  private sendToCustomer(leg: CustomerLeg, payload: Uint8Array): void {
    const ts = this.sendTimed(leg.sender, payload);
    if (leg.recorder && leg.answeredAt !== undefined) {
      leg.recorder.write(1, ts, decode(leg.sender.rtp.codec, payload), (this.clock.now() - leg.answeredAt) * 8);
    }
  }

  /** Sends a frame, first advancing the RTP clock over any gap so the far end's playout stays in real time. */
  private sendTimed(sender: Sender, payload: Uint8Array): number {
    const now = this.clock.now();
    if (sender.lastSendAt !== undefined && now - sender.lastSendAt > 30) sender.rtp.skip(Math.round((now - sender.lastSendAt - 20) * 8));
    sender.lastSendAt = now;
    const ts = sender.rtp.sentTimestamp;
    sender.rtp.send(payload);
    return ts;
  }

  private feedAmd(leg: CustomerLeg, timestamp: number, pcm: Int16Array): void {
    const amd = leg.amd;
    if (!amd) return;
    if (leg.lastAmdTimestamp !== undefined) {
      const delta = (timestamp - leg.lastAmdTimestamp) | 0;
      if (delta <= 0) return; // late or duplicate: AMD has moved on
      // Lost frames count as silence, so loss does not stretch or shrink the greeting.
      for (let missing = Math.min(50, Math.round(delta / 160) - 1); missing > 0; missing--) this.handleAmd(leg, amd.feed(undefined));
    }
    leg.lastAmdTimestamp = timestamp;
    if (pcm.length === 160) this.handleAmd(leg, amd.feed(pcm));
  }

  private handleAmd(leg: CustomerLeg, events: ReturnType<AmdEngine['feed']>): void {
    const amd = leg.amd;
    if (!amd) return;
    leg.amdMediaMs += amd.config.frameMs;
    const now = this.clock.now();
    const callId = leg.req.callId;
    for (const e of events) {
      if (e.kind === 'speech-start' || e.kind === 'speech-end') {
        this.emit({ type: 'speech', callId, at: now - (leg.amdMediaMs - e.atMs), phase: e.kind === 'speech-start' ? 'start' : 'end' });
      } else if (e.kind === 'verdict') {
        if (!leg.req.amd) {
          leg.amd = undefined; // speech events only: the greeting is over or never came
          return;
        }
        if (leg.amdVerdict === undefined) this.verdict(leg, e.result, e.cause);
      } else if (e.kind === 'beep') {
        this.emit({ type: 'beep', callId, at: now, detail: `${Math.round(e.hz)} Hz, ${e.durationMs} ms` });
        if (leg.amdVerdict === undefined) this.verdict(leg, 'machine', 'BEEP');
        leg.amd = undefined; // the beep is what a voicemail drop waits for; nothing more to detect
      } else {
        this.emit({ type: 'sit', callId, at: now, detail: e.detail });
        if (leg.amdVerdict === undefined) this.verdict(leg, 'machine', 'SIT');
      }
    }
    if (leg.amd && leg.amdVerdict !== undefined) {
      const req = leg.req.amd;
      const waitBeep = req && req.waitForBeep && leg.amdVerdict === 'machine';
      if (!waitBeep) leg.amd = undefined;
      else if (leg.answeredAt !== undefined && now - leg.answeredAt > req.maxMs + 30_000) leg.amd = undefined; // no beep came
    }
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
    leg.cancelBridgeFallback?.();
    const now = this.clock.now();
    this.emit({ type: 'bridged', callId: leg.req.callId, agentLegId: leg.agent.legId, at: now, latencyMs: now - requested });
  }

  private stopPlayback(leg: CustomerLeg, result: 'completed' | 'stopped' | 'hangup'): void {
    const p = leg.playback;
    if (!p) return;
    leg.playback = undefined;
    this.emit({ type: 'play-ended', callId: leg.req.callId, at: this.clock.now(), promptId: p.promptId, result });
  }

  private tick(now: number): void {
    this.ticks++;
    for (const leg of this.calls.values()) {
      const p = leg.playback;
      if (!p || leg.state !== 'answered') continue;
      const frame = p.frames[p.index];
      if (!frame) {
        this.stopPlayback(leg, 'completed');
        continue;
      }
      p.index++;
      this.sendToCustomer(leg, frame);
    }
    if (this.ticks % 250 === 0) {
      // RTCP sender reports every 5 s.
      for (const leg of this.calls.values()) if (leg.state === 'answered') leg.sender.rtp.sendReport(now);
      for (const leg of this.agents.values()) if (leg.state === 'up') leg.sender.rtp.sendReport(now);
    }
  }

  private applyRemoteSdp(rtp: RtpEndpoint, sdp: string): boolean {
    const remote = parseSdp(sdp, this.codecs);
    if (!remote) return false;
    rtp.remote = { host: remote.host, port: remote.port };
    rtp.codec = remote.codec;
    rtp.telephoneEventPt = remote.telephoneEventPt;
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

  private saveRecording(leg: CustomerLeg): void {
    const rec = leg.recorder;
    const dir = this.config.recordingDir;
    if (!rec || !dir) return;
    leg.recorder = undefined;
    try {
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${leg.req.callId.replace(/[^A-Za-z0-9._-]/g, '_')}.wav`);
      writeFileSync(file, writeWavStereo(rec));
    } catch (error) {
      this.emit({ type: 'error', callId: leg.req.callId, at: this.clock.now(), code: 'SIP_RECORDING_WRITE', detail: error instanceof Error ? error.message : String(error) });
    }
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

function writeWavStereo(rec: StereoRecorder): Buffer {
  return writeWav(rec.finish());
}
