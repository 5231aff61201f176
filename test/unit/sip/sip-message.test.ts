import { describe, expect, it } from 'vitest';
import { cseqOf, header, headers, makeResponse, param, parseMessage, parseUri, parseVia, serialize, tagOf, uriOf } from '@outdial/driver-sip/sip/message';

const INVITE = [
  'INVITE sip:+15551234567@carrier.example:5070 SIP/2.0',
  'v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKabc;rport, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKdef',
  'From: "Outdial" <sip:+15550001111@carrier.example>;tag=1234',
  't: <sip:+15551234567@carrier.example>',
  'Call-ID: abc@10.0.0.1',
  'CSeq: 7 INVITE',
  'Record-Route: <sip:10.0.0.9;lr>, <sip:10.0.0.8;lr>',
  'Subject: folded',
  '  header',
  'Content-Length: 4',
  '',
  'v=0\r\nextra',
].join('\r\n');

describe('SIP messages', () => {
  it('parses compact forms, folded lines, multi-value headers and the body by Content-Length', () => {
    const msg = parseMessage(INVITE);
    expect(msg?.kind).toBe('request');
    if (msg?.kind !== 'request') return;
    expect(msg.method).toBe('INVITE');
    expect(headers(msg, 'via')).toHaveLength(2);
    expect(headers(msg, 'record-route')).toEqual(['<sip:10.0.0.9;lr>', '<sip:10.0.0.8;lr>']);
    expect(header(msg, 'to')).toBe('<sip:+15551234567@carrier.example>');
    expect(header(msg, 'subject')).toBe('folded header');
    expect(msg.body).toBe('v=0\r');
    expect(cseqOf(msg)).toEqual({ seq: 7, method: 'INVITE' });
    expect(tagOf(header(msg, 'from'))).toBe('1234');
  });

  it('parses a response and serialises with a correct Content-Length', () => {
    const res = parseMessage('SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nReason: Q.850;cause=17\r\n\r\n');
    expect(res).toMatchObject({ kind: 'response', status: 486, reason: 'Busy Here' });
    if (!res) return;
    res.body = 'héllo';
    expect(serialize(res)).toContain('Content-Length: 6\r\n\r\nhéllo');
  });

  it('reads Via, URIs and parameters', () => {
    expect(parseVia('SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bKx;rport')).toMatchObject({ transport: 'TCP', host: '127.0.0.1', port: 5070, branch: 'z9hG4bKx' });
    expect(parseUri('sip:+1555@127.0.0.3:5070;transport=tcp')).toMatchObject({ user: '+1555', host: '127.0.0.3', port: 5070, params: { transport: 'tcp' } });
    expect(uriOf('"Bob" <sip:bob@host;lr>;tag=9')).toBe('sip:bob@host;lr');
    expect(param('<sip:a@b;x=1>;tag=abc;expires=60', 'expires')).toBe('60');
    expect(param('<sip:a@b;x=1>', 'x')).toBeUndefined();
    expect(parseMessage('garbage')).toBeUndefined();
  });

  it('builds responses that copy Via, From, To (with our tag), Call-ID and CSeq', () => {
    const req = parseMessage(INVITE);
    if (req?.kind !== 'request') throw new Error('not a request');
    const res = makeResponse(req, 200, 'OK', 'mytag');
    expect(headers(res, 'via')).toHaveLength(2);
    expect(tagOf(header(res, 'to'))).toBe('mytag');
    expect(header(res, 'record-route')).toBeUndefined();
  });
});
