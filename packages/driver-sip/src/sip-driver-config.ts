import type { Clock } from '@outdial/core/clock';
import type { AmdOverrides } from './amd/amd-config.ts';
import type { Codec } from './media/g711.ts';
import type { AgentPhonesConfig } from './sip/agent-phones.ts';
import type { SipTimers } from './sip/transactions.ts';
import type { TransportName } from './sip/transport.ts';

export interface SipTrunkConfig {
  /** The trunk or carrier edge: `sip:host[:port][;transport=tcp]`. Numbers are dialled as `sip:NUMBER@host:port`. */
  uri: string;
  /** Send every out-of-dialog request here instead (a local kamailio, an SBC). Same URI form. */
  outboundProxy?: string;
  /** Digest credentials for 401/407 challenges; without them the trunk must authenticate us by IP. */
  username?: string;
  password?: string;
  /** Host part of From and P-Asserted-Identity (default: the trunk's host). */
  fromDomain?: string;
  /** Register as `username` at the trunk, refreshing before `expiresS` runs out. */
  register?: { expiresS: number };
}

export interface SipDriverConfig {
  /** Defaults to the wall clock. */
  clock?: Clock;
  /** Our SIP address: every test peer has its own 127.0.0.x, so does the driver. */
  sip: { host: string; port: number; transports?: TransportName[] };
  trunk: SipTrunkConfig;
  /** Agents' phones that register with us and/or call in: agent legs with the target `agent:EXTENSION`. */
  agentPhones?: AgentPhonesConfig;
  media: { host: string; portMin: number; portMax: number; codecs?: Codec[] };
  amd?: AmdOverrides;
  /** Where `record: true` calls are written as `<callId>.wav` (stereo: left the called party, right us). */
  recordingDir?: string;
  /** Record every answered call whose originate request does not say (`record` unset), e.g. a site-wide policy. */
  recordCalls?: boolean;
  /** promptId → WAV file (8 kHz preferred; 16-bit PCM, µ-law or A-law). */
  prompts?: Readonly<Record<string, string>>;
  timers?: Partial<SipTimers>;
  /** An answered call whose first verdict-free audio never comes is still decided after this (default 5 s). */
  bridgeFallbackMs?: number;
}
