import { statSync } from 'node:fs';
import type { AmdVerdict, CallOutcome, DriverEvent } from '@outdial/core/telephony/driver';
import { outcomeOf } from './outcome-mapping.ts';
import type { SessionEnd } from './sip/invite-session.ts';

/** What the driver knew about a customer call when its INVITE session ended. */
export interface CallEndContext {
  answered: boolean;
  amdRequested: boolean;
  verdict: AmdVerdict | undefined;
  /** Our ring timeout fired (CANCEL, or BYE when the 200 crossed it). */
  timedOut: boolean;
  /** The core asked us to hang up. */
  hangupRequested: boolean;
}

export interface CallEnd {
  outcome: CallOutcome;
  by: 'remote' | 'local' | 'timeout';
  /** Worth an `error` event besides the outcome. */
  problem?: { code: string; detail: string };
}

/** An answered call: a person without AMD (as the core treats it); with AMD, per verdict. */
export function answeredOutcome(amdRequested: boolean, verdict: AmdVerdict | undefined): CallOutcome {
  if (!amdRequested || verdict === 'human') return 'answered-human';
  if (verdict === 'machine' || verdict === 'fax') return 'answered-machine';
  return 'answered-unknown';
}

/**
 * The `ended` event's outcome and cause of a session end (telephony.md §1.3): our CANCEL's 487 is no-answer at the
 * ring timeout and cancelled otherwise; the CANCEL/200 race is an answered call ended by the timeout; no response at
 * all is the carrier's fault, a transport failure ours.
 */
export function callEndOf(ctx: CallEndContext, end: SessionEnd): CallEnd {
  const cancelledBy = ctx.timedOut ? { outcome: 'no-answer' as const, by: 'timeout' as const } : { outcome: 'cancelled' as const, by: 'local' as const };
  if (ctx.answered) {
    const answered: CallEnd = { outcome: answeredOutcome(ctx.amdRequested, ctx.verdict), by: ctx.timedOut ? 'timeout' : end.by };
    // A BYE nobody answers usually means a broken route set (Record-Route ignored): worth an operator's look.
    if (end.failure) answered.problem = { code: 'SIP_BYE_UNANSWERED', detail: end.detail ?? end.failure };
    return answered;
  }
  if (end.failure === 'transport') return { outcome: 'local-error', by: 'local', problem: { code: 'SIP_TRANSPORT', detail: end.detail ?? 'transport error' } };
  if (end.failure === 'timeout') return ctx.hangupRequested ? cancelledBy : { outcome: 'carrier-error', by: 'local' };
  if (end.status === 487 && ctx.hangupRequested) return cancelledBy;
  if (end.status === undefined) return { outcome: 'carrier-error', by: end.by };
  return { outcome: outcomeOf(end.status, end.q850), by: end.by };
}

/**
 * The `recording` event for a stereo 16-bit 8 kHz WAV just written (44-byte header, 4 bytes a frame): its length is
 * read from the file, so it is what was recorded, not how long the call lasted.
 */
export function recordingSaved(callId: string, file: string, at: number): Extract<DriverEvent, { type: 'recording' }> | undefined {
  let bytes: number;
  try {
    bytes = statSync(file).size;
  } catch {
    return undefined;
  }
  return { type: 'recording', callId, at, path: file, durationMs: Math.round((Math.max(0, bytes - 44) / 4 / 8000) * 1000) };
}
