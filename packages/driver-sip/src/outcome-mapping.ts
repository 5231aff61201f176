import type { CallOutcome } from '@outdial/core/telephony/driver';

/**
 * SIP final responses and Q.850 causes → call outcomes (reference telephony.md §1.3). The Reason header's cause
 * wins when present: proxies rewrite codes (503 becomes 500, RFC 3261 §16.7) but carry the cause through.
 */

export function q850FromReason(reason: string | undefined): number | undefined {
  if (!reason) return undefined;
  for (const part of reason.split(',')) {
    const m = /^\s*Q\.850\s*;.*?cause\s*=\s*(\d+)/i.exec(part);
    if (m?.[1]) return Number(m[1]);
  }
  return undefined;
}

function outcomeFromCause(cause: number): CallOutcome | undefined {
  switch (cause) {
    case 17:
      return 'busy';
    case 18:
    case 19:
      return 'no-answer';
    case 20:
      return 'unavailable';
    case 21:
      return 'rejected';
    case 1:
    case 22:
    case 28:
      return 'invalid-number';
    case 34:
    case 38:
    case 41:
    case 42:
    case 47:
      return 'congestion';
    default:
      return undefined; // 16 (normal clearing), 31, 127…: let the status code decide
  }
}

function outcomeFromStatus(status: number): CallOutcome {
  switch (status) {
    case 486:
    case 600:
      return 'busy';
    case 487:
    case 408:
      return 'no-answer';
    case 480:
      return 'unavailable'; // RFC 3398: 480 ↔ cause 20 unless a Reason says 18/19
    case 603:
      return 'rejected';
    case 404:
    case 604:
    case 484:
    case 485:
    case 410:
      return 'invalid-number';
    case 607:
    case 608:
      return 'blocked';
    case 500:
    case 503:
      return 'congestion';
    case 502:
    case 504:
      return 'carrier-error';
    case 401:
    case 407:
    case 488:
    case 606:
    case 415:
    case 420:
      return 'config-error';
    case 403:
      return 'rejected';
    default:
      if (status >= 600) return 'rejected';
      if (status >= 500) return 'carrier-error';
      return 'carrier-error';
  }
}

/** The outcome of an INVITE's non-2xx final response. */
export function outcomeOf(status: number, q850: number | undefined): CallOutcome {
  // 607/608 are about our caller ID's reputation whatever the cause says.
  if (status === 607 || status === 608) return 'blocked';
  if (status === 401 || status === 407) return 'config-error';
  if (q850 !== undefined) {
    const byCause = outcomeFromCause(q850);
    if (byCause) return byCause;
  }
  return outcomeFromStatus(status);
}
