import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SessionsRepository } from '@outdial/store/repositories/sessions.repository';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';

export const SESSION_COOKIE = 'outdial_sid';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const csrfTokens = new WeakMap<FastifyRequest, string>();

/**
 * One place decides who may call what: the session cookie names the user, the route's `config.roles` (or
 * `config.public`) says who may call it, and mutating requests must echo the session's CSRF token in a header
 * (the synchronizer-token pattern; the cookie is also SameSite=Strict and HTTP-only).
 */
export function installAuth(app: FastifyInstance, deps: RouteDeps): void {
  const sessions = new SessionsRepository(deps.store.db);
  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);

  app.addHook('onRequest', async (request) => {
    const sid = request.cookies[SESSION_COOKIE];
    if (!sid) return;
    const found = await sessions.findValid(sid, deps.clock.now());
    if (!found) return;
    const u = found.user;
    request.user = { id: u.id, username: u.username, displayName: u.displayName, role: u.role, locale: u.locale };
    request.sessionId = found.session.id;
    csrfTokens.set(request, found.session.csrfToken);
  });

  // Before validation: an anonymous caller learns nothing, not even which fields a route expects.
  app.addHook('preValidation', async (request) => {
    const config = request.routeOptions.config;
    // Decide on the route that matched, never on the raw URL: `/%61pi/...` matches `/api/...` after decoding.
    const route = request.routeOptions.url ?? '';
    if (config.public || !route.startsWith('/api/') || route === '/api/docs' || route.startsWith('/api/docs/')) return;
    if (!request.user) throw new OutdialError('OUTDIAL_ERR_AUTH_REQUIRED');
    if (config.roles && !config.roles.includes(request.user.role)) {
      throw new OutdialError('OUTDIAL_ERR_FORBIDDEN', `${request.user.role} may not ${request.method} ${request.routeOptions.url ?? request.url}`);
    }
    if (MUTATING.has(request.method) && request.headers['x-csrf-token'] !== csrfTokens.get(request)) {
      throw new OutdialError('OUTDIAL_ERR_CSRF');
    }
  });
}

export function csrfTokenOf(request: FastifyRequest): string | undefined {
  return csrfTokens.get(request);
}
