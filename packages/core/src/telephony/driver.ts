/**
 * The one interface between the dialer core and telephony. The core never sees SIP: it issues commands and reacts
 * to an ordered stream of events. Commands return at once and never throw for telephony outcomes; what happened
 * arrives as events, timestamped by the driver's injected clock. Implementations: `sim` (@outdial/telephony) and
 * `sip` (@outdial/driver-sip); both pass the conformance suite in @outdial/telephony.
 */

export type CallOutcome =
  | 'answered-human'
  | 'answered-machine'
  | 'answered-unknown'
  | 'busy'
  | 'no-answer'
  | 'unavailable'
  | 'rejected'
  | 'invalid-number'
  | 'blocked'
  | 'congestion'
  | 'carrier-error'
  | 'config-error'
  | 'cancelled'
  | 'local-error';

export type AmdVerdict = 'human' | 'machine' | 'fax' | 'unknown';

export type HangupReason = 'normal' | 'abandon' | 'amd-machine' | 'timeout' | 'agent' | 'shutdown';

export interface DriverCapabilities {
  amd: boolean;
  beep: boolean;
  sit: boolean;
  /** How a customer reaches an agent: a media switch in process, a re-INVITE or a conference join. */
  bridge: 'in-process' | 'reinvite' | 'conference';
  recording: boolean;
  dtmf: boolean;
  /** The driver reports when the called person starts and stops speaking (needed for the abandonment clock). */
  speechEvents: boolean;
  maxConcurrent?: number;
  virtualTime: boolean;
}

export interface OriginateRequest {
  callId: string;
  /** E.164. */
  to: string;
  /** Caller ID presented (E.164). */
  from: string;
  /** How long to let the phone ring before cancelling; the core enforces the legal minimum. */
  ringTimeoutMs: number;
  amd: false | { maxMs: number; waitForBeep?: boolean };
  record?: boolean;
  /** Who is called and which attempt this is: drivers may key behaviour on it (the sim draws outcomes per lead). */
  contactId: string;
  attemptNo: number;
  headers?: Readonly<Record<string, string>>;
}

export interface AgentLegRequest {
  agentId: string;
  /** Where the agent's audio is: a SIP URI for a phone, `sim:` for a simulated agent. */
  target: string;
}

export type DriverEvent =
  | { type: 'progress'; callId: string; at: number; code: number; earlyMedia: boolean }
  | { type: 'answered'; callId: string; at: number }
  /** The called party's speech started or ended (greeting), where the driver can tell. */
  | { type: 'speech'; callId: string; at: number; phase: 'start' | 'end' }
  | { type: 'amd'; callId: string; at: number; result: AmdVerdict; cause: string; decisionMs: number }
  | { type: 'beep' | 'sit'; callId: string; at: number; detail?: string }
  | { type: 'dtmf'; legId: string; at: number; digit: string; durationMs: number }
  | { type: 'bridged'; callId: string; agentLegId: string; at: number; latencyMs: number }
  | { type: 'play-ended'; callId: string; at: number; promptId: string; result: 'completed' | 'stopped' | 'hangup' }
  | { type: 'agent-leg'; legId: string; agentId: string; at: number; state: 'up' | 'down'; cause?: string }
  /**
   * A call's recording was closed and saved (`record: true`): where it is and how long it lasts. Optional: drivers
   * that do not record never send it; one that does sends it once per recorded call, before the call's `ended`.
   */
  | { type: 'recording'; callId: string; at: number; path: string; durationMs: number }
  | {
      type: 'ended';
      callId: string;
      at: number;
      outcome: CallOutcome;
      sipCode?: number;
      q850?: number;
      by: 'remote' | 'local' | 'timeout';
      answeredAt?: number;
      talkMs?: number;
    }
  | { type: 'error'; callId?: string; at: number; code: string; detail: string };

export type DriverEventListener = (event: DriverEvent) => void;

export interface DriverHealth {
  up: boolean;
  inFlight: number;
  detail?: string;
}

export interface TelephonyDriver {
  readonly id: string;
  readonly caps: DriverCapabilities;
  start(): Promise<void>;
  /** Ends every call and agent leg, then releases sockets and timers. */
  stop(): Promise<void>;
  /** Subscribes to the ordered event stream; returns an unsubscribe function. */
  onEvent(listener: DriverEventListener): () => void;
  originate(req: OriginateRequest): void;
  /** CANCEL before answer, BYE after. Ends with an `ended` event (unless the call already ended). */
  hangup(callId: string, reason?: HangupReason): void;
  /** Connects an answered customer to an agent's leg; `bridged` follows. */
  bridge(callId: string, agentLegId: string): void;
  unbridge(callId: string): void;
  /** Plays a prompt (abandon message, voicemail drop); `play-ended` follows. */
  play(callId: string, promptId: string): void;
  /** Opens the agent's long-lived audio leg; `agent-leg` up (or down with a cause) follows. Returns the leg id. */
  openAgentLeg(req: AgentLegRequest): string;
  closeAgentLeg(legId: string): void;
  health(): DriverHealth;
}
