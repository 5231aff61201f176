import type { AmdConfig } from '../amd/amd-config.ts';
import type { AmdEvent } from '../amd/amd-engine.ts';
import type { Codec } from './g711.ts';

/**
 * The messages between the driver (main thread: SIP, engine) and the media worker (RTP, relay, prompts, recording,
 * AMD). Commands are small and rare (a few per call); the worker answers with events, never per packet.
 */
export type MediaCommand =
  | { t: 'open'; req: number; id: string; kind: 'customer' | 'agent'; host: string; port: number }
  | { t: 'remote'; id: string; host: string; port: number; codec: Codec; telephoneEventPt: number | undefined }
  | { t: 'early-tones'; id: string; config: AmdConfig }
  /** The call is answered: from now on its audio is the called party's (AMD, recording, bridge). */
  | { t: 'answered'; id: string; record: boolean; amd: { config: AmdConfig; listenForTones: boolean } | undefined }
  | { t: 'amd-stop'; id: string }
  /** Bridge: customer ↔ agent; `token` identifies this bridge in the `bridged` report. */
  /** `fallbackMs`: a customer silent that long after the switch is reported bridged anyway (worker time). */
  | { t: 'connect'; id: string; agentId: string; token: number; fallbackMs: number }
  | { t: 'disconnect'; id: string }
  | { t: 'prompt'; key: string; frames: Uint8Array[] }
  | { t: 'play'; id: string; key: string; token: number }
  | { t: 'stop-play'; id: string }
  /**
   * RFC 4733: sends `digits` (0–9, *, #, A–D; `,` pauses 500 ms) as telephone events on the leg, one after the other,
   * each `durationMs` long then `gapMs` of nothing; answers `req` once the last end packet is out (or with an error).
   * The leg's other audio is held back meanwhile. Requests on a busy leg queue behind it.
   */
  | { t: 'send-dtmf'; req: number; id: string; digits: string; durationMs: number; gapMs: number; volume: number }
  /** Closes the leg; with `recordTo`, the worker writes the stereo WAV there first and answers `req`. */
  | { t: 'close'; req: number; id: string; recordTo: string | undefined }
  | { t: 'stats'; req: number };

export interface MediaStats {
  packetsIn: number;
  packetsOut: number;
  legs: number;
  /** Customer legs connected to an agent leg, and legs whose audio AMD is still analysing. */
  bridgedLegs: number;
  amdLegs: number;
  /** The worker's event-loop utilisation since the previous stats request (0–1: share of wall time it was busy). */
  utilization: number;
  /** The worker's event-loop delay since the previous stats request (ms). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** The worker thread's Linux task id (for /proc/self/task/ID/schedstat: its own CPU time), when known. */
  threadId: number | undefined;
}

export type MediaEvent =
  | { t: 'reply'; req: number; error?: string; stats?: MediaStats }
  | { t: 'ready' }
  | { t: 'dtmf'; id: string; digit: string; durationSamples: number }
  | { t: 'sit-early'; id: string; detail: string }
  /** AMD events of one frame; `agoMs[i]` is how much audio ago event i happened (speech start/end stamps). */
  | { t: 'amd'; id: string; events: AmdEvent[]; agoMs: number[] }
  | { t: 'bridged'; id: string; token: number }
  | { t: 'play-done'; id: string; token: number };
