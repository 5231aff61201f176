import type { Clock } from '@outdial/core/clock';
import type { Header, SipRequest } from './message.ts';
import { header } from './message.ts';
import type { Credentials } from './digest.ts';
import { digestAuthorization, parseChallenge } from './digest.ts';
import { newBranch, newCallId, newTag } from './ids.ts';
import type { Peer } from './transport.ts';
import type { SipUserAgent } from './user-agent.ts';

export interface RegistrationOptions {
  registrarUri: string;
  aor: string;
  nextHop: Peer;
  credentials: Credentials;
  expiresS: number;
  onState(up: boolean, detail: string): void;
}

/** Keeps one binding at a registrar (RFC 3261 §10): REGISTER, answer the digest challenge, refresh at half-life. */
export class Registration {
  private readonly callId: string;
  private readonly tag = newTag();
  private cseq = 0;
  private cancelRefresh: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly ua: SipUserAgent,
    private readonly clock: Clock,
    private readonly opts: RegistrationOptions,
  ) {
    this.callId = newCallId(ua.host);
  }

  start(): void {
    this.send(undefined, this.opts.expiresS);
  }

  stop(): void {
    this.stopped = true;
    this.cancelRefresh?.();
    this.send(undefined, 0);
  }

  private send(auth: Header | undefined, expires: number, attempt = 0): void {
    this.cseq++;
    const o = this.opts;
    const l = this.ua;
    const transport = o.nextHop.transport;
    const hdrs: Header[] = [
      ['Via', `SIP/2.0/${transport.toUpperCase()} ${l.host}:${l.port};branch=${newBranch()};rport`],
      ['Max-Forwards', '70'],
      ['From', `<${o.aor}>;tag=${this.tag}`],
      ['To', `<${o.aor}>`],
      ['Call-ID', this.callId],
      ['CSeq', `${this.cseq} REGISTER`],
      ['Contact', `<sip:${o.credentials.username}@${l.host}:${l.port}${transport === 'tcp' ? ';transport=tcp' : ''}>`],
      ['Expires', String(expires)],
      ['User-Agent', 'outdial'],
    ];
    if (auth) hdrs.push(auth);
    const req: SipRequest = { kind: 'request', method: 'REGISTER', uri: o.registrarUri, headers: hdrs, body: '' };
    this.ua.layer.request(req, o.nextHop, {
      onProvisional: () => undefined,
      onFinal: (res) => {
        if ((res.status === 401 || res.status === 407) && attempt === 0) {
          const value = header(res, res.status === 401 ? 'www-authenticate' : 'proxy-authenticate');
          const challenge = value ? parseChallenge(value) : undefined;
          if (challenge) {
            const name = res.status === 401 ? 'Authorization' : 'Proxy-Authorization';
            this.send([name, digestAuthorization(challenge, o.credentials, 'REGISTER', o.registrarUri)], expires, attempt + 1);
            return;
          }
        }
        if (expires === 0 || this.stopped) return;
        if (res.status >= 200 && res.status < 300) {
          const granted = Number(/expires=(\d+)/i.exec(header(res, 'contact') ?? '')?.[1] ?? header(res, 'expires') ?? expires);
          o.onState(true, `registered for ${granted} s`);
          this.schedule(Math.max(5, granted / 2));
        } else {
          o.onState(false, `REGISTER failed: ${res.status} ${res.reason}`);
          this.schedule(30);
        }
      },
      onTimeout: () => {
        if (!this.stopped && expires > 0) {
          o.onState(false, 'REGISTER timed out');
          this.schedule(30);
        }
      },
      onTransportError: (detail) => {
        if (!this.stopped && expires > 0) {
          o.onState(false, `REGISTER transport error: ${detail}`);
          this.schedule(30);
        }
      },
    });
  }

  private schedule(seconds: number): void {
    this.cancelRefresh?.();
    this.cancelRefresh = this.clock.setTimer(seconds * 1000, () => this.send(undefined, this.opts.expiresS));
  }
}
