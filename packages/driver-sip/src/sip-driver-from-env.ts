import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '@outdial/core/clock';
import { parseUri } from './sip/message.ts';
import type { SipDriverConfig } from './sip-driver-config.ts';

/**
 * The driver's configuration from the environment, for `outdial start --telephony sip`:
 *   OUTDIAL_SIP_TRUNK      sip:trunk.example.net:5060[;transport=tcp]        (required)
 *   OUTDIAL_SIP_LOCAL      our SIP address HOST[:PORT]                         (required; default port 5060)
 *   OUTDIAL_SIP_PROXY      an outbound proxy URI                               (optional)
 *   OUTDIAL_SIP_USER / OUTDIAL_SIP_PASSWORD   digest credentials             (optional)
 *   OUTDIAL_SIP_REGISTER   seconds: register at the trunk with this expiry   (optional)
 *   OUTDIAL_SIP_MEDIA      HOST:MIN-MAX RTP ports                              (default: local host, 20000-29999)
 *   OUTDIAL_RECORDINGS_DIR where recordings go                                 (optional)
 *   OUTDIAL_PROMPTS_DIR    every NAME.wav in it is prompt NAME                 (optional)
 * Returns the problems found rather than throwing, so the caller can print them all.
 */
export function sipDriverConfigFromEnv(env: Readonly<Record<string, string | undefined>>, clock?: Clock): { config: SipDriverConfig } | { errors: string[] } {
  const errors: string[] = [];
  const trunk = env['OUTDIAL_SIP_TRUNK'] ?? '';
  if (!parseUri(trunk)) errors.push(`OUTDIAL_SIP_TRUNK: expected a SIP URI such as sip:trunk.example.net:5060, got "${trunk}"`);
  const local = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(env['OUTDIAL_SIP_LOCAL'] ?? '');
  if (!local?.[1]) errors.push('OUTDIAL_SIP_LOCAL: expected HOST or HOST:PORT (the address the trunk reaches us at)');
  const host = local?.[1] ?? '';
  const media = /^([^:\s]+):(\d{1,5})-(\d{1,5})$/.exec(env['OUTDIAL_SIP_MEDIA'] ?? `${host}:20000-29999`);
  if (!media?.[1] || Number(media[2]) >= Number(media[3])) errors.push('OUTDIAL_SIP_MEDIA: expected HOST:MIN-MAX, e.g. 10.0.0.5:20000-29999');
  const proxy = env['OUTDIAL_SIP_PROXY'];
  if (proxy !== undefined && !parseUri(proxy)) errors.push(`OUTDIAL_SIP_PROXY: expected a SIP URI, got "${proxy}"`);
  const register = env['OUTDIAL_SIP_REGISTER'];
  if (register !== undefined && !(Number(register) >= 60)) errors.push('OUTDIAL_SIP_REGISTER: expected an expiry in seconds (at least 60)');
  const prompts: Record<string, string> = {};
  const promptDir = env['OUTDIAL_PROMPTS_DIR'];
  if (promptDir) {
    try {
      for (const file of readdirSync(promptDir)) if (file.endsWith('.wav')) prompts[file.slice(0, -4)] = path.join(promptDir, file);
    } catch (error) {
      errors.push(`OUTDIAL_PROMPTS_DIR: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (errors.length > 0) return { errors };
  const user = env['OUTDIAL_SIP_USER'];
  return {
    config: {
      ...(clock ? { clock } : {}),
      sip: { host, port: Number(local?.[2] ?? 5060), transports: parseUri(trunk)?.params['transport'] === 'tcp' ? ['tcp'] : ['udp'] },
      trunk: {
        uri: trunk,
        ...(proxy ? { outboundProxy: proxy } : {}),
        ...(user ? { username: user, password: env['OUTDIAL_SIP_PASSWORD'] ?? '' } : {}),
        ...(register && user ? { register: { expiresS: Number(register) } } : {}),
      },
      media: { host: media?.[1] ?? host, portMin: Number(media?.[2]), portMax: Number(media?.[3]) },
      ...(env['OUTDIAL_RECORDINGS_DIR'] ? { recordingDir: env['OUTDIAL_RECORDINGS_DIR'] } : {}),
      prompts,
    },
  };
}
