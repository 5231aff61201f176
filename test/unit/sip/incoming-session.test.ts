import { describe, expect, it } from 'vitest';
import { VirtualClock } from '@outdial/core/virtual-clock';
import { IncomingSession } from '@outdial/driver-sip/sip/incoming-session';
import type { SessionEnd } from '@outdial/driver-sip/sip/invite-session';
import type { SipMessage, SipRequest } from '@outdial/driver-sip/sip/message';
import { header, headers, parseMessage, tagOf } from '@outdial/driver-sip/sip/message';
import type { ServerTransaction } from '@outdial/driver-sip/sip/transactions';
import { TransactionLayer } from '@outdial/driver-sip/sip/transactions';
import type { Peer } from '@outdial/driver-sip/sip/transport';

const PHONE: Peer = { host: '127.0.0.9', port: 5062, transport: 'udp' };
const LOCAL = { host: '127.0.0.1', port: 5060, transport: 'udp' as const };

function message(text: string): SipRequest {
  const msg = parseMessage(text.replace(/\n/g, '\r\n'));
  if (msg?.kind !== 'request') throw new Error('bad fixture');
  return msg;
}

const INVITE = message(`INVITE sip:8000@127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.9:5062;branch=z9hG4bKin1
Record-Route: <sip:10.0.0.2;lr>
From: <sip:1001@127.0.0.1>;tag=phone
To: <sip:8000@127.0.0.1>
Call-ID: in-1
CSeq: 7 INVITE
Contact: <sip:1001@127.0.0.9:5062>
Content-Type: application/sdp

v=0
`);

function inDialog(method: string, seq: number, branch: string, body = ''): SipRequest {
  return message(`${method} sip:outdial@127.0.0.1:5060 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.9:5062;branch=${branch}
From: <sip:1001@127.0.0.1>;tag=phone
To: <sip:8000@127.0.0.1>;tag=ours
Call-ID: in-1
CSeq: ${seq} ${method}

${body}`);
}

function rig(): { clock: VirtualClock; sent: Array<[SipMessage, Peer]>; session: IncomingSession; ends: SessionEnd[]; offers: string[]; layer: TransactionLayer } {
  const clock = new VirtualClock(0);
  const sent: Array<[SipMessage, Peer]> = [];
  const ends: SessionEnd[] = [];
  const offers: string[] = [];
  let session: IncomingSession | undefined;
  const layer = new TransactionLayer({ send: (msg, to) => sent.push([structuredClone(msg), to]) }, clock, { t1: 500, t2: 4000, t4: 5000 }, {
    onRequest: (req: SipRequest, tx: ServerTransaction) => {
      if (req.method === 'INVITE' && !tagOf(header(req, 'to'))) {
        session = new IncomingSession(req, tx, LOCAL, layer, { onRemoteSdp: (sdp) => offers.push(sdp), onEnded: (e) => ends.push(e) }, () => 'v=0 ours\r\n');
      } else session?.onRequest(req, tx);
    },
    onStrayResponse: () => undefined,
    onAck: () => undefined,
  });
  layer.receive(INVITE, PHONE);
  if (!session) throw new Error('no session');
  return { clock, sent, session, ends, offers, layer };
}

describe('IncomingSession (an agent phone calling in)', () => {
  it('answers with our SDP and a To-tag, resends the 200 until the ACK, then ends on the phone BYE', () => {
    const { clock, sent, session, ends, layer } = rig();
    session.accept();
    const ok = sent[0]?.[0];
    expect(ok).toMatchObject({ kind: 'response', status: 200, body: 'v=0 ours\r\n' });
    expect(tagOf(header(ok as SipMessage, 'to'))).toBeDefined();
    clock.advanceBy(1600); // Timer G: 500, 1000 → two more copies
    expect(sent.filter(([m]) => m.kind === 'response' && m.status === 200)).toHaveLength(3);
    const ack = message(`ACK sip:outdial@127.0.0.1:5060 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.9:5062;branch=z9hG4bKack
From: <sip:1001@127.0.0.1>;tag=phone
To: <sip:8000@127.0.0.1>;tag=ours
Call-ID: in-1
CSeq: 7 ACK

`);
    layer.receive(ack, PHONE);
    sent.length = 0;
    clock.advanceBy(10_000);
    expect(sent).toEqual([]); // the ACK stopped the resends
    layer.receive(inDialog('BYE', 8, 'z9hG4bKbye'), PHONE);
    expect(sent.map(([m]) => (m.kind === 'response' ? `${m.status} ${header(m, 'cseq') ?? ''}` : m.method))).toEqual(['200 8 BYE']);
    expect(ends).toEqual([{ status: undefined, q850: undefined, by: 'remote', fromFarEnd: true }]);
  });

  it('answers a re-INVITE with our session and passes the new offer on', () => {
    const { session, offers } = rig();
    session.accept();
    const reinvite = inDialog('INVITE', 8, 'z9hG4bKre', 'v=0 moved\n');
    let body = '';
    session.onRequest(reinvite, { request: reinvite, peer: PHONE, respond: (res) => { body = res.body; } });
    expect(offers).toEqual(['v=0 moved\r\n']);
    expect(body).toBe('v=0 ours\r\n');
  });

  it('hangs up with a BYE along the Record-Route, From our side with our tag, To the phone', () => {
    const { sent, session, ends } = rig();
    session.accept();
    sent.length = 0;
    session.hangup();
    const [bye, to] = sent[0] ?? [];
    expect(bye).toMatchObject({ kind: 'request', method: 'BYE', uri: 'sip:1001@127.0.0.9:5062' });
    expect(to).toMatchObject({ host: '10.0.0.2', port: 5060 });
    expect(headers(bye as SipMessage, 'route')).toEqual(['<sip:10.0.0.2;lr>']);
    expect(tagOf(header(bye as SipMessage, 'to'))).toBe('phone');
    expect(header(bye as SipMessage, 'from')).toMatch(/^<sip:8000@127\.0\.0\.1>;tag=\w+/);
    expect(ends).toEqual([]);
  });

  it('a CANCEL before the answer gets 200 and the INVITE 487; the session ends', () => {
    const { sent, session, ends } = rig();
    const cancel = message(`CANCEL sip:8000@127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.9:5062;branch=z9hG4bKin1
From: <sip:1001@127.0.0.1>;tag=phone
To: <sip:8000@127.0.0.1>
Call-ID: in-1
CSeq: 7 CANCEL

`);
    const answers: number[] = [];
    session.onRequest(cancel, { request: cancel, peer: PHONE, respond: (res) => answers.push(res.status) });
    expect(answers).toEqual([200]);
    expect(sent.map(([m]) => (m.kind === 'response' ? m.status : 0))).toEqual([487]);
    expect(ends).toMatchObject([{ status: 487, by: 'remote' }]);
  });
});
