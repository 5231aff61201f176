import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from '@fastify/websocket';
import type { RouteDeps, SessionUser } from '../deps.ts';
import type { StreamEvent } from '../events/event-bus.ts';
import { OutdialError } from '../errors.ts';

const BACKLOG_LIMIT = 5000;

/** Agents see their own agent and call events and their campaigns' counters; supervisors and admins see all. */
function visibleTo(user: SessionUser, event: StreamEvent): boolean {
  if (user.role !== 'agent') return true;
  const agentId = event.payload['agentId'];
  if (agentId !== undefined) return agentId === user.id;
  return event.type === 'campaign.stats' || event.type === 'campaign.updated';
}

/**
 * The event stream: ordered, numbered, resumable. A client passes the last `seq` it saw; the server replays what it
 * missed from the store, then streams live events. Live events that arrive during the replay are buffered and sent
 * after it, each exactly once.
 */
const eventRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.get<{ Querystring: { since?: number } }>('/api/v1/events', {
    websocket: true,
    schema: {
      tags: ['events'],
      summary: 'Live event stream (WebSocket): {seq, at, type, campaignId, payload} messages',
      querystring: Type.Object({ since: Type.Optional(Type.Integer({ minimum: 0 })) }),
    },
  }, (socket: WebSocket, request) => {
    const user = request.user;
    if (!user) {
      socket.close(4401, new OutdialError('OUTDIAL_ERR_AUTH_REQUIRED').message);
      return;
    }
    let lastSent = request.query.since ?? -1;
    let replaying = request.query.since !== undefined;
    const buffered: StreamEvent[] = [];

    const send = (event: StreamEvent): void => {
      if (event.seq <= lastSent) return;
      lastSent = event.seq;
      if (visibleTo(user, event) && socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
    };
    const unsubscribe = deps.events.subscribe((event) => {
      if (replaying) buffered.push(event);
      else send(event);
    });
    socket.on('close', unsubscribe);
    socket.on('error', unsubscribe);

    if (!replaying) return;
    void (async () => {
      try {
        let more = true;
        while (more) {
          const page = await deps.events.since(lastSent, BACKLOG_LIMIT);
          for (const event of page) send(event);
          more = page.length === BACKLOG_LIMIT;
        }
      } finally {
        replaying = false;
        for (const event of buffered.splice(0)) send(event);
      }
    })();
  });
};

export default eventRoutes;
