import type { Clock } from '@outdial/core/clock';
import type { SipRequest, SipResponse } from './message.ts';
import { header, makeResponse, tagOf } from './message.ts';
import type { ServerTransaction, SipTimers } from './transactions.ts';
import { TransactionLayer } from './transactions.ts';
import type { Peer, TransportName } from './transport.ts';
import { SipTransport } from './transport.ts';

/** Out-of-dialog requests (an agent's phone registering or calling in): returns false to leave the default answer. */
export type OutOfDialogHandler = (req: SipRequest, tx: ServerTransaction) => boolean;

/** A dialog the user agent routes requests and stray responses to, by Call-ID: our calls out and calls in. */
export interface DialogSession {
  readonly callId: string;
  onRequest(req: SipRequest, tx: ServerTransaction): void;
  onStrayResponse(res: SipResponse): void;
}

/**
 * The user agent core: one transport, one transaction layer, and the INVITE sessions it routes to by Call-ID.
 * Out-of-dialog OPTIONS are answered (trunk keep-alives); REGISTER and INVITE go to the out-of-dialog handler
 * when there is one (else an INVITE gets 480); other strays get 481.
 */
export class SipUserAgent {
  readonly transport: SipTransport;
  readonly layer: TransactionLayer;
  private readonly sessions = new Map<string, DialogSession>();
  /** Agents' phones registering and calling in; unset, incoming INVITEs get 480. */
  outOfDialog: OutOfDialogHandler | undefined;

  constructor(
    readonly host: string,
    readonly port: number,
    readonly transports: TransportName[],
    clock: Clock,
    timers: SipTimers,
  ) {
    this.transport = new SipTransport(host, port, transports, {
      onMessage: (msg, from) => this.layer.receive(msg, from),
      onSendError: (to, detail) => this.layer.transportError(to, detail),
    });
    this.layer = new TransactionLayer(this.transport, clock, timers, {
      onRequest: (req, tx) => {
        const session = this.sessions.get(header(req, 'call-id') ?? '');
        if (session) return session.onRequest(req, tx);
        if (req.method === 'OPTIONS') return tx.respond(makeResponse(req, 200, 'OK'));
        // An INVITE with a To-tag is for a dialog we no longer know (RFC 3261 §12.2.2): 481, never a new call.
        if (req.method === 'INVITE' && tagOf(header(req, 'to')) !== undefined) return tx.respond(makeResponse(req, 481, 'Call/Transaction Does Not Exist'));
        if (this.outOfDialog?.(req, tx)) return;
        if (req.method === 'INVITE') return tx.respond(makeResponse(req, 480, 'Temporarily Unavailable', 'outdial'));
        tx.respond(makeResponse(req, 481, 'Call/Transaction Does Not Exist'));
      },
      onStrayResponse: (res) => this.sessions.get(header(res, 'call-id') ?? '')?.onStrayResponse(res),
      onAck: () => undefined,
    });
  }

  open(): Promise<void> {
    return this.transport.open();
  }

  async close(): Promise<void> {
    this.layer.clear();
    await this.transport.close();
  }

  send = (msg: SipRequest | SipResponse, to: Peer): void => {
    this.transport.send(msg, to);
  };

  add(session: DialogSession): void {
    this.sessions.set(session.callId, session);
  }

  /** Keeps the session a little after it ended, to re-ACK late 2xx retransmissions. */
  forget(callId: string): void {
    this.sessions.delete(callId);
  }

  get sessionCount(): number {
    return this.sessions.size;
  }
}
