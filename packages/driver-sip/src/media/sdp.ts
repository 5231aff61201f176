import type { Codec } from './g711.ts';
import { PAYLOAD_TYPE } from './g711.ts';

/** The SDP this driver offers and understands (RFC 4566, RFC 3264): one audio stream, G.711, RFC 4733 events. */
export interface AudioOffer {
  host: string;
  port: number;
  codecs: Codec[];
  telephoneEventPt: number;
  sessionId: number;
  version: number;
}

export function buildSdp(o: AudioOffer): string {
  const pts = [...o.codecs.map((c) => PAYLOAD_TYPE[c]), o.telephoneEventPt];
  const lines = [
    'v=0',
    `o=outdial ${o.sessionId} ${o.version} IN IP4 ${o.host}`,
    's=outdial',
    `c=IN IP4 ${o.host}`,
    't=0 0',
    `m=audio ${o.port} RTP/AVP ${pts.join(' ')}`,
    ...o.codecs.map((c) => `a=rtpmap:${PAYLOAD_TYPE[c]} ${c}/8000`),
    `a=rtpmap:${o.telephoneEventPt} telephone-event/8000`,
    `a=fmtp:${o.telephoneEventPt} 0-16`,
    'a=ptime:20',
    'a=sendrecv',
  ];
  return `${lines.join('\r\n')}\r\n`;
}

export interface RemoteAudio {
  host: string;
  port: number;
  codec: Codec;
  telephoneEventPt: number | undefined;
}

/** Reads the far end's audio address and the first G.711 codec it accepts; undefined when there is none. */
export function parseSdp(sdp: string, preferred: Codec[]): RemoteAudio | undefined {
  let sessionHost: string | undefined;
  let mediaHost: string | undefined;
  let port: number | undefined;
  let pts: number[] = [];
  let inAudio = false;
  const rtpmap = new Map<number, string>();
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      inAudio = line.startsWith('m=audio');
      if (inAudio && port === undefined) {
        const parts = line.slice(2).split(/\s+/);
        port = Number(parts[1]);
        pts = parts.slice(3).map(Number);
      }
    } else if (line.startsWith('c=')) {
      const host = line.split(/\s+/)[2];
      if (inAudio) mediaHost = host;
      else sessionHost ??= host;
    } else if (inAudio && line.startsWith('a=rtpmap:')) {
      const m = /^a=rtpmap:(\d+)\s+([^/]+)/.exec(line);
      if (m?.[1] && m[2]) rtpmap.set(Number(m[1]), m[2].toLowerCase());
    }
  }
  const host = mediaHost ?? sessionHost;
  if (!host || port === undefined || !Number.isFinite(port)) return undefined;
  const offered = new Set<Codec>();
  for (const pt of pts) {
    const name = rtpmap.get(pt);
    if (pt === 0 || name === 'pcmu') offered.add('PCMU');
    if (pt === 8 || name === 'pcma') offered.add('PCMA');
  }
  // Our preference order among what they accept; the answerer's order wins in an answer (first listed).
  const theirs = pts.flatMap((pt) => (pt === 0 ? ['PCMU' as const] : pt === 8 ? ['PCMA' as const] : []));
  const codec = theirs.find((c) => preferred.includes(c)) ?? [...offered].find((c) => preferred.includes(c));
  if (!codec) return undefined;
  let te: number | undefined;
  for (const [pt, name] of rtpmap) if (name === 'telephone-event') te = pt;
  return { host, port, codec, telephoneEventPt: te };
}
