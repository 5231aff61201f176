import type { Clock } from '@outdial/core/clock';
import type { TelephonyDriver } from '@outdial/core/telephony/driver';
import type { FarEndBehaviour } from './far-end.ts';

/**
 * What the conformance suite needs from a test rig. Implementable with a virtual far end (sim) and with real peers
 * (SIP: each behaviour maps to a SIPp scenario listening at the returned number or URI).
 */
export interface ConformanceHarness {
  /** The driver under test, not started yet: the suite starts and stops it. */
  readonly driver: TelephonyDriver;
  /** The clock the driver timestamps with. */
  readonly clock: Clock;
  /** Timing tolerance for "at" checks (ms): 0 in virtual time, a few tens of ms with real peers. */
  readonly toleranceMs: number;
  /** Behaviours this rig can script (default: all). AMD checks also need `driver.caps.amd`. */
  readonly supports?: Partial<Record<FarEndBehaviour['kind'] | 'amd-machine' | 'amd-human', boolean>>;
  /** Prepares the far end: the NEXT call to the returned number behaves so. */
  farEnd(behaviour: FarEndBehaviour): Promise<string>;
  /** Where an agent's audio leg goes (a SIP phone for SIP, `sim:` for sim). */
  agentTarget(agentId: string): string;
  /** Lets `ms` of the driver's time pass (virtual: advance the clock; real: wait). */
  advance(ms: number): Promise<void>;
  /** Lets time pass until `predicate` holds or `timeoutMs` passed; true when it held. */
  until(predicate: () => boolean, timeoutMs: number): Promise<boolean>;
  /** Releases peers and timers. */
  close(): Promise<void>;
}

export type MakeHarness = () => Promise<ConformanceHarness>;
