import { createHash, randomBytes } from 'node:crypto';

/** HTTP Digest for SIP (RFC 3261 §22.4, RFC 2617): answers a 401 WWW-Authenticate or 407 Proxy-Authenticate. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque: string | undefined;
  algorithm: string;
  qop: string | undefined;
  stale: boolean;
}

export function parseChallenge(value: string): DigestChallenge | undefined {
  if (!/^\s*digest\s/i.test(value)) return undefined;
  const params = new Map<string, string>();
  const re = /([a-zA-Z-]+)\s*=\s*("([^"]*)"|[^,\s]+)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    if (m[1]) params.set(m[1].toLowerCase(), m[3] ?? m[2] ?? '');
  }
  const nonce = params.get('nonce');
  if (nonce === undefined) return undefined;
  const qop = params.get('qop');
  return {
    realm: params.get('realm') ?? '',
    nonce,
    opaque: params.get('opaque'),
    algorithm: params.get('algorithm') ?? 'MD5',
    // We support qop=auth only; a list such as "auth,auth-int" offers it.
    qop: qop?.split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined,
    stale: (params.get('stale') ?? '').toLowerCase() === 'true',
  };
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

export interface Credentials {
  username: string;
  password: string;
}

/** The Authorization / Proxy-Authorization header value for one request. */
export function digestAuthorization(challenge: DigestChallenge, creds: Credentials, method: string, uri: string, nc = 1): string {
  const ha1 = md5(`${creds.username}:${challenge.realm}:${creds.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const parts = [`username="${creds.username}"`, `realm="${challenge.realm}"`, `nonce="${challenge.nonce}"`, `uri="${uri}"`];
  if (challenge.qop) {
    const cnonce = randomBytes(8).toString('hex');
    const ncHex = nc.toString(16).padStart(8, '0');
    parts.push(`response="${md5(`${ha1}:${challenge.nonce}:${ncHex}:${cnonce}:auth:${ha2}`)}"`, 'qop=auth', `nc=${ncHex}`, `cnonce="${cnonce}"`);
  } else {
    parts.push(`response="${md5(`${ha1}:${challenge.nonce}:${ha2}`)}"`);
  }
  parts.push('algorithm=MD5');
  if (challenge.opaque !== undefined) parts.push(`opaque="${challenge.opaque}"`);
  return `Digest ${parts.join(', ')}`;
}
