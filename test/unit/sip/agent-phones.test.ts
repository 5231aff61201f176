import { describe, expect, it } from 'vitest';
import { VirtualClock } from '@outdial/core/virtual-clock';
import { AgentPhones } from '@outdial/driver-sip/sip/agent-phones';
import { digestAuthorization, parseChallenge } from '@outdial/driver-sip/sip/digest';
import { DigestVerifier } from '@outdial/driver-sip/sip/digest-server';
import type { SipRequest, SipResponse } from '@outdial/driver-sip/sip/message';
import { header, parseMessage } from '@outdial/driver-sip/sip/message';
import type { ServerTransaction } from '@outdial/driver-sip/sip/transactions';

const PHONE = { host: '127.0.0.9', port: 5062, transport: 'udp' as const };

function request(method: string, uri: string, user: string, extra = ''): SipRequest {
  const to = method === 'REGISTER' ? `<sip:${user}@10.0.0.1>` : `<${uri}>`;
  const msg = parseMessage(
    `${method} ${uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.9:5062;branch=z9hG4bK1\r\nFrom: <sip:${user}@10.0.0.1>;tag=p\r\nTo: ${to}\r\n` +
      `Call-ID: c1\r\nCSeq: 1 ${method}\r\nContact: <sip:${user}@127.0.0.9:5062>${extra}\r\n\r\n`,
  );
  if (msg?.kind !== 'request') throw new Error('bad fixture');
  return msg;
}

/** Sends `req`, answers a 401 once with `password`, and returns the statuses it got. */
function exchange(phones: AgentPhones, req: SipRequest, username: string, password: string): SipResponse[] {
  const got: SipResponse[] = [];
  const tx = (r: SipRequest): ServerTransaction => ({ request: r, peer: PHONE, respond: (res) => got.push(res) });
  phones.handle(req, tx(req));
  const challenge = got[0]?.status === 401 ? parseChallenge(header(got[0], 'www-authenticate') ?? '') : undefined;
  if (challenge) {
    const again: SipRequest = { ...req, headers: [...req.headers, ['Authorization', digestAuthorization(challenge, { username, password }, req.method, req.uri)]] };
    phones.handle(again, tx(again));
  }
  return got;
}

function rig(callInNumber?: string): { clock: VirtualClock; phones: AgentPhones; callIns: string[]; registered: string[] } {
  const clock = new VirtualClock(1_000_000);
  const callIns: string[] = [];
  const registered: string[] = [];
  const phones = new AgentPhones(
    { extensions: { '1001': 'secret' }, ...(callInNumber ? { callInNumber } : {}), maxExpiresS: 600 },
    '10.0.0.1',
    clock,
    (ext) => callIns.push(ext),
    (ext) => registered.push(ext),
  );
  return { clock, phones, callIns, registered };
}

describe('agent phones: registrar and call-in gate', () => {
  it('registers a known extension after a digest challenge, caps the expiry, and forgets it when it expires', () => {
    const { clock, phones, registered } = rig();
    const got = exchange(phones, request('REGISTER', 'sip:10.0.0.1', '1001', ';expires=3600'), '1001', 'secret');
    expect(got.map((r) => r.status)).toEqual([401, 200]);
    expect(header(got[1] as SipResponse, 'contact')).toBe('<sip:1001@127.0.0.9:5062>;expires=600');
    expect(registered).toEqual(['1001']);
    expect(phones.binding('1001')).toMatchObject({ contact: 'sip:1001@127.0.0.9:5062', peer: { host: '127.0.0.9', port: 5062 } });
    clock.advanceBy(600_001);
    expect(phones.binding('1001')).toBeUndefined();
  });

  it('refuses a wrong password, another extension\'s credentials and unknown extensions with 403', () => {
    const { phones, registered, callIns } = rig();
    expect(exchange(phones, request('REGISTER', 'sip:10.0.0.1', '1001'), '1001', 'wrong').map((r) => r.status)).toEqual([401, 403]);
    expect(exchange(phones, request('INVITE', 'sip:8000@10.0.0.1', '9999'), '9999', 'secret').map((r) => r.status)).toEqual([403]);
    expect(registered).toEqual([]);
    expect(callIns).toEqual([]);
  });

  it('hands on an authenticated call in to the configured number; another number is 404', () => {
    const { phones, callIns } = rig('8000');
    expect(exchange(phones, request('INVITE', 'sip:7000@10.0.0.1', '1001'), '1001', 'secret').map((r) => r.status)).toEqual([404]);
    expect(exchange(phones, request('INVITE', 'sip:8000@10.0.0.1', '1001'), '1001', 'secret').map((r) => r.status)).toEqual([401]);
    expect(callIns).toEqual(['1001']);
  });

  it('a REGISTER with expires 0 removes the binding', () => {
    const { phones } = rig();
    exchange(phones, request('REGISTER', 'sip:10.0.0.1', '1001'), '1001', 'secret');
    expect(phones.binding('1001')).toBeDefined();
    exchange(phones, request('REGISTER', 'sip:10.0.0.1', '1001', ';expires=0'), '1001', 'secret');
    expect(phones.binding('1001')).toBeUndefined();
  });
});

describe('digest verifier (registrar side)', () => {
  it('accepts its own fresh nonce, calls an old or foreign nonce stale, and rejects a wrong response', () => {
    let now = 0;
    const verifier = new DigestVerifier('outdial', () => now, 60_000);
    const challenge = parseChallenge(verifier.challenge());
    if (!challenge) throw new Error('no challenge');
    const auth = digestAuthorization(challenge, { username: 'u', password: 'p' }, 'REGISTER', 'sip:x');
    expect(verifier.verify(auth, 'REGISTER', () => 'p')).toMatchObject({ ok: true, username: 'u' });
    expect(verifier.verify(auth, 'INVITE', () => 'p')).toMatchObject({ ok: false, stale: false });
    expect(verifier.verify(auth, 'REGISTER', () => 'other')).toMatchObject({ ok: false, stale: false });
    expect(verifier.verify(auth.replace(/nonce="[^"]*"/, 'nonce="abc.def"'), 'REGISTER', () => 'p')).toMatchObject({ ok: false, stale: true });
    now = 60_001;
    expect(verifier.verify(auth, 'REGISTER', () => 'p')).toMatchObject({ ok: false, stale: true });
  });
});
