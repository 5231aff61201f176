import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '@outdial/core/clock';
import { SipDriver } from '@outdial/driver-sip/sip-driver';
import { ConfigError } from '../config.ts';
import type { ServerConfig } from '../config.ts';
import type { Telephony } from './telephony.ts';

/** The abandon message shipped with Outdial (8 kHz µ-law WAV); campaigns may name their own prompts. */
export const DEFAULT_PROMPTS: Readonly<Record<string, string>> = {
  'abandon-default': fileURLToPath(new URL('../../prompts/abandon-default.wav', import.meta.url)),
};

/** Real telephony: the native SIP user agent towards the configured trunk, agents on nailed-up legs to their phones. */
export function createSipTelephony(config: ServerConfig, clock: Clock, usernameOf: (userId: string) => string): Telephony {
  const sip = config.sip;
  if (sip.trunk === '') throw new ConfigError('--telephony sip needs a trunk: set sip.trunk (outdial start --sip-trunk sip:HOST[:PORT])');
  if (sip.mediaPortMax <= sip.mediaPortMin) throw new ConfigError('sip.mediaPortMax must be above sip.mediaPortMin');
  if (sip.agentUri.startsWith('agent:') && Object.keys(sip.agentExtensions).length === 0) {
    throw new ConfigError('sip.agentUri agent:{username} needs sip.agentExtensions (each agent phone\'s extension and password)');
  }
  const driver = new SipDriver({
    clock,
    sip: { host: sip.host, port: sip.port },
    trunk: {
      uri: sip.trunk,
      ...(sip.outboundProxy ? { outboundProxy: sip.outboundProxy } : {}),
      ...(sip.username ? { username: sip.username, password: sip.password } : {}),
      ...(sip.registerExpiresS > 0 ? { register: { expiresS: sip.registerExpiresS } } : {}),
    },
    media: { host: sip.mediaHost, portMin: sip.mediaPortMin, portMax: sip.mediaPortMax },
    ...(Object.keys(sip.agentExtensions).length > 0
      ? { agentPhones: { extensions: sip.agentExtensions, ...(sip.agentCallInNumber ? { callInNumber: sip.agentCallInNumber } : {}) } }
      : {}),
    recordingDir: sip.recordingDir || join(config.dataDir || './data', 'recordings'),
    recordCalls: sip.recordCalls,
    prompts: DEFAULT_PROMPTS,
  });
  return { clock, driver, scenario: null, agentLegTarget: (userId) => sip.agentUri.replace('{username}', usernameOf(userId)) };
}
