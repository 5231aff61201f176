import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startProcess } from './peers.ts';
import type { Peer } from './peers.ts';

export interface BaresipPhone {
  /** Its own loopback address (SIP on port 5060 there). */
  host: string;
  /** The account: registers as `extension` at `registrar` (HOST:PORT) with `password`, answers every call at once. */
  extension: string;
  password: string;
  registrar: string;
  /** What the phone "says": a 16-bit PCM 8 kHz mono WAV (baresip hangs up when it ends: make it long enough). */
  voiceWav: string;
  /** RTP ports (a range of its own). */
  rtpPorts: [number, number];
  dir: string;
  killAfterMs: number;
}

/**
 * baresip as an agent's desk phone, headless: its own config directory, no sound card (the voice comes from a
 * file, what it hears goes nowhere), `poll` instead of `epoll` (stdin is not a terminal), auto-answer.
 */
export async function startBaresip(o: BaresipPhone): Promise<Peer> {
  const home = path.join(o.dir, `baresip-${o.host}`);
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(home, 'config'), [
    'poll_method poll',
    `sip_listen ${o.host}:5060`,
    `audio_source aufile,${o.voiceWav}`,
    'audio_player aubridge,nowhere',
    'audio_alert aubridge,nowhere',
    'ausrc_srate 8000',
    'ausrc_channels 1',
    'auplay_srate 8000',
    'auplay_channels 1',
    `rtp_ports ${o.rtpPorts[0]}-${o.rtpPorts[1]}`,
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module aufile.so',
    'module aubridge.so',
    'module_app account.so',
    'module_app menu.so',
    '',
  ].join('\n'));
  writeFileSync(path.join(home, 'accounts'), `<sip:${o.extension}@${o.registrar}>;auth_pass=${o.password};regint=60;answermode=auto;audio_codecs=PCMU\n`);
  writeFileSync(path.join(home, 'contacts'), '');
  return startProcess('baresip', ['-f', home, '-t', String(Math.ceil(o.killAfterMs / 1000))], o.dir, o.host, 5060, o.killAfterMs + 5000);
}
