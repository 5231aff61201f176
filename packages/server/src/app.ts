import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import fastifyStatic from '@fastify/static';
import multipart from '@fastify/multipart';
import type { RouteDeps } from './deps.ts';
import { OutdialError } from './errors.ts';
import { installAuth } from './auth/auth-hook.ts';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Builds the HTTP + WebSocket server. Every file routes/*.route.ts is a plugin registered with the same deps, so
 * a new area adds a file and touches nothing here.
 */
export async function buildApp(deps: RouteDeps, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ? { level: deps.config.logLevel } : false,
    bodyLimit: 5 * 1024 * 1024,
    trustProxy: deps.config.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof OutdialError) return reply.status(error.status).send(error.toJSON());
    const err = error as { validation?: unknown; statusCode?: number; message: string; code?: string };
    if (err.validation) {
      const e = new OutdialError('OUTDIAL_ERR_VALIDATION', err.message, err.validation);
      return reply.status(e.status).send(e.toJSON());
    }
    if (err.statusCode === 429) {
      const e = new OutdialError('OUTDIAL_ERR_AUTH_RATE_LIMITED');
      return reply.status(e.status).send(e.toJSON());
    }
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      const e = new OutdialError('OUTDIAL_ERR_VALIDATION', err.message);
      return reply.status(err.statusCode).send(e.toJSON());
    }
    request.log.error(error);
    const e = new OutdialError('OUTDIAL_ERR_INTERNAL');
    return reply.status(e.status).send(e.toJSON());
  });

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: 2 * 1024 * 1024 * 1024, files: 1 } });
  await app.register(websocket);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Outdial API', version: '0.1.0', description: 'Outbound contact center: campaigns, contacts, agents, compliance.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'outdial_sid' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  installAuth(app, deps);

  for (const plugin of await loadRoutePlugins()) {
    await app.register(plugin, deps);
  }

  await serveWebApp(app, deps.config.webRoot || join(here, '..', '..', 'web', 'dist'));
  return app;
}

async function loadRoutePlugins(): Promise<Array<FastifyPluginAsync<RouteDeps>>> {
  const dir = join(here, 'routes');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.route.ts')).sort();
  const plugins: Array<FastifyPluginAsync<RouteDeps>> = [];
  for (const file of files) {
    const mod = (await import(join(dir, file))) as { default: FastifyPluginAsync<RouteDeps> };
    plugins.push(mod.default);
  }
  return plugins;
}

/** The React app: static files, and index.html for every other GET outside /api (client-side routes). */
async function serveWebApp(app: FastifyInstance, root: string): Promise<void> {
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    app.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/')) return reply.status(404).send(new OutdialError('OUTDIAL_ERR_NOT_FOUND', request.url).toJSON());
      return reply.status(503).type('text/plain').send('The web app is not built: run `npm run build:web`.');
    });
    return;
  }
  await app.register(fastifyStatic, { root, wildcard: false, index: false });
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
    return reply.status(404).send(new OutdialError('OUTDIAL_ERR_NOT_FOUND', `${request.method} ${request.url}`).toJSON());
  });
}
