/**
 * A pacing policy decides how many calls to place now. It is pure and synchronous: the engine hands it a snapshot
 * of the floor and feeds it observations; it never sees an outcome before the simulated or real call produces it.
 */

export interface AgentSnapshot {
  agentId: string;
  state: 'ready' | 'reserved' | 'on_call' | 'wrap_up' | 'paused' | 'signed_out';
  /** When the agent entered this state (ms). */
  since: number;
}

export interface PacingSnapshot {
  now: number;
  campaignId: string;
  /** Agents signed in to this campaign, in any state but signed out. */
  agents: ReadonlyArray<AgentSnapshot>;
  readyAgents: number;
  /** Calls placed and not yet answered or ended. */
  ringing: number;
  /** Answered (human or unknown) calls waiting for an agent right now. */
  waiting: number;
  /** Answered calls whose AMD verdict is still pending (each may turn out live). Set by the dialer engine. */
  analysing?: number;
  /** Agents of the campaign talking or in wrap-up right now. Set by the dialer engine. */
  busyAgents?: number;
  /** Contacts the hopper can dial now. */
  dialable: number;
  /** Simultaneous-call cap left (trunks), if any. */
  linesFree: number;
  /** The campaign's abandonment target as a fraction (0.03 = 3 %). */
  abandonTarget: number;
}

export type PacingObservation =
  | { type: 'dialed'; at: number; callId: string }
  | { type: 'answered'; at: number; callId: string; ringMs: number; live: boolean }
  | { type: 'not-answered'; at: number; callId: string; ringMs: number }
  | { type: 'connected'; at: number; callId: string; agentId: string; waitMs: number }
  | { type: 'abandoned'; at: number; callId: string }
  | { type: 'live-answer-counted'; at: number; callId: string }
  | { type: 'call-ended'; at: number; callId: string; agentId: string; talkMs: number }
  /**
   * The agent saved a disposition. `machine`: the agent said an answering machine reached them (see
   * `isMachineDisposition`); absent when the engine cannot tell. With AMD off (or an AMD miss) this is the only way a
   * pacer learns which answers were people, and only people count in the abandonment rate.
   */
  | { type: 'wrap-ended'; at: number; agentId: string; wrapMs: number; machine?: boolean };

export interface PacingPolicy {
  readonly name: string;
  /** Number of new calls to place now (0 or more). Called on every relevant change and on the policy's tick. */
  decide(snapshot: PacingSnapshot): number;
  observe(observation: PacingObservation): void;
  /**
   * False when the policy ignores observations (progressive): the engine then neither builds nor sends them. Default
   * true. Observations are fresh objects a policy may keep.
   */
  readonly observes?: boolean;
  /** How often the engine should ask even without a change (ms); VICIdial-style policies place every 2.5 s. */
  readonly tickMs?: number;
  /** The current dial level (lines per available agent) for the supervisor's display. */
  dialLevel?(): number;
}

/**
 * Whether a disposition says an answering machine (or voicemail) reached the agent: its code or label names a machine
 * or voicemail, or it is one of VICIdial's answering-machine statuses (AA, AM, AL).
 */
export function isMachineDisposition(def: { code: string; label?: string; machine?: boolean }): boolean {
  if (def.machine !== undefined) return def.machine;
  return MACHINE_DISPOSITION.test(def.code) || (def.label !== undefined && MACHINE_DISPOSITION.test(def.label));
}

const MACHINE_DISPOSITION = /machine|voice.?mail|^(AA|AM|AL)$/i;
