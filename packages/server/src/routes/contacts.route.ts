import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';

const ContactSchema = Type.Object({
  id: Type.String(),
  listId: Type.String(),
  phone: Type.String(),
  phones: Type.Array(Type.Object({ phone: Type.String(), ext: Type.Optional(Type.String()), kind: Type.Optional(Type.String()) })),
  firstName: Type.Union([Type.String(), Type.Null()]),
  lastName: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  region: Type.Union([Type.String(), Type.Null()]),
  postalCode: Type.Union([Type.String(), Type.Null()]),
  timezones: Type.Array(Type.String()),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  status: Type.String(),
  attempts: Type.Integer(),
  nextDialAt: Type.Number(),
  lastOutcome: Type.Union([Type.String(), Type.Null()]),
  dncFlag: Type.Boolean(),
});

const contactRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const contacts = new ContactsRepository(deps.store.db);

  app.get<{ Querystring: { listId?: string; phone?: string; limit?: number; offset?: number } }>('/api/v1/contacts', {
    config: { roles: ['admin', 'supervisor'] },
    schema: {
      tags: ['contacts'],
      summary: 'Contacts of a list (paged), or every contact with a phone',
      querystring: Type.Object({
        listId: Type.Optional(Type.String()),
        phone: Type.Optional(Type.String()),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
      }),
      response: { 200: Type.Array(ContactSchema) },
    },
  }, async (request) => {
    const { listId, phone, limit = 100, offset = 0 } = request.query;
    if (phone) return contacts.findByPhone(phone);
    if (!listId) throw new OutdialError('OUTDIAL_ERR_VALIDATION', 'give listId or phone');
    return contacts.listByList(listId, { limit, offset });
  });

  app.get<{ Params: { id: string } }>('/api/v1/contacts/:id', {
    config: { roles: ['admin', 'supervisor'] },
    schema: { tags: ['contacts'], params: Type.Object({ id: Type.String() }), response: { 200: ContactSchema } },
  }, async (request) => {
    const contact = await contacts.get(request.params.id);
    if (!contact) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `contact ${request.params.id}`);
    return contact;
  });
};

export default contactRoutes;
