import type { Header, SipRequest, SipResponse } from './message.ts';
import { header, headers, makeResponse, param, parseUri, uriOf } from './message.ts';
import { newBranch, newTag } from './ids.ts';
import { contactFor, refreshAnswer } from './in-dialog.ts';
import type { LocalContact, SessionEnd } from './invite-session.ts';
import type { ServerTransaction, TransactionLayer } from './transactions.ts';
import type { Peer } from './transport.ts';
import { q850FromReason } from '../outcome-mapping.ts';

export interface IncomingSessionEvents {
  /** A re-INVITE or UPDATE carried a new offer: the phone's media address may have moved. */
  onRemoteSdp(sdp: string): void;
  onEnded(end: SessionEnd): void;
}

/**
 * The called side of one dialog (RFC 3261 §12.1.1, §13.3): an agent's phone calling in. We answer at once (the
 * transaction layer resends the 200 until the ACK, RFC 6026); the phone's BYE ends it, and so does our BYE, sent
 * along the INVITE's Record-Route (in order: we are the UAS) to its Contact. A CANCEL before our answer gets 200
 * and the INVITE 487.
 */
export class IncomingSession {
  state: 'offered' | 'confirmed' | 'ending' | 'ended' = 'offered';
  private readonly localTag = newTag();
  private readonly routeSet: string[];
  private remoteTarget: string;
  private cseq = 1;

  constructor(
    private readonly invite: SipRequest,
    private readonly tx: ServerTransaction,
    private readonly local: LocalContact,
    private readonly layer: TransactionLayer,
    private readonly events: IncomingSessionEvents,
    private readonly currentSdp: () => string,
  ) {
    this.routeSet = headers(invite, 'record-route');
    const contact = headers(invite, 'contact')[0];
    this.remoteTarget = contact ? uriOf(contact) : uriOf(header(invite, 'from') ?? '');
  }

  get callId(): string {
    return header(this.invite, 'call-id') ?? '';
  }

  /** The offer in the INVITE (empty when the phone sends it in the ACK: we do not support that). */
  get offer(): string {
    return this.invite.body;
  }

  accept(): void {
    if (this.state !== 'offered') return;
    const res = makeResponse(this.invite, 200, 'OK', this.localTag);
    res.headers.push(['Contact', contactFor(this.local)], ['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO'], ['Content-Type', 'application/sdp']);
    res.body = this.currentSdp();
    this.state = 'confirmed';
    this.tx.respond(res);
  }

  reject(status: number, reason: string): void {
    if (this.state !== 'offered') return;
    this.tx.respond(makeResponse(this.invite, status, reason, this.localTag));
    this.finish({ status, q850: undefined, by: 'local', fromFarEnd: false });
  }

  /** BYE once answered; before that, a 480 to the INVITE. */
  hangup(): void {
    if (this.state === 'offered') return this.reject(480, 'Temporarily Unavailable');
    if (this.state !== 'confirmed') return;
    this.state = 'ending';
    this.cseq++;
    const done = (status: number | undefined, failure?: 'timeout' | 'transport'): void =>
      this.finish({ status, q850: undefined, by: 'local', fromFarEnd: status !== undefined, ...(failure ? { failure, detail: `BYE: ${failure}` } : {}) });
    this.layer.request(this.bye(), this.dialogPeer(), {
      onProvisional: () => undefined,
      onFinal: (res) => done(res.status),
      onTimeout: () => done(undefined, 'timeout'),
      onTransportError: () => done(undefined, 'transport'),
    });
  }

  onRequest(req: SipRequest, tx: ServerTransaction): void {
    switch (req.method) {
      case 'BYE':
        tx.respond(makeResponse(req, 200, 'OK'));
        this.finish({ status: undefined, q850: q850FromReason(header(req, 'reason')), by: 'remote', fromFarEnd: true });
        return;
      case 'CANCEL':
        if (this.state !== 'offered') return tx.respond(makeResponse(req, 481, 'Call/Transaction Does Not Exist'));
        tx.respond(makeResponse(req, 200, 'OK'));
        this.tx.respond(makeResponse(this.invite, 487, 'Request Terminated', this.localTag));
        this.finish({ status: 487, q850: undefined, by: 'remote', fromFarEnd: true });
        return;
      case 'INVITE':
      case 'UPDATE': {
        if (this.state === 'ended') return tx.respond(makeResponse(req, 481, 'Call/Transaction Does Not Exist'));
        if (req.body.trim() !== '') this.events.onRemoteSdp(req.body);
        const contact = headers(req, 'contact')[0];
        if (contact) this.remoteTarget = uriOf(contact);
        tx.respond(refreshAnswer(req, contactFor(this.local), this.currentSdp));
        return;
      }
      case 'OPTIONS':
      case 'INFO':
      case 'NOTIFY':
        return tx.respond(makeResponse(req, 200, 'OK'));
      default:
        tx.respond(makeResponse(req, 405, 'Method Not Allowed'));
    }
  }

  /** Our 200 is resent by the transaction layer until the ACK; nothing else is expected here. */
  onStrayResponse(_res: SipResponse): void {}

  private bye(): SipRequest {
    const via = `SIP/2.0/${this.local.transport.toUpperCase()} ${this.local.host}:${this.local.port};branch=${newBranch()};rport`;
    const hdrs: Header[] = [['Via', via], ['Max-Forwards', '70']];
    for (const route of this.routeSet) hdrs.push(['Route', route]);
    hdrs.push(
      // Our From is the INVITE's To with our tag; our To is the phone's From (RFC 3261 §12.2.1.1).
      ['From', `${header(this.invite, 'to') ?? ''};tag=${this.localTag}`],
      ['To', header(this.invite, 'from') ?? ''],
      ['Call-ID', this.callId],
      ['CSeq', `${this.cseq} BYE`],
      ['Reason', 'Q.850;cause=16;text="Normal call clearing"'],
    );
    const first = this.routeSet[0];
    const strict = first !== undefined && param(uriOf(first), 'lr') === undefined && !/;lr\b/.test(first);
    return { kind: 'request', method: 'BYE', uri: strict ? uriOf(first) : this.remoteTarget, headers: hdrs, body: '' };
  }

  /** First Route, else the phone's Contact; a Contact we cannot parse falls back to where the INVITE came from. */
  private dialogPeer(): Peer {
    const first = this.routeSet[0];
    const uri = parseUri(first ? uriOf(first) : this.remoteTarget);
    if (!uri) return this.tx.peer;
    const transport = (uri.params['transport'] ?? this.tx.peer.transport).toLowerCase() === 'tcp' ? 'tcp' : 'udp';
    return { host: uri.host, port: uri.port ?? 5060, transport };
  }

  private finish(end: SessionEnd): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.events.onEnded(end);
  }
}
