import type { AttemptOutcome } from '../campaign/types.ts';
import type { CallOutcome } from '../telephony/driver.ts';

/**
 * The driver's call outcome (telephony vocabulary) as the attempt outcome stored and fed to retry rules. Answered
 * calls are resolved by the engine (connected, abandoned, machine) before this mapping is used.
 */
export function attemptOutcomeOf(outcome: CallOutcome): AttemptOutcome {
  switch (outcome) {
    case 'answered-human':
    case 'answered-unknown':
      return 'answered';
    case 'answered-machine':
      return 'machine';
    case 'busy':
      return 'busy';
    case 'no-answer':
      return 'no_answer';
    case 'unavailable':
      return 'unavailable';
    case 'rejected':
      return 'rejected';
    case 'invalid-number':
      return 'invalid';
    case 'blocked':
      return 'blocked';
    case 'congestion':
    case 'carrier-error':
      return 'congestion';
    case 'cancelled':
      return 'cancelled';
    case 'config-error':
    case 'local-error':
      return 'failed';
  }
}

/** Outcomes that are our (or the carrier's) fault, not the lead's: they do not use up one of its attempts. */
export function chargesAttempt(outcome: AttemptOutcome): boolean {
  return outcome !== 'failed' && outcome !== 'congestion' && outcome !== 'cancelled' && outcome !== 'interrupted';
}
