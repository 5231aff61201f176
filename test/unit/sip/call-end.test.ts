import { describe, expect, it } from 'vitest';
import { answeredOutcome, callEndOf } from '@outdial/driver-sip/call-end';
import type { CallEndContext } from '@outdial/driver-sip/call-end';

const ringing: CallEndContext = { answered: false, amdRequested: false, verdict: undefined, timedOut: false, hangupRequested: false };

describe('how a call ends', () => {
  it('turns our CANCEL into no-answer at the ring timeout and cancelled on request', () => {
    const end = { status: 487, q850: undefined, by: 'remote' as const, fromFarEnd: true };
    expect(callEndOf({ ...ringing, timedOut: true, hangupRequested: true }, end)).toEqual({ outcome: 'no-answer', by: 'timeout' });
    expect(callEndOf({ ...ringing, hangupRequested: true }, end)).toEqual({ outcome: 'cancelled', by: 'local' });
  });

  it('reports the CANCEL/200 race as an answered call ended by the timeout', () => {
    expect(callEndOf({ ...ringing, answered: true, timedOut: true, hangupRequested: true }, { status: 200, q850: undefined, by: 'local', fromFarEnd: true })).toEqual({ outcome: 'answered-human', by: 'timeout' });
  });

  it('blames the carrier for silence, us for a transport failure, and flags an unanswered BYE', () => {
    expect(callEndOf(ringing, { status: undefined, q850: undefined, by: 'local', failure: 'timeout', fromFarEnd: false })).toEqual({ outcome: 'carrier-error', by: 'local' });
    expect(callEndOf(ringing, { status: undefined, q850: undefined, by: 'local', failure: 'transport', fromFarEnd: false, detail: 'ECONNREFUSED' })).toMatchObject({ outcome: 'local-error', problem: { code: 'SIP_TRANSPORT', detail: 'ECONNREFUSED' } });
    expect(callEndOf({ ...ringing, answered: true }, { status: undefined, q850: undefined, by: 'local', failure: 'timeout', fromFarEnd: false })).toMatchObject({ outcome: 'answered-human', problem: { code: 'SIP_BYE_UNANSWERED' } });
  });

  it('maps refusals through the status and the cause', () => {
    expect(callEndOf(ringing, { status: 500, q850: 17, by: 'remote', fromFarEnd: true })).toEqual({ outcome: 'busy', by: 'remote' });
    expect(callEndOf(ringing, { status: 608, q850: undefined, by: 'remote', fromFarEnd: true })).toEqual({ outcome: 'blocked', by: 'remote' });
  });

  it('takes the AMD verdict for answered calls, and a person when AMD was not asked for', () => {
    expect(answeredOutcome(false, undefined)).toBe('answered-human');
    expect(answeredOutcome(true, 'machine')).toBe('answered-machine');
    expect(answeredOutcome(true, 'fax')).toBe('answered-machine');
    expect(answeredOutcome(true, 'unknown')).toBe('answered-unknown');
    expect(answeredOutcome(true, undefined)).toBe('answered-unknown');
  });
});
