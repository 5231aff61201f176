import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';
import { AuditRecorder } from '../audit.ts';

const ListSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  vendor: Type.Union([Type.String(), Type.Null()]),
  purchasedAt: Type.Union([Type.String(), Type.Null()]),
  costCents: Type.Union([Type.Integer(), Type.Null()]),
  consentBasis: Type.Union([Type.String(), Type.Null()]),
  consentMethod: Type.Union([Type.String(), Type.Null()]),
  defaultCountry: Type.String(),
  columnMapping: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()]),
  createdAt: Type.Number(),
});

const NewListSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  vendor: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  purchasedAt: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
  costCents: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  consentBasis: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  consentMethod: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  defaultCountry: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
});
type NewListBody = {
  name: string; vendor?: string | null; purchasedAt?: string | null; costCents?: number | null;
  consentBasis?: string | null; consentMethod?: string | null; defaultCountry?: string;
};

const listRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const lists = new ListsRepository(deps.store.db);
  const audit = new AuditRecorder(deps);

  app.get('/api/v1/lists', {
    config: { roles: ['admin', 'supervisor'] },
    schema: { tags: ['lists'], summary: 'Contact lists with their source (vendor, purchase date, cost, consent basis)', response: { 200: Type.Array(ListSchema) } },
  }, async () => lists.list());

  app.get<{ Params: { id: string } }>('/api/v1/lists/:id', {
    config: { roles: ['admin', 'supervisor'] },
    schema: { tags: ['lists'], params: Type.Object({ id: Type.String() }), response: { 200: ListSchema } },
  }, async (request) => {
    const list = await lists.get(request.params.id);
    if (!list) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `list ${request.params.id}`);
    return list;
  });

  app.post<{ Body: NewListBody }>('/api/v1/lists', {
    config: { roles: ['admin'] },
    schema: { tags: ['lists'], summary: 'Create a list', body: NewListSchema, response: { 200: ListSchema } },
  }, async (request) => {
    const created = await lists.create({ ...request.body, now: deps.clock.now() });
    if (!created.ok) throw new OutdialError('OUTDIAL_ERR_CONFLICT', created.message);
    await audit.record(request.user?.id, 'list.create', `list:${created.value.id}`, { name: created.value.name });
    return created.value;
  });
};

export default listRoutes;
