import 'fastify';
import type { Clock } from '@outdial/core/clock';
import type { OpenedStore } from '@outdial/store/database';
import type { ServerConfig } from './config.ts';
import type { EventBus } from './events/event-bus.ts';
import type { DialerRuntime } from './runtime/dialer-runtime.ts';

/**
 * What every route plugin (packages/server/src/routes/*.route.ts, loaded automatically) receives.
 *
 * Access control is declared per route, checked by one hook:
 *   app.get('/x', { config: { roles: ['admin', 'supervisor'] } }, handler)   // these roles only
 *   app.get('/y', handler)                                                    // any signed-in user
 *   app.post('/z', { config: { public: true } }, handler)                    // no session needed
 * Mutating requests (POST/PUT/PATCH/DELETE) of signed-in users need the `x-csrf-token` header.
 * The signed-in user is `request.user` ({ id, username, displayName, role, locale }).
 * Throw OutdialError (./errors.ts) for anything the client should see; it becomes { error: { code, message } }.
 */
export interface RouteDeps {
  store: OpenedStore;
  config: ServerConfig;
  clock: Clock;
  events: EventBus;
  runtime: DialerRuntime;
}

export type Role = 'admin' | 'supervisor' | 'agent';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  locale: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
    sessionId: string | null;
  }
  interface FastifyContextConfig {
    roles?: Role[];
    public?: boolean;
  }
}
