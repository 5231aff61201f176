import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { digestAuthorization, parseChallenge } from '@outdial/driver-sip/sip/digest';
import type { SipResponse } from '@outdial/driver-sip/sip/message';
import { header, parseMessage, serialize } from '@outdial/driver-sip/sip/message';

export interface ProbeRequest {
  method: 'INVITE' | 'REGISTER';
  /** Request-URI. */
  uri: string;
  /** The extension claimed in From (INVITE) or To (REGISTER). */
  user: string;
  /** Answer a 401 with these credentials; without them the 401 is the result. */
  credentials?: { username: string; password: string };
}

/**
 * A one-shot SIP client on its own loopback address for requests Outdial must refuse: sends the request, answers one
 * 401 when it has credentials, and resolves with the final responses in order (the ACKs for INVITE are sent).
 */
export async function probe(local: string, target: { host: string; port: number }, req: ProbeRequest, timeoutMs = 5000): Promise<SipResponse[]> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, local, resolve));
  const port = socket.address().port;
  const callId = `${randomBytes(8).toString('hex')}@${local}`;
  const tag = randomBytes(4).toString('hex');
  const finals: SipResponse[] = [];
  let cseq = 0;
  const send = (auth?: string): string => {
    cseq++;
    const branch = `z9hG4bK${randomBytes(6).toString('hex')}`;
    const aor = `sip:${req.user}@${target.host}`;
    const headers: Array<[string, string]> = [
      ['Via', `SIP/2.0/UDP ${local}:${port};branch=${branch}`],
      ['From', `<${aor}>;tag=${tag}`],
      ['To', req.method === 'REGISTER' ? `<${aor}>` : `<${req.uri}>`],
      ['Call-ID', callId],
      ['CSeq', `${cseq} ${req.method}`],
      ['Contact', `<sip:${req.user}@${local}:${port}>`],
      ['Max-Forwards', '70'],
    ];
    if (auth) headers.push(['Authorization', auth]);
    const sdp = req.method === 'INVITE' ? `v=0\r\no=p 1 1 IN IP4 ${local}\r\ns=-\r\nc=IN IP4 ${local}\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n` : '';
    if (sdp) headers.push(['Content-Type', 'application/sdp']);
    socket.send(serialize({ kind: 'request', method: req.method, uri: req.uri, headers, body: sdp }), target.port, target.host);
    return branch;
  };
  try {
    return await new Promise<SipResponse[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no final response in ${timeoutMs} ms; got ${finals.map((r) => r.status).join(',')}`)), timeoutMs);
      let branch = send();
      socket.on('message', (data) => {
        const res = parseMessage(data.toString());
        if (res?.kind !== 'response' || res.status < 200 || !header(res, 'via')?.includes(branch)) return;
        finals.push(res);
        if (req.method === 'INVITE') {
          const ack = { kind: 'request' as const, method: 'ACK', uri: req.uri, headers: [['Via', header(res, 'via') ?? ''], ['From', header(res, 'from') ?? ''], ['To', header(res, 'to') ?? ''], ['Call-ID', callId], ['CSeq', `${cseq} ACK`]] as Array<[string, string]>, body: '' };
          socket.send(serialize(ack), target.port, target.host);
        }
        const challenge = res.status === 401 ? parseChallenge(header(res, 'www-authenticate') ?? '') : undefined;
        if (challenge && req.credentials && finals.length === 1) {
          branch = send(digestAuthorization(challenge, req.credentials, req.method, req.uri));
          return;
        }
        clearTimeout(timer);
        resolve(finals);
      });
    });
  } finally {
    socket.close();
  }
}
