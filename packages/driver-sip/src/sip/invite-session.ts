import type { Clock } from '@outdial/core/clock';
import type { Header, SipRequest, SipResponse } from './message.ts';
import { cseqOf, header, headers, makeResponse, param, parseUri, tagOf, uriOf } from './message.ts';
import type { Credentials } from './digest.ts';
import { digestAuthorization, parseChallenge } from './digest.ts';
import { newBranch, newTag } from './ids.ts';
import type { ServerTransaction, TransactionLayer } from './transactions.ts';
import type { Peer, TransportName } from './transport.ts';
import { q850FromReason } from '../outcome-mapping.ts';
import { contactFor, refreshAnswer } from './in-dialog.ts';

const IGNORE = { onProvisional: () => undefined, onFinal: () => undefined, onTimeout: () => undefined, onTransportError: () => undefined };

export interface LocalContact {
  host: string;
  port: number;
  transport: TransportName;
}

export interface InviteSessionOptions {
  callId: string;
  /** Request-URI of the INVITE. */
  targetUri: string;
  fromUri: string;
  fromDisplay?: string;
  toUri: string;
  /** Where requests go before a dialog exists (outbound proxy or the trunk). */
  nextHop: Peer;
  local: LocalContact;
  sdp: string;
  extraHeaders: Header[];
  credentials?: Credentials;
}

/** How the INVITE ended, before or after an answer. */
export interface SessionEnd {
  /** The final status of the INVITE, or of the BYE exchange; undefined when nothing came back. */
  status: number | undefined;
  q850: number | undefined;
  by: 'remote' | 'local';
  /** Timer B/F fired, or the transport failed: no answer from the network at all. */
  failure?: 'timeout' | 'transport';
  /** The far end sent a final response (it has a To-tag): not a response our own stack made up. */
  fromFarEnd: boolean;
  detail?: string;
}

export interface InviteSessionEvents {
  onProgress(status: number, sdp: string | undefined): void;
  onAnswered(sdp: string | undefined): void;
  /** A re-INVITE or UPDATE carried a new offer: the media address may have moved. */
  onRemoteSdp(sdp: string): void;
  onEnded(end: SessionEnd): void;
}

/**
 * One outgoing INVITE and the dialog it creates (RFC 3261 §12–15): digest retries, CANCEL (deferred until a
 * provisional response, §9.1), ACK and re-ACK of 2xx, Record-Route route sets on ACK/BYE, the CANCEL/200 race
 * (ACK then BYE), and answering the far end's BYE, re-INVITE, UPDATE and OPTIONS inside the dialog.
 */
export class InviteSession {
  state: 'calling' | 'early' | 'confirmed' | 'ending' | 'ended' = 'calling';
  private readonly localTag = newTag();
  private remoteTag: string | undefined;
  private routeSet: string[] = [];
  private remoteTarget: string | undefined;
  private cseq = 1;
  private invite: SipRequest | undefined;
  private ack: SipRequest | undefined;
  private authAttempts = 0;
  private provisionalSeen = false;
  private cancelWanted = false;
  private byeWanted = false;
  private cancelGuard: (() => void) | undefined;
  /** The INVITE's CSeq number (the 2xx ACK and PRACK's RAck name it; PRACK and BYE take later numbers). */
  private inviteSeq = 1;
  private lastAuthorization: Header | undefined;
  /** The trunk asked for reliable provisionals (421 Require: 100rel): our INVITE requires them too. */
  private require100rel = false;
  private lastRseq: number | undefined;

  constructor(
    private readonly opts: InviteSessionOptions,
    private readonly layer: TransactionLayer,
    private readonly send: (msg: SipRequest | SipResponse, to: Peer) => void,
    private readonly clock: Clock,
    private readonly events: InviteSessionEvents,
    /** The SDP to answer a re-INVITE/UPDATE with (same session, new version). */
    private readonly currentSdp: () => string,
  ) {}

  get callId(): string {
    return this.opts.callId;
  }

  start(): void {
    this.sendInvite(undefined);
  }

  /** Ends the call whatever its state: CANCEL before the answer, BYE after. */
  hangup(): void {
    if (this.state === 'calling' || this.state === 'early') {
      this.cancelWanted = true;
      if (this.provisionalSeen) this.sendCancel();
    } else if (this.state === 'confirmed') {
      this.sendBye();
    }
  }

  /** A request inside this dialog (the far end's BYE, re-INVITE, UPDATE, OPTIONS, INFO). */
  onRequest(req: SipRequest, tx: ServerTransaction): void {
    const method = req.method;
    if (method === 'BYE') {
      tx.respond(makeResponse(req, 200, 'OK'));
      if (this.state !== 'ended') this.finish({ status: undefined, q850: q850FromReason(header(req, 'reason')), by: 'remote', fromFarEnd: true });
      return;
    }
    if (method === 'INVITE' || method === 'UPDATE') {
      if (this.state === 'ended') return tx.respond(makeResponse(req, 481, 'Call/Transaction Does Not Exist'));
      // Session refresh or media change (RFC 4028, RFC 3311): answer with our current session.
      if (req.body.trim() !== '') this.events.onRemoteSdp(req.body);
      const contact = headers(req, 'contact')[0];
      if (contact) this.remoteTarget = uriOf(contact);
      const res = refreshAnswer(req, this.contactHeader(), this.currentSdp);
      tx.respond(res);
      return;
    }
    if (method === 'CANCEL') return tx.respond(makeResponse(req, 481, 'Call/Transaction Does Not Exist'));
    if (method === 'OPTIONS' || method === 'INFO' || method === 'NOTIFY') return tx.respond(makeResponse(req, 200, 'OK'));
    tx.respond(makeResponse(req, 405, 'Method Not Allowed'));
  }

  /** A response no transaction claimed: a retransmitted 2xx (re-ACK) or a 2xx from another fork (ACK + BYE). */
  onStrayResponse(res: SipResponse): void {
    if (res.status < 200 || res.status >= 300 || cseqOf(res).method !== 'INVITE') return;
    const tag = tagOf(header(res, 'to'));
    if (this.ack && tag === this.remoteTag) {
      this.send(this.ack, this.dialogPeer());
      return;
    }
    if (tag && tag !== this.remoteTag && this.invite) this.ackAndByeFork(res);
  }

  private sendInvite(authorization: Header | undefined): void {
    const o = this.opts;
    const hdrs: Header[] = [
      ['Via', this.viaValue(newBranch())],
      ['Max-Forwards', '70'],
      ['From', this.fromHeader()],
      ['To', `<${o.toUri}>`],
      ['Call-ID', o.callId],
      ['CSeq', `${this.cseq} INVITE`],
      ['Contact', this.contactHeader()],
      ['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, PRACK'],
      ['User-Agent', 'outdial'],
      ...o.extraHeaders,
    ];
    // Reliable provisionals only when the trunk insists (421): PRACK round trips slow every call set-up.
    if (this.require100rel) hdrs.push(['Supported', '100rel'], ['Require', '100rel']);
    if (authorization) hdrs.push(authorization);
    this.lastAuthorization = authorization;
    this.inviteSeq = this.cseq;
    hdrs.push(['Content-Type', 'application/sdp']);
    const req: SipRequest = { kind: 'request', method: 'INVITE', uri: o.targetUri, headers: hdrs, body: o.sdp };
    this.invite = req;
    this.layer.request(req, o.nextHop, {
      onProvisional: (res) => this.onProvisional(res),
      onFinal: (res) => this.onInviteFinal(res),
      onTimeout: () => this.finish({ status: undefined, q850: undefined, by: 'local', failure: 'timeout', fromFarEnd: false, detail: 'no response to INVITE (Timer B)' }),
      onTransportError: (detail) => this.finish({ status: undefined, q850: undefined, by: 'local', failure: 'transport', fromFarEnd: false, detail }),
    });
  }

  private onProvisional(res: SipResponse): void {
    if (this.state === 'ended') return;
    this.provisionalSeen = true;
    if (this.cancelWanted) {
      this.sendCancel();
      return;
    }
    if (res.status === 100) return;
    if (header(res, 'rseq') !== undefined && /\b100rel\b/i.test(headers(res, 'require').join(','))) this.prack(res);
    this.state = 'early';
    this.events.onProgress(res.status, res.body.trim() !== '' ? res.body : undefined);
  }

  private onInviteFinal(res: SipResponse): void {
    if (this.state === 'ended' || this.state === 'confirmed') return;
    if (res.status < 300) return this.onAccepted(res);
    if (res.status === 421 && !this.require100rel && !this.cancelWanted && /\b100rel\b/i.test(headers(res, 'require').join(','))) {
      // The trunk insists on reliable provisionals (RFC 3262): ask again, requiring them, with the same credentials.
      this.require100rel = true;
      this.cseq++;
      this.sendInvite(this.lastAuthorization);
      return;
    }
    if ((res.status === 401 || res.status === 407) && this.opts.credentials && this.authAttempts < 2 && !this.cancelWanted) {
      const challengeHeader = header(res, res.status === 401 ? 'www-authenticate' : 'proxy-authenticate');
      const challenge = challengeHeader ? parseChallenge(challengeHeader) : undefined;
      // A second challenge is only worth answering when the first nonce went stale; otherwise the password is wrong.
      if (challenge && (this.authAttempts === 0 || challenge.stale)) {
        this.authAttempts++;
        this.cseq++;
        const name = res.status === 401 ? 'Authorization' : 'Proxy-Authorization';
        this.sendInvite([name, digestAuthorization(challenge, this.opts.credentials, 'INVITE', this.opts.targetUri)]);
        return;
      }
    }
    this.finish({
      status: res.status,
      q850: q850FromReason(header(res, 'reason')),
      by: 'remote',
      fromFarEnd: tagOf(header(res, 'to')) !== undefined,
    });
  }

  private onAccepted(res: SipResponse): void {
    this.remoteTag = tagOf(header(res, 'to'));
    this.routeSet = headers(res, 'record-route').reverse();
    const contact = headers(res, 'contact')[0];
    this.remoteTarget = contact ? uriOf(contact) : this.opts.targetUri;
    this.ack = this.buildInDialog('ACK', this.inviteSeq);
    this.state = 'confirmed';
    this.cancelGuard?.();
    this.send(this.ack, this.dialogPeer());
    if (this.cancelWanted || this.byeWanted) {
      // The CANCEL crossed the 200 (RFC 3261 §9.1): the call is up, so ACK it and hang up with BYE.
      this.events.onAnswered(res.body.trim() !== '' ? res.body : undefined);
      this.sendBye();
      return;
    }
    this.events.onAnswered(res.body.trim() !== '' ? res.body : undefined);
  }

  private sendCancel(): void {
    if (!this.invite || this.state === 'ending' || this.state === 'ended' || this.state === 'confirmed') return;
    this.state = 'ending';
    const inv = this.invite;
    const hdrs: Header[] = [];
    for (const [name, value] of inv.headers) {
      const lower = name.toLowerCase();
      if (lower === 'via' || lower === 'v') {
        if (!hdrs.some(([n]) => n === 'Via')) hdrs.push(['Via', value]);
      } else if (['from', 'f', 'to', 't', 'call-id', 'i', 'route', 'max-forwards'].includes(lower)) hdrs.push([name, value]);
    }
    hdrs.push(['CSeq', `${cseqOf(inv).seq} CANCEL`]);
    const cancel: SipRequest = { kind: 'request', method: 'CANCEL', uri: inv.uri, headers: hdrs, body: '' };
    this.layer.request(cancel, this.opts.nextHop, {
      onProvisional: () => undefined,
      onFinal: () => undefined,
      onTimeout: () => undefined,
      onTransportError: () => undefined,
    });
    // If neither 487 nor 200 ever comes, end locally rather than hang forever (§9.1: 64·T1).
    this.cancelGuard = this.clock.setTimer(32_000, () => {
      if (this.state === 'ending') this.finish({ status: undefined, q850: undefined, by: 'local', failure: 'timeout', fromFarEnd: false, detail: 'no final response after CANCEL' });
    });
  }

  private sendBye(): void {
    if (this.state === 'ended') return;
    this.state = 'ending';
    this.byeWanted = true;
    this.cseq++;
    const bye = this.buildInDialog('BYE', this.cseq);
    const done = (status: number | undefined, failure?: 'timeout' | 'transport'): void =>
      this.finish({ status, q850: undefined, by: 'local', fromFarEnd: status !== undefined, ...(failure ? { failure, detail: `BYE: ${failure}` } : {}) });
    this.layer.request(bye, this.dialogPeer(), {
      onProvisional: () => undefined,
      onFinal: (res) => done(res.status),
      onTimeout: () => done(undefined, 'timeout'),
      onTransportError: () => done(undefined, 'transport'),
    });
  }

  private ackAndByeFork(res: SipResponse): void {
    const seq = cseqOf(res).seq;
    const [ack, bye, peer] = this.inDialogOf(res, () => [this.buildInDialog('ACK', seq), this.buildInDialog('BYE', seq + 1), this.dialogPeer()] as const);
    this.send(ack, peer);
    this.layer.request(bye, peer, IGNORE);
  }

  /**
   * PRACK for a reliable provisional (RFC 3262 §4): in the early dialog its To-tag makes, RAck naming its RSeq and
   * our INVITE. A retransmission (an RSeq already acknowledged) needs nothing: our PRACK transaction resends itself.
   */
  private prack(res: SipResponse): void {
    const rseq = Number(header(res, 'rseq'));
    if (!Number.isInteger(rseq) || (this.lastRseq !== undefined && rseq <= this.lastRseq)) return;
    this.lastRseq = rseq;
    this.cseq++;
    const seq = this.cseq;
    const [prack, peer] = this.inDialogOf(res, () => [this.buildInDialog('PRACK', seq), this.dialogPeer()] as const);
    prack.headers.push(['RAck', `${rseq} ${this.inviteSeq} INVITE`]);
    this.layer.request(prack, peer, IGNORE);
  }

  /** Builds requests for the dialog a response (a fork's 2xx, an early 18x) makes, leaving ours as it was. */
  private inDialogOf<T>(res: SipResponse, build: () => T): T {
    const contact = headers(res, 'contact')[0];
    const saved = { remoteTag: this.remoteTag, routeSet: this.routeSet, remoteTarget: this.remoteTarget };
    Object.assign(this, { remoteTag: tagOf(header(res, 'to')), routeSet: headers(res, 'record-route').reverse(), remoteTarget: contact ? uriOf(contact) : this.opts.targetUri });
    try {
      return build();
    } finally {
      Object.assign(this, saved);
    }
  }

  private finish(end: SessionEnd): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.cancelGuard?.();
    this.events.onEnded(end);
  }

  private buildInDialog(method: string, seq: number): SipRequest {
    const o = this.opts;
    const hdrs: Header[] = [['Via', this.viaValue(newBranch())], ['Max-Forwards', '70']];
    for (const route of this.routeSet) hdrs.push(['Route', route]);
    hdrs.push(
      ['From', this.fromHeader()],
      ['To', `<${o.toUri}>${this.remoteTag ? `;tag=${this.remoteTag}` : ''}`],
      ['Call-ID', o.callId],
      ['CSeq', `${seq} ${method}`],
    );
    if (method === 'BYE') hdrs.push(['Reason', 'Q.850;cause=16;text="Normal call clearing"']);
    if (method !== 'ACK') hdrs.push(['Contact', this.contactHeader()]);
    return { kind: 'request', method, uri: this.requestUri(), headers: hdrs, body: '' };
  }

  /** Strict routing is long dead: with a loose-routing first hop the Request-URI is the remote target (§12.2.1.1). */
  private requestUri(): string {
    const first = this.routeSet[0];
    if (first && param(uriOf(first), 'lr') === undefined && !/;lr\b/.test(first)) return uriOf(first);
    return this.remoteTarget ?? this.opts.targetUri;
  }

  /** In-dialog requests go to the first Route, else to the remote target (§12.2.1.1, §8.1.2). */
  private dialogPeer(): Peer {
    const first = this.routeSet[0];
    const uri = parseUri(first ? uriOf(first) : (this.remoteTarget ?? this.opts.targetUri));
    if (!uri) return this.opts.nextHop;
    const transport = (uri.params['transport'] ?? this.opts.nextHop.transport).toLowerCase() === 'tcp' ? 'tcp' : 'udp';
    return { host: uri.host, port: uri.port ?? 5060, transport };
  }

  private fromHeader(): string {
    const o = this.opts;
    return `${o.fromDisplay ? `"${o.fromDisplay}" ` : ''}<${o.fromUri}>;tag=${this.localTag}`;
  }

  private viaValue(branch: string): string {
    const l = this.opts.local;
    return `SIP/2.0/${l.transport.toUpperCase()} ${l.host}:${l.port};branch=${branch};rport`;
  }

  private contactHeader(): string {
    return contactFor(this.opts.local);
  }
}
