import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from '@fastify/websocket';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { SessionsRepository } from '@outdial/store/repositories/sessions.repository';
import type { RouteDeps, SessionUser } from '../deps.ts';
import type { StreamEvent } from '../events/event-bus.ts';
import { OutdialError } from '../errors.ts';
import { closeSessionSockets, trackSessionSocket } from '../events/session-sockets.ts';

const BACKLOG_LIMIT = 5000;
/** A client this far behind is disconnected; it resumes with `since` and reads the rest from the store. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const SESSION_RECHECK_MS = 60_000;

/** Agents see their own agent and call events and their own campaigns' counters; supervisors and admins see all. */
function visibleTo(user: SessionUser, campaigns: ReadonlySet<string>, event: StreamEvent): boolean {
  if (user.role !== 'agent') return true;
  const agentId = event.payload['agentId'];
  if (agentId !== undefined) return agentId === user.id;
  return (event.type === 'campaign.stats' || event.type === 'campaign.updated') && event.campaignId !== null && campaigns.has(event.campaignId);
}

/** A browser page of another site must not read the stream with the user's cookie. */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * The event stream: ordered, numbered, resumable. A client passes the last `seq` it saw; the server replays what it
 * missed from the store, then streams live events. Live events that arrive during the replay are buffered and sent
 * after it, each exactly once.
 */
const eventRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const sessions = new SessionsRepository(deps.store.db);
  const campaignsRepo = new CampaignsRepository(deps.store.db);

  app.get<{ Querystring: { since?: number } }>('/api/v1/events', {
    websocket: true,
    schema: {
      tags: ['events'],
      summary: 'Live event stream (WebSocket): {seq, at, type, campaignId, payload} messages',
      querystring: Type.Object({ since: Type.Optional(Type.Integer({ minimum: 0 })) }),
    },
  }, (socket: WebSocket, request) => {
    const user = request.user;
    const sessionId = request.sessionId;
    if (!user || !sessionId) {
      socket.close(4401, new OutdialError('OUTDIAL_ERR_AUTH_REQUIRED').message);
      return;
    }
    if (!sameOrigin(request.headers.origin, request.headers.host)) {
      socket.close(4403, 'cross-origin event stream refused');
      return;
    }
    trackSessionSocket(sessionId, socket);
    let lastSent = request.query.since ?? -1;
    let replaying = request.query.since !== undefined;
    let campaigns: ReadonlySet<string> = new Set();
    const buffered: StreamEvent[] = [];

    const send = (event: StreamEvent): void => {
      if (event.seq <= lastSent) return;
      lastSent = event.seq;
      if (!visibleTo(user, campaigns, event) || socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.close(1013, 'too far behind: reconnect with since');
        return;
      }
      socket.send(JSON.stringify(event));
    };
    const unsubscribe = deps.events.subscribe((event) => {
      if (replaying) {
        if (buffered.length < BACKLOG_LIMIT) buffered.push(event);
        else socket.close(1013, 'too far behind: reconnect with since');
      } else {
        send(event);
      }
    });
    const recheck = setInterval(() => {
      sessions.findValid(sessionId, deps.clock.now()).then(
        (found) => { if (!found) socket.close(4401, 'the session ended'); },
        () => undefined,
      );
    }, SESSION_RECHECK_MS);
    recheck.unref();
    const cleanUp = (): void => {
      unsubscribe();
      clearInterval(recheck);
    };
    socket.on('close', cleanUp);
    socket.on('error', cleanUp);

    void (async () => {
      if (user.role === 'agent') campaigns = new Set((await campaignsRepo.listForAgent(user.id)).map((c) => c.id));
      if (!replaying) return;
      try {
        let more = true;
        while (more && socket.readyState === socket.OPEN) {
          const page = await deps.events.since(lastSent, BACKLOG_LIMIT);
          for (const event of page) send(event);
          more = page.length === BACKLOG_LIMIT;
        }
      } finally {
        replaying = false;
        for (const event of buffered.splice(0)) send(event);
      }
    })().catch((error: unknown) => {
      request.log.error(error);
      socket.close(1011, 'the event stream failed; reconnect with since');
    });
  });

  // Signing out ends the session's live streams too.
  app.addHook('onResponse', async (request) => {
    if (request.method === 'DELETE' && request.routeOptions.url === '/api/v1/session' && request.sessionId) closeSessionSockets(request.sessionId);
  });
};

export default eventRoutes;
