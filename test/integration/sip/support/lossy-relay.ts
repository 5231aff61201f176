import dgram from 'node:dgram';

/**
 * A UDP hop that loses chosen SIP datagrams, standing in for a lossy network (tc netem needs root): it forwards the
 * driver's packets to the far end and the far end's back to the driver, dropping those `drop` picks.
 */
export interface LossyRelay {
  dropped: string[];
  close(): Promise<void>;
}

export async function startLossyRelay(
  listen: { host: string; port: number },
  target: { host: string; port: number },
  drop: (firstLine: string, seen: Map<string, number>) => boolean,
): Promise<LossyRelay> {
  const socket = dgram.createSocket('udp4');
  const seen = new Map<string, number>();
  const dropped: string[] = [];
  let client: { address: string; port: number } | undefined;
  socket.on('message', (data, from) => {
    const firstLine = data.toString('latin1').split('\r\n', 1)[0] ?? '';
    const key = firstLine.startsWith('SIP/2.0') ? firstLine.split(' ').slice(0, 2).join(' ') : (firstLine.split(' ')[0] ?? '');
    seen.set(key, (seen.get(key) ?? 0) + 1);
    const fromTarget = from.address === target.host && from.port === target.port;
    if (!fromTarget) client = { address: from.address, port: from.port };
    if (drop(key, seen)) {
      dropped.push(key);
      return;
    }
    if (fromTarget) {
      if (client) socket.send(data, client.port, client.address);
    } else {
      socket.send(data, target.port, target.host);
    }
  });
  await new Promise<void>((resolve) => socket.bind(listen.port, listen.host, resolve));
  return { dropped, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}
