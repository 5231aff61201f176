import { describe, expect, it } from 'vitest';
import { VirtualClock } from '@outdial/core/virtual-clock';
import type { SipMessage, SipRequest, SipResponse } from '@outdial/driver-sip/sip/message';
import { cseqOf, makeResponse, parseMessage } from '@outdial/driver-sip/sip/message';
import type { ServerTransaction } from '@outdial/driver-sip/sip/transactions';
import { TransactionLayer } from '@outdial/driver-sip/sip/transactions';
import type { Peer } from '@outdial/driver-sip/sip/transport';

const PEER: Peer = { host: '127.0.0.3', port: 5060, transport: 'udp' };

function request(method: string, branch = 'z9hG4bKone', seq = 1): SipRequest {
  const msg = parseMessage(
    `${method} sip:+1555@127.0.0.3 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=${branch}\r\nFrom: <sip:a@x>;tag=f\r\nTo: <sip:b@y>\r\nCall-ID: c1\r\nCSeq: ${seq} ${method}\r\n\r\n`,
  );
  if (msg?.kind !== 'request') throw new Error('bad fixture');
  return msg;
}

function rig(): { clock: VirtualClock; sent: SipMessage[]; layer: TransactionLayer; requests: Array<[SipRequest, ServerTransaction]>; acks: SipRequest[]; strays: SipResponse[] } {
  const clock = new VirtualClock(0);
  const sent: SipMessage[] = [];
  const requests: Array<[SipRequest, ServerTransaction]> = [];
  const acks: SipRequest[] = [];
  const strays: SipResponse[] = [];
  const layer = new TransactionLayer({ send: (msg) => sent.push(structuredClone(msg)) }, clock, { t1: 500, t2: 4000, t4: 5000 }, {
    onRequest: (req, tx) => requests.push([req, tx]),
    onStrayResponse: (res) => strays.push(res),
    onAck: (req) => acks.push(req),
  });
  return { clock, sent, layer, requests, acks, strays };
}

const noop = { onProvisional: () => undefined, onFinal: () => undefined, onTimeout: () => undefined, onTransportError: () => undefined };

describe('client transactions (RFC 3261 §17.1)', () => {
  it('retransmits an INVITE on Timer A (doubling) and gives up on Timer B at 64·T1', () => {
    const { clock, sent, layer } = rig();
    let timedOut = 0;
    layer.request(request('INVITE'), PEER, { ...noop, onTimeout: () => timedOut++ });
    const times: number[] = [];
    for (let t = 0; t <= 40_000; t += 10) {
      const before = sent.length;
      clock.advanceTo(t);
      if (sent.length > before) times.push(t);
    }
    expect(times).toEqual([500, 1500, 3500, 7500, 15500, 31500]);
    expect(timedOut).toBe(1);
    expect(layer.size).toBe(0);
  });

  it('stops retransmitting an INVITE once a provisional response arrives', () => {
    const { clock, sent, layer } = rig();
    const req = request('INVITE');
    layer.request(req, PEER, noop);
    clock.advanceTo(600);
    layer.receive(makeResponse(req, 180, 'Ringing', 'to1'), PEER);
    const count = sent.length;
    clock.advanceTo(60_000);
    expect(sent.length).toBe(count);
  });

  it('ACKs a non-2xx final response itself and re-sends that ACK when the final is retransmitted', () => {
    const { sent, layer } = rig();
    const req = request('INVITE');
    const finals: number[] = [];
    layer.request(req, PEER, { ...noop, onFinal: (res) => finals.push(res.status) });
    const busy = makeResponse(req, 486, 'Busy Here', 'to1');
    layer.receive(busy, PEER);
    layer.receive(busy, PEER);
    const acks = sent.filter((m): m is SipRequest => m.kind === 'request' && m.method === 'ACK');
    expect(acks).toHaveLength(2);
    expect(cseqOf(acks[0] as SipRequest)).toEqual({ seq: 1, method: 'ACK' });
    expect(finals).toEqual([486]);
  });

  it('hands a 2xx to the TU and treats its retransmission as a stray (the TU re-ACKs it)', () => {
    const { layer, strays } = rig();
    const req = request('INVITE');
    const finals: number[] = [];
    layer.request(req, PEER, { ...noop, onFinal: (res) => finals.push(res.status) });
    const ok = makeResponse(req, 200, 'OK', 'to1');
    layer.receive(ok, PEER);
    layer.receive(ok, PEER);
    expect(finals).toEqual([200]);
    expect(strays.map((r) => r.status)).toEqual([200]);
  });

  it('retransmits a non-INVITE on Timer E capped at T2 and times out on Timer F', () => {
    const { clock, sent, layer } = rig();
    let timedOut = 0;
    layer.request(request('BYE'), PEER, { ...noop, onTimeout: () => timedOut++ });
    const times: number[] = [];
    for (let t = 0; t <= 33_000; t += 10) {
      const before = sent.length;
      clock.advanceTo(t);
      if (sent.length > before) times.push(t);
    }
    expect(times.slice(0, 6)).toEqual([500, 1500, 3500, 7500, 11500, 15500]);
    expect(timedOut).toBe(1);
  });

  it('does not retransmit over TCP', () => {
    const { clock, sent, layer } = rig();
    layer.request(request('INVITE'), { ...PEER, transport: 'tcp' }, noop);
    clock.advanceTo(10_000);
    expect(sent).toHaveLength(1);
  });
});

describe('server transactions (RFC 3261 §17.2, RFC 6026)', () => {
  it('answers a retransmitted request with the last response, without bothering the TU', () => {
    const { sent, layer, requests } = rig();
    const bye = request('BYE', 'z9hG4bKbye');
    layer.receive(bye, PEER);
    requests[0]?.[1].respond(makeResponse(bye, 200, 'OK'));
    layer.receive(bye, PEER);
    expect(requests).toHaveLength(1);
    expect(sent.filter((m) => m.kind === 'response')).toHaveLength(2);
  });

  it('retransmits a 2xx to an INVITE on Timer G until the ACK arrives', () => {
    const { clock, sent, layer, requests, acks } = rig();
    const invite = request('INVITE', 'z9hG4bKreinv', 5);
    layer.receive(invite, PEER);
    requests[0]?.[1].respond(makeResponse(invite, 200, 'OK', 'me'));
    clock.advanceTo(1600); // 500, 1500
    expect(sent).toHaveLength(3);
    layer.receive({ ...request('ACK', 'z9hG4bKack', 5) }, PEER);
    clock.advanceTo(40_000);
    expect(sent).toHaveLength(3);
    expect(acks).toHaveLength(1);
  });
});
