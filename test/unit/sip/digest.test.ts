import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestAuthorization, parseChallenge } from '@outdial/driver-sip/sip/digest';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

describe('digest authentication', () => {
  it('parses a challenge and answers without qop as RFC 2617 says', () => {
    const c = parseChallenge('Digest realm="outdial.test", nonce="abc123", algorithm=MD5');
    expect(c).toMatchObject({ realm: 'outdial.test', nonce: 'abc123', qop: undefined, stale: false });
    if (!c) return;
    const header = digestAuthorization(c, { username: 'alice', password: 'secret' }, 'INVITE', 'sip:+1555@h');
    const expected = md5(`${md5('alice:outdial.test:secret')}:abc123:${md5('INVITE:sip:+1555@h')}`);
    expect(header).toContain(`response="${expected}"`);
    expect(header).toContain('username="alice"');
  });

  it('answers qop=auth with nc and cnonce', () => {
    const c = parseChallenge('Digest realm="r", nonce="n", qop="auth,auth-int", opaque="o", stale=TRUE');
    expect(c).toMatchObject({ qop: 'auth', opaque: 'o', stale: true });
    if (!c) return;
    const header = digestAuthorization(c, { username: 'u', password: 'p' }, 'REGISTER', 'sip:r');
    const cnonce = /cnonce="([^"]+)"/.exec(header)?.[1] ?? '';
    const expected = md5(`${md5('u:r:p')}:n:00000001:${cnonce}:auth:${md5('REGISTER:sip:r')}`);
    expect(header).toContain(`response="${expected}"`);
    expect(header).toContain('opaque="o"');
  });

  it('refuses non-digest challenges', () => {
    expect(parseChallenge('Basic realm="x"')).toBeUndefined();
  });
});
