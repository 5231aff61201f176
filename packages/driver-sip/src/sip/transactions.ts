import type { Clock } from '@outdial/core/clock';
import type { Header, SipRequest, SipResponse, SipMessage } from './message.ts';
import { cseqOf, header, headers, topVia } from './message.ts';
import type { Peer, SipTransport } from './transport.ts';

/** All the transaction layer needs of a transport (tests pass a recorder). */
export type MessageSender = Pick<SipTransport, 'send'>;

/** RFC 3261 timer base values (§17.1.1.1): T1 round-trip estimate, T2 maximum retransmit interval, T4 network lifetime. */
export interface SipTimers {
  t1: number;
  t2: number;
  t4: number;
}

export const DEFAULT_TIMERS: SipTimers = { t1: 500, t2: 4000, t4: 5000 };

export interface ClientTransactionEvents {
  onProvisional(res: SipResponse): void;
  /** Any final response (for an INVITE, 2xx included: the TU ACKs it). */
  onFinal(res: SipResponse): void;
  /** Timer B or F fired with no final response. */
  onTimeout(): void;
  onTransportError(detail: string): void;
}

export interface ServerTransaction {
  readonly request: SipRequest;
  readonly peer: Peer;
  respond(res: SipResponse): void;
}

export interface TransactionUser {
  onRequest(req: SipRequest, tx: ServerTransaction): void;
  /** A response no client transaction claims: for an INVITE, a retransmitted or forked 2xx (re-ACK it). */
  onStrayResponse(res: SipResponse, from: Peer): void;
  /** An ACK for a 2xx we sent (RFC 6026): end-to-end, so it matches no transaction branch. */
  onAck(req: SipRequest): void;
}

interface ClientTx {
  request: SipRequest;
  peer: Peer;
  events: ClientTransactionEvents;
  state: 'calling' | 'proceeding' | 'completed' | 'terminated';
  cancelTimers: Array<() => void>;
  ack?: SipRequest;
}

interface ServerTx {
  request: SipRequest;
  peer: Peer;
  last?: SipResponse;
  cancelTimers: Array<() => void>;
}

/** The RFC 3261 transaction layer (§17): retransmissions on unreliable transports, matching, absorption. */
export class TransactionLayer {
  private readonly clients = new Map<string, ClientTx>();
  private readonly servers = new Map<string, ServerTx>();
  /** INVITE server transactions whose 2xx waits for an ACK, keyed by Call-ID and CSeq number. */
  private readonly accepted = new Map<string, ServerTx>();

  constructor(
    private readonly transport: MessageSender,
    private readonly clock: Clock,
    private readonly timers: SipTimers,
    private readonly tu: TransactionUser,
  ) {}

  get size(): number {
    return this.clients.size + this.servers.size + this.accepted.size;
  }

  /** Starts a client transaction. The request must carry its top Via with a fresh `z9hG4bK` branch. */
  request(req: SipRequest, peer: Peer, events: ClientTransactionEvents): void {
    const key = clientKey(req);
    const tx: ClientTx = { request: req, peer, events, state: 'calling', cancelTimers: [] };
    this.clients.set(key, tx);
    this.transport.send(req, peer);
    const { t1, t2 } = this.timers;
    const reliable = peer.transport !== 'udp';
    if (!reliable) {
      // Timer A (INVITE: doubling) or E (non-INVITE: doubling up to T2).
      const retransmit = (interval: number): void => {
        tx.cancelTimers.push(
          this.clock.setTimer(interval, () => {
            if (tx.state === 'terminated' || tx.state === 'completed') return;
            if (req.method === 'INVITE' && tx.state !== 'calling') return;
            this.transport.send(req, peer);
            const next = req.method === 'INVITE' ? interval * 2 : Math.min(interval * 2, t2);
            retransmit(tx.state === 'proceeding' ? t2 : next);
          }),
        );
      };
      retransmit(t1);
    }
    // Timer B / F: give up after 64·T1 without a final response (for INVITE: without any response).
    tx.cancelTimers.push(
      this.clock.setTimer(64 * t1, () => {
        if (tx.state === 'calling' || (req.method !== 'INVITE' && tx.state === 'proceeding')) {
          this.terminateClient(key, tx);
          events.onTimeout();
        }
      }),
    );
  }

  /** Feeds every message the transport receives. */
  receive(msg: SipMessage, from: Peer): void {
    if (msg.kind === 'response') this.receiveResponse(msg, from);
    else this.receiveRequest(msg, from);
  }

  /** The transport could not reach a peer: fail its pending client transactions. */
  transportError(peer: Peer, detail: string): void {
    for (const [key, tx] of this.clients) {
      if (tx.peer.host === peer.host && tx.peer.port === peer.port && (tx.state === 'calling' || tx.state === 'proceeding')) {
        this.terminateClient(key, tx);
        tx.events.onTransportError(detail);
      }
    }
  }

  /** Drops every transaction and its timers. */
  clear(): void {
    for (const tx of this.clients.values()) for (const c of tx.cancelTimers) c();
    for (const tx of this.servers.values()) for (const c of tx.cancelTimers) c();
    for (const tx of this.accepted.values()) for (const c of tx.cancelTimers) c();
    this.clients.clear();
    this.servers.clear();
    this.accepted.clear();
  }

  private receiveResponse(res: SipResponse, from: Peer): void {
    const via = topVia(res);
    const cseq = cseqOf(res);
    const tx = via?.branch ? this.clients.get(`${via.branch}|${cseq.method}`) : undefined;
    if (!tx) return this.tu.onStrayResponse(res, from);
    const key = `${via?.branch ?? ''}|${cseq.method}`;
    if (res.status < 200) {
      if (tx.state === 'calling' || tx.state === 'proceeding') {
        tx.state = 'proceeding';
        tx.events.onProvisional(res);
      }
      return;
    }
    if (tx.state === 'completed') {
      // A retransmitted final response: our ACK was lost (INVITE) or it is simply late.
      if (tx.ack) this.transport.send(tx.ack, tx.peer);
      return;
    }
    if (tx.state === 'terminated') return;
    const isInvite = tx.request.method === 'INVITE';
    if (isInvite && res.status < 300) {
      // 2xx ends the INVITE client transaction; the TU ACKs it and re-ACKs retransmissions (§13.2.2.4).
      this.terminateClient(key, tx);
      tx.events.onFinal(res);
      return;
    }
    for (const c of tx.cancelTimers) c();
    tx.cancelTimers = [];
    tx.state = 'completed';
    if (isInvite) {
      tx.ack = ackForNon2xx(tx.request, res);
      this.transport.send(tx.ack, tx.peer);
    }
    const linger = tx.peer.transport === 'udp' ? (isInvite ? 32_000 : this.timers.t4) : 0; // Timer D / K
    tx.cancelTimers.push(this.clock.setTimer(linger, () => this.terminateClient(key, tx)));
    tx.events.onFinal(res);
  }

  private receiveRequest(req: SipRequest, from: Peer): void {
    const via = topVia(req);
    const branch = via?.branch ?? `${header(req, 'call-id') ?? ''}-${cseqOf(req).seq}`;
    if (req.method === 'ACK') {
      const inviteTx = this.servers.get(`${branch}|INVITE`);
      if (inviteTx) {
        // ACK for a non-2xx final: absorbed by the transaction (Timer G stops).
        for (const c of inviteTx.cancelTimers) c();
        inviteTx.cancelTimers = [this.clock.setTimer(from.transport === 'udp' ? this.timers.t4 : 0, () => this.servers.delete(`${branch}|INVITE`))];
        return;
      }
      const acceptedKey = `${header(req, 'call-id') ?? ''}|${cseqOf(req).seq}`;
      const acc = this.accepted.get(acceptedKey);
      if (acc) {
        for (const c of acc.cancelTimers) c();
        this.accepted.delete(acceptedKey);
      }
      this.tu.onAck(req);
      return;
    }
    const key = `${branch}|${req.method}`;
    const existing = this.servers.get(key);
    if (existing) {
      if (existing.last) this.transport.send(existing.last, existing.peer);
      return;
    }
    const tx: ServerTx = { request: req, peer: from, cancelTimers: [] };
    this.servers.set(key, tx);
    const respond = (res: SipResponse): void => {
      tx.last = res;
      this.transport.send(res, tx.peer);
      if (res.status < 200) return;
      const udp = tx.peer.transport === 'udp';
      const { t1, t2 } = this.timers;
      if (req.method === 'INVITE') {
        // Timer G: resend the final response until the ACK arrives; Timer H: give up after 64·T1.
        const retransmit = (interval: number): void => {
          tx.cancelTimers.push(
            this.clock.setTimer(interval, () => {
              this.transport.send(res, tx.peer);
              retransmit(Math.min(interval * 2, t2));
            }),
          );
        };
        if (udp || res.status < 300) retransmit(t1);
        tx.cancelTimers.push(
          this.clock.setTimer(64 * t1, () => {
            for (const c of tx.cancelTimers) c();
            this.servers.delete(key);
            this.accepted.delete(`${header(req, 'call-id') ?? ''}|${cseqOf(req).seq}`);
          }),
        );
        if (res.status < 300) this.accepted.set(`${header(req, 'call-id') ?? ''}|${cseqOf(req).seq}`, tx);
      } else {
        // Timer J: absorb retransmitted requests for 64·T1 on UDP.
        tx.cancelTimers.push(this.clock.setTimer(udp ? 64 * t1 : 0, () => this.servers.delete(key)));
      }
    };
    this.tu.onRequest(req, { request: req, peer: from, respond });
  }

  private terminateClient(key: string, tx: ClientTx): void {
    tx.state = 'terminated';
    for (const c of tx.cancelTimers) c();
    tx.cancelTimers = [];
    this.clients.delete(key);
  }
}

function clientKey(req: SipRequest): string {
  return `${topVia(req)?.branch ?? ''}|${req.method}`;
}

/** The ACK for a non-2xx final response (RFC 3261 §17.1.1.3): same branch, To from the response. */
function ackForNon2xx(invite: SipRequest, res: SipResponse): SipRequest {
  const out: Header[] = [];
  const via = headers(invite, 'via')[0];
  if (via) out.push(['Via', via]);
  for (const [name, value] of invite.headers) {
    const lower = name.toLowerCase();
    if (lower === 'from' || lower === 'f' || lower === 'call-id' || lower === 'i' || lower === 'route' || lower === 'max-forwards') out.push([name, value]);
  }
  out.push(['To', header(res, 'to') ?? header(invite, 'to') ?? '']);
  out.push(['CSeq', `${cseqOf(invite).seq} ACK`]);
  return { kind: 'request', method: 'ACK', uri: invite.uri, headers: out, body: '' };
}
