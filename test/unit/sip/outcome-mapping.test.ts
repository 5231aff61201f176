import { describe, expect, it } from 'vitest';
import { outcomeOf, q850FromReason } from '@outdial/driver-sip/outcome-mapping';

describe('SIP outcome mapping (telephony.md §1.3)', () => {
  it.each([
    [486, undefined, 'busy'],
    [600, undefined, 'busy'],
    [487, undefined, 'no-answer'],
    [408, undefined, 'no-answer'],
    [480, 18, 'no-answer'],
    [480, 20, 'unavailable'],
    [480, undefined, 'unavailable'],
    [603, undefined, 'rejected'],
    [403, 21, 'rejected'],
    [404, undefined, 'invalid-number'],
    [484, undefined, 'invalid-number'],
    [410, undefined, 'invalid-number'],
    [604, undefined, 'invalid-number'],
    [607, undefined, 'blocked'],
    [608, 21, 'blocked'],
    [503, undefined, 'congestion'],
    [500, undefined, 'congestion'],
    [500, 34, 'congestion'],
    [500, 17, 'busy'],
    [502, undefined, 'carrier-error'],
    [504, undefined, 'carrier-error'],
    [407, undefined, 'config-error'],
    [488, undefined, 'config-error'],
    [606, undefined, 'config-error'],
    [404, 1, 'invalid-number'],
    [500, 16, 'congestion'],
  ] as const)('%i with cause %s → %s', (status, cause, outcome) => {
    expect(outcomeOf(status, cause)).toBe(outcome);
  });

  it('reads the Q.850 cause from a Reason header, ignoring other protocols', () => {
    expect(q850FromReason('Q.850;cause=17;text="User busy"')).toBe(17);
    expect(q850FromReason('SIP;cause=200;text="Call completed elsewhere", Q.850 ; cause = 16')).toBe(16);
    expect(q850FromReason('SIP;cause=600')).toBeUndefined();
    expect(q850FromReason(undefined)).toBeUndefined();
  });
});
