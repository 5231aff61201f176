import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../deps.ts';
import { FloorSchema } from '../schemas/floor.schema.ts';

/** The supervisor's live floor: every agent's state and every campaign's counters, from the running engine. */
const floorRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.get('/api/v1/floor', {
    config: { roles: ['supervisor', 'admin'] },
    schema: { tags: ['supervisor'], summary: 'Agents and campaigns right now (then follow the event stream)', response: { 200: FloorSchema } },
  }, async () => deps.runtime.floor());
};

export default floorRoutes;
