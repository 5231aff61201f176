import type { WebSocket } from '@fastify/websocket';

/** Open event-stream sockets per session, so signing out closes them. */
const socketsBySession = new Map<string, Set<WebSocket>>();

export function trackSessionSocket(sessionId: string, socket: WebSocket): void {
  const set = socketsBySession.get(sessionId) ?? new Set<WebSocket>();
  set.add(socket);
  socketsBySession.set(sessionId, set);
  socket.on('close', () => {
    set.delete(socket);
    if (set.size === 0) socketsBySession.delete(sessionId);
  });
}

export function closeSessionSockets(sessionId: string): void {
  for (const socket of socketsBySession.get(sessionId) ?? []) socket.close(4401, 'signed out');
}
