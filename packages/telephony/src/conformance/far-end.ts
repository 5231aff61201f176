/**
 * What the called party does on the next call to a number. The conformance harness scripts the far end with these;
 * the sim driver plays them directly, the SIP driver's harness maps each to a SIPp scenario.
 */
export type FarEndBehaviour =
  | {
      kind: 'answer';
      party: 'human' | 'machine';
      /** Ring time before the 200 OK (ms). */
      afterMs: number;
      /** Greeting length (ms): speech start at answer, speech end after this. Default 1000. */
      greetingMs?: number;
      /** The far end hangs up this long after being bridged to an agent (ms); default never (we hang up). */
      talkMs?: number;
      /** What AMD concludes, when asked (default: the party). */
      amd?: 'human' | 'machine';
      /** When the AMD verdict arrives after the answer (ms). Default 2500. */
      amdAfterMs?: number;
    }
  /** 486 Busy Here. */
  | { kind: 'busy'; afterMs: number }
  /** Rings until the dialer cancels. */
  | { kind: 'no-answer' }
  /** 404 Not Found. */
  | { kind: 'invalid'; afterMs: number }
  /** 503 Service Unavailable (Q.850 34). */
  | { kind: 'congestion'; afterMs: number }
  /** 603 Decline. */
  | { kind: 'decline'; afterMs: number };
