import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { UsersRepository } from '@outdial/store/repositories/users.repository';
import type { Role, User } from '@outdial/store/repositories/users.repository';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';
import { AuditRecorder } from '../audit.ts';

const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('supervisor'), Type.Literal('agent')]);
const LocaleSchema = Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' });
const UserOut = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  locale: Type.String(),
  disabled: Type.Boolean(),
  campaignIds: Type.Array(Type.String()),
});
const NewUserBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
  displayName: Type.String({ minLength: 1, maxLength: 200 }),
  role: RoleSchema,
  password: Type.String({ minLength: 4, maxLength: 1000 }),
  locale: Type.Optional(LocaleSchema),
  campaignIds: Type.Optional(Type.Array(Type.String())),
}, { additionalProperties: false });
const PatchUserBody = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  role: Type.Optional(RoleSchema),
  password: Type.Optional(Type.String({ minLength: 4, maxLength: 1000 })),
  locale: Type.Optional(LocaleSchema),
  disabled: Type.Optional(Type.Boolean()),
  campaignIds: Type.Optional(Type.Array(Type.String())),
}, { additionalProperties: false });
const IdParams = Type.Object({ id: Type.String() });

interface NewUserInput {
  username: string; displayName: string; role: Role; password: string; locale?: string; campaignIds?: string[];
}
type PatchUserInput = Partial<Omit<NewUserInput, 'username'>> & { disabled?: boolean };

/** Users for admins (roles, campaign assignment, disabling), and each user's own language choice. */
const userRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const users = new UsersRepository(deps.store.db);
  const campaigns = new CampaignsRepository(deps.store.db);
  const audit = new AuditRecorder(deps);
  const admin = { config: { roles: ['admin' as const] } };

  async function withCampaigns(user: User) {
    const assigned = await campaigns.listForAgent(user.id);
    return {
      id: user.id, username: user.username, displayName: user.displayName, role: user.role, locale: user.locale,
      disabled: user.disabled, campaignIds: assigned.map((c) => c.id),
    };
  }

  /** Makes the user's assignments exactly `campaignIds`; an unknown campaign id is a validation error. */
  async function assign(userId: string, campaignIds: string[]): Promise<void> {
    const all = await campaigns.list();
    const known = new Set(all.map((c) => c.id));
    const unknown = campaignIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new OutdialError('OUTDIAL_ERR_VALIDATION', `unknown campaign ${unknown.join(', ')}`);
    const current = new Set((await campaigns.listForAgent(userId)).map((c) => c.id));
    const wanted = new Set(campaignIds);
    for (const id of wanted) if (!current.has(id)) await campaigns.assignAgent(id, userId);
    for (const id of current) if (!wanted.has(id)) await campaigns.unassignAgent(id, userId);
  }

  app.get('/api/v1/users', { ...admin, schema: { tags: ['users'], summary: 'Every user with their campaigns', response: { 200: Type.Array(UserOut) } } }, async () => {
    const all = await users.list();
    return Promise.all(all.map(withCampaigns));
  });

  app.post<{ Body: NewUserInput }>('/api/v1/users', {
    ...admin, schema: { tags: ['users'], summary: 'Create a user', body: NewUserBody, response: { 200: UserOut } },
  }, async (request) => {
    const { campaignIds, ...input } = request.body;
    const created = await users.create({ ...input, now: deps.clock.now() });
    if (!created.ok) {
      if (created.error === 'duplicate_username') throw new OutdialError('OUTDIAL_ERR_CONFLICT', created.message);
      throw new OutdialError('OUTDIAL_ERR_VALIDATION', created.message);
    }
    if (campaignIds !== undefined) await assign(created.value.id, campaignIds);
    await audit.record(request.user?.id, 'user.create', `user:${created.value.id}`, { username: input.username, role: input.role });
    return withCampaigns(created.value);
  });

  app.patch<{ Body: { locale: string } }>('/api/v1/users/me', {
    schema: { tags: ['users'], summary: "Change the signed-in user's language", body: Type.Object({ locale: LocaleSchema }, { additionalProperties: false }) },
  }, async (request) => {
    const me = request.user;
    if (!me) throw new OutdialError('OUTDIAL_ERR_AUTH_REQUIRED');
    await users.setDisplayName(me.id, me.displayName, request.body.locale);
    return { ok: true };
  });

  app.patch<{ Params: { id: string }; Body: PatchUserInput }>('/api/v1/users/:id', {
    ...admin, schema: { tags: ['users'], summary: 'Change a user: name, role, password, language, disabled, campaigns', params: IdParams, body: PatchUserBody, response: { 200: UserOut } },
  }, async (request) => {
    const { id } = request.params;
    const existing = await users.findById(id);
    if (!existing) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `user ${id}`);
    const body = request.body;
    if (id === request.user?.id && (body.disabled === true || (body.role !== undefined && body.role !== 'admin'))) {
      throw new OutdialError('OUTDIAL_ERR_CONFLICT', 'you cannot disable yourself or take away your own admin role');
    }
    if (body.displayName !== undefined || body.locale !== undefined) {
      await users.setDisplayName(id, body.displayName ?? existing.displayName, body.locale);
    }
    if (body.role !== undefined) await users.setRole(id, body.role);
    if (body.password !== undefined) await users.setPassword(id, body.password);
    if (body.disabled !== undefined) await users.setDisabled(id, body.disabled);
    if (body.campaignIds !== undefined) await assign(id, body.campaignIds);
    const { password: _password, ...logged } = body;
    await audit.record(request.user?.id, 'user.update', `user:${id}`, { ...logged, passwordChanged: body.password !== undefined });
    const updated = await users.findById(id);
    if (!updated) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `user ${id}`);
    return withCampaigns(updated);
  });
};

export default userRoutes;
