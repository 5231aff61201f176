import type { Clock } from '@outdial/core/clock';
import type { SipRequest } from './message.ts';
import { header, headers, makeResponse, param, parseUri, uriOf } from './message.ts';
import { DigestVerifier } from './digest-server.ts';
import type { ServerTransaction } from './transactions.ts';
import type { Peer } from './transport.ts';

/** Agents' phones that register with Outdial and/or call in (the `agent:EXTENSION` agent-leg target). */
export interface AgentPhonesConfig {
  /** Extension → digest password. Only these may register or call in. */
  extensions: Readonly<Record<string, string>>;
  /** Digest realm (default: our SIP host). */
  realm?: string;
  /** The number agents dial to connect (the Request-URI's user part); any number when unset. */
  callInNumber?: string;
  /** Longest registration granted (default 3600 s). */
  maxExpiresS?: number;
  /** How long a leg waits for its phone to call in (or register) before it is reported down (default 120 s). */
  callInWaitMs?: number;
}

export interface Binding {
  /** Where to send the INVITE: the registered Contact. */
  contact: string;
  /** Where the INVITE goes: the Contact's host and port (RFC 3261 §10; phones behind NAT need an SBC in front). */
  peer: Peer;
  expiresAt: number;
}

/**
 * A small registrar and the gate for calls in: REGISTER and INVITE must carry digest credentials of a known
 * extension (401 challenge first). An INVITE to another number gets 404; one from an unknown extension or with a
 * wrong password gets 403. An accepted INVITE is handed on with its extension.
 */
export class AgentPhones {
  private readonly digest: DigestVerifier;
  private readonly bindings = new Map<string, Binding>();

  constructor(
    private readonly config: AgentPhonesConfig,
    host: string,
    private readonly clock: Clock,
    private readonly onCallIn: (extension: string, invite: SipRequest, tx: ServerTransaction) => void,
    private readonly onRegistered: (extension: string) => void,
  ) {
    this.digest = new DigestVerifier(config.realm ?? host, () => clock.now());
  }

  get callInWaitMs(): number {
    return this.config.callInWaitMs ?? 120_000;
  }

  isExtension(extension: string): boolean {
    return Object.hasOwn(this.config.extensions, extension);
  }

  /** The phone's current registration, if any. */
  binding(extension: string): Binding | undefined {
    const b = this.bindings.get(extension);
    if (b && b.expiresAt <= this.clock.now()) {
      this.bindings.delete(extension);
      return undefined;
    }
    return b;
  }

  /** An out-of-dialog REGISTER or INVITE; returns false for anything else. */
  handle(req: SipRequest, tx: ServerTransaction): boolean {
    if (req.method !== 'REGISTER' && req.method !== 'INVITE') return false;
    if (req.method === 'INVITE') {
      const number = parseUri(req.uri)?.user;
      if (this.config.callInNumber !== undefined && number !== this.config.callInNumber && !this.isExtension(number ?? '')) {
        tx.respond(makeResponse(req, 404, 'Not Found'));
        return true;
      }
    }
    const claimed = parseUri(uriOf(header(req, req.method === 'REGISTER' ? 'to' : 'from') ?? ''))?.user ?? '';
    if (!this.isExtension(claimed)) {
      tx.respond(makeResponse(req, 403, 'Forbidden'));
      return true;
    }
    const check = this.digest.verify(header(req, 'authorization'), req.method, (user) => (this.isExtension(user) ? this.config.extensions[user] : undefined));
    if (!check.ok && (check.stale || header(req, 'authorization') === undefined)) {
      const res = makeResponse(req, 401, 'Unauthorized');
      res.headers.push(['WWW-Authenticate', this.digest.challenge(check.stale)]);
      tx.respond(res);
      return true;
    }
    // The credentials must be the extension's own: one agent cannot register or call in as another.
    if (!check.ok || check.username !== claimed) {
      tx.respond(makeResponse(req, 403, 'Forbidden'));
      return true;
    }
    if (req.method === 'REGISTER') this.register(claimed, req, tx);
    else this.onCallIn(claimed, req, tx);
    return true;
  }

  private register(extension: string, req: SipRequest, tx: ServerTransaction): void {
    const contacts = headers(req, 'contact');
    const headerExpires = header(req, 'expires');
    const res = makeResponse(req, 200, 'OK');
    if (contacts.length === 1 && contacts[0]?.trim() === '*') {
      this.bindings.delete(extension);
      tx.respond(res);
      return;
    }
    const contact = contacts[0];
    if (contact !== undefined) {
      const asked = Number(param(contact, 'expires') ?? headerExpires ?? 3600);
      const expiresS = Math.max(0, Math.min(Number.isFinite(asked) ? asked : 3600, this.config.maxExpiresS ?? 3600));
      if (expiresS === 0) this.bindings.delete(extension);
      else {
        const uri = parseUri(uriOf(contact));
        const transport = (uri?.params['transport'] ?? tx.peer.transport).toLowerCase() === 'tcp' ? 'tcp' : 'udp';
        const peer: Peer = uri ? { host: uri.host, port: uri.port ?? 5060, transport } : tx.peer;
        this.bindings.set(extension, { contact: uriOf(contact), peer, expiresAt: this.clock.now() + expiresS * 1000 });
        res.headers.push(['Contact', `<${uriOf(contact)}>;expires=${expiresS}`]);
      }
    } else {
      const b = this.binding(extension);
      if (b) res.headers.push(['Contact', `<${b.contact}>;expires=${Math.round((b.expiresAt - this.clock.now()) / 1000)}`]);
    }
    tx.respond(res);
    if (this.binding(extension)) this.onRegistered(extension);
  }
}
