import dgram from 'node:dgram';
import net from 'node:net';
import type { SipMessage } from './message.ts';
import { parseMessage, serialize } from './message.ts';

export type TransportName = 'udp' | 'tcp';

export interface Peer {
  host: string;
  port: number;
  transport: TransportName;
}

export interface TransportHandlers {
  onMessage(msg: SipMessage, from: Peer): void;
  /** A message could not be sent (connection refused, ICMP unreachable); the key is the peer it was for. */
  onSendError(to: Peer, detail: string): void;
}

/**
 * SIP over UDP and TCP on one local address and port. UDP: one datagram is one message. TCP: messages are framed by
 * Content-Length on a stream; connections are reused per peer, both the ones we open and the ones we accept.
 */
export class SipTransport {
  private udp: dgram.Socket | undefined;
  private tcpServer: net.Server | undefined;
  private readonly connections = new Map<string, net.Socket>();

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly transports: TransportName[],
    private readonly handlers: TransportHandlers,
  ) {}

  async open(): Promise<void> {
    if (this.transports.includes('udp')) {
      const udp = dgram.createSocket({ type: 'udp4', reuseAddr: false });
      udp.on('message', (data, rinfo) => {
        const msg = parseMessage(data.toString('latin1'));
        if (msg) this.handlers.onMessage(msg, { host: rinfo.address, port: rinfo.port, transport: 'udp' });
      });
      udp.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(this.port, this.host, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      this.udp = udp;
    }
    if (this.transports.includes('tcp')) {
      const server = net.createServer((socket) => this.adopt(socket, { host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0, transport: 'tcp' }));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.port, this.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      this.tcpServer = server;
    }
  }

  send(msg: SipMessage, to: Peer): void {
    const data = Buffer.from(serialize(msg), 'latin1');
    if (to.transport === 'udp') {
      if (!this.udp) return this.handlers.onSendError(to, 'udp transport not open');
      this.udp.send(data, to.port, to.host, (error) => {
        if (error) this.handlers.onSendError(to, error.message);
      });
      return;
    }
    const key = `${to.host}:${to.port}`;
    let socket = this.connections.get(key);
    if (!socket || socket.destroyed) {
      socket = net.connect({ host: to.host, port: to.port, localAddress: this.host });
      this.adopt(socket, to);
    }
    socket.write(data);
  }

  async close(): Promise<void> {
    for (const socket of this.connections.values()) socket.destroy();
    this.connections.clear();
    const udp = this.udp;
    this.udp = undefined;
    if (udp) await new Promise<void>((resolve) => udp.close(() => resolve()));
    const server = this.tcpServer;
    this.tcpServer = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private adopt(socket: net.Socket, peer: Peer): void {
    const key = `${peer.host}:${peer.port}`;
    this.connections.set(key, socket);
    let buffer = '';
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        buffer = buffer.replace(/^(\r\n)+/, ''); // CRLF keep-alives (RFC 5626)
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const lengthMatch = /\r\n(?:content-length|l)\s*:\s*(\d+)/i.exec(buffer.slice(0, headEnd + 2));
        const length = lengthMatch?.[1] ? Number(lengthMatch[1]) : 0;
        const total = headEnd + 4 + length;
        if (buffer.length < total) return;
        const msg = parseMessage(buffer.slice(0, total));
        buffer = buffer.slice(total);
        if (msg) this.handlers.onMessage(msg, peer);
      }
    });
    socket.on('error', (error) => this.handlers.onSendError(peer, error.message));
    socket.on('close', () => {
      if (this.connections.get(key) === socket) this.connections.delete(key);
    });
  }
}
