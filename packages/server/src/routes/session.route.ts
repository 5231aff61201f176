import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { SessionsRepository } from '@outdial/store/repositories/sessions.repository';
import { UsersRepository } from '@outdial/store/repositories/users.repository';
import type { User } from '@outdial/store/repositories/users.repository';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';
import { SESSION_COOKIE, csrfTokenOf } from '../auth/auth-hook.ts';

const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('supervisor'), Type.Literal('agent')]),
  locale: Type.String(),
});
const SessionSchema = Type.Object({ user: UserSchema, csrfToken: Type.String() });

function publicUser(u: Pick<User, 'id' | 'username' | 'displayName' | 'role' | 'locale'>) {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, locale: u.locale };
}

const sessionRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const users = new UsersRepository(deps.store.db);
  const sessions = new SessionsRepository(deps.store.db);

  app.post<{ Body: { username: string; password: string } }>('/api/v1/session', {
    config: { public: true, rateLimit: { max: deps.config.signInPerMinute, timeWindow: 60_000 } },
    schema: {
      tags: ['session'],
      summary: 'Sign in',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 1000 }) }),
      response: { 200: SessionSchema },
    },
  }, async (request, reply) => {
    const result = await users.verifyPassword(request.body.username, request.body.password);
    if (!result.ok) throw new OutdialError('OUTDIAL_ERR_AUTH_INVALID');
    const session = await sessions.create({ userId: result.value.id, now: deps.clock.now(), ttlMs: deps.config.sessionMs });
    void reply.setCookie(SESSION_COOKIE, session.id, {
      path: '/', httpOnly: true, sameSite: 'strict', secure: deps.config.secureCookies, maxAge: Math.floor(deps.config.sessionMs / 1000),
    });
    return { user: publicUser(result.value), csrfToken: session.csrfToken };
  });

  app.get('/api/v1/session', {
    schema: { tags: ['session'], summary: 'Who is signed in', response: { 200: SessionSchema } },
  }, async (request) => {
    const user = request.user;
    if (!user) throw new OutdialError('OUTDIAL_ERR_AUTH_REQUIRED');
    return { user: publicUser(user), csrfToken: csrfTokenOf(request) ?? '' };
  });

  app.delete('/api/v1/session', {
    schema: { tags: ['session'], summary: 'Sign out' },
  }, async (request, reply) => {
    if (request.sessionId) await sessions.delete(request.sessionId);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
};

export default sessionRoutes;
