import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * The registrar's side of HTTP Digest (RFC 3261 §22.4, RFC 2617 with qop=auth): issue a challenge, check an
 * Authorization header against a known password. Nonces are stateless (an HMAC of their issue time), so a
 * restart or a retransmitted request needs no nonce table, and a nonce older than `maxAgeMs` is `stale`.
 */
export interface DigestCheck {
  ok: boolean;
  /** The username the client claimed (present even when the check failed). */
  username: string | undefined;
  /** The nonce was ours but too old: challenge again with `stale=true` rather than refusing. */
  stale: boolean;
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

function authParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const re = /([a-zA-Z-]+)\s*=\s*("([^"]*)"|[^,\s]+)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    if (m[1]) params.set(m[1].toLowerCase(), m[3] ?? m[2] ?? '');
  }
  return params;
}

export class DigestVerifier {
  private readonly secret = randomBytes(16);

  constructor(
    readonly realm: string,
    private readonly now: () => number,
    private readonly maxAgeMs = 5 * 60_000,
  ) {}

  /** A WWW-Authenticate value with a fresh nonce. */
  challenge(stale = false): string {
    const issued = this.now().toString(36);
    const nonce = `${issued}.${this.sign(issued)}`;
    return `Digest realm="${this.realm}", nonce="${nonce}", qop="auth", algorithm=MD5${stale ? ', stale=true' : ''}`;
  }

  /** Checks an Authorization header for `method`; `passwordOf` returns undefined for unknown users. */
  verify(authorization: string | undefined, method: string, passwordOf: (username: string) => string | undefined): DigestCheck {
    if (!authorization || !/^\s*digest\s/i.test(authorization)) return { ok: false, username: undefined, stale: false };
    const p = authParams(authorization);
    const username = p.get('username');
    const nonce = p.get('nonce') ?? '';
    const [issued = '', mac = ''] = nonce.split('.');
    const password = username === undefined ? undefined : passwordOf(username);
    if (password === undefined || p.get('realm') !== this.realm) return { ok: false, username, stale: false };
    // Not a nonce of ours (we restarted, or it was forged): challenge again rather than refuse.
    if (mac !== this.sign(issued)) return { ok: false, username, stale: true };
    const ha1 = md5(`${username}:${this.realm}:${password}`);
    const ha2 = md5(`${method}:${p.get('uri') ?? ''}`);
    const qop = p.get('qop');
    const expected = qop === 'auth' ? md5(`${ha1}:${nonce}:${p.get('nc') ?? ''}:${p.get('cnonce') ?? ''}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    if (expected !== p.get('response')) return { ok: false, username, stale: false };
    const age = this.now() - Number.parseInt(issued, 36);
    if (!(age >= 0 && age <= this.maxAgeMs)) return { ok: false, username, stale: true };
    return { ok: true, username, stale: false };
  }

  private sign(text: string): string {
    return createHmac('sha256', this.secret).update(`${this.realm}:${text}`).digest('hex').slice(0, 24);
  }
}
