import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@outdial/server/server';
import { CallbacksRepository } from '@outdial/store/repositories/callbacks.repository';
import { signIn, startDemoServer } from './server-harness.ts';

interface Me { state: string; call: { attemptId: string; campaignId: string; contact: { id: string; phone: string } } | null }
interface Listing { id: string; contactId: string; campaignId: string; agentId: string | null; agentName: string | null; dueAt: number; phone: string }

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('personal callbacks through the API (fast simulated carrier, simulated agents on the floor)', () => {
  let server: RunningServer;
  let agent: Record<string, string>;
  let supervisor: Record<string, string>;
  let ids: Map<string, string>;
  beforeAll(async () => {
    server = await startDemoServer({ fast: true });
    const a = await signIn(server, 'agent1');
    agent = { cookie: a.cookie, 'x-csrf-token': a.csrf };
    const s = await signIn(server, 'supervisor');
    supervisor = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    const users = await server.store.db.selectFrom('users').select(['id', 'username']).execute();
    ids = new Map(users.map((u) => [u.username, u.id]));
  });
  afterAll(async () => { await server?.close(); });

  const me = async (): Promise<Me> => (await server.app.inject({ method: 'GET', url: '/api/v1/agent/me', headers: agent })).json() as Me;
  /** Who each dial of the contact since `after` was placed for (`attempt.dialed`; the attempt row keeps who talked). */
  const dialsOf = async (contactId: string, after: number): Promise<Array<string | null>> => {
    const rows = await server.store.db.selectFrom('events').select('payload_json')
      .where('type', '=', 'attempt.dialed').where('at', '>', after).orderBy('seq').execute();
    return rows.map((r) => JSON.parse(r.payload_json) as { contactId: string; agentId?: string })
      .filter((a) => a.contactId === contactId).map((a) => a.agentId ?? null);
  };

  it('a personal callback waits while its agent is paused (others ready), then is dialed for that agent only', async () => {
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/agent/ready', headers: agent })).statusCode).toBe(200);
    let call: Me['call'] = null;
    for (const deadline = Date.now() + 60_000; !call; await sleep(100)) {
      const view = await me();
      if ((view.state === 'on_call' || view.state === 'wrap_up') && view.call) call = view.call;
      if (Date.now() > deadline) throw new Error(`no call within a minute (state ${view.state})`);
    }
    // Pause first (applied after the disposition), so the agent is away when the callback comes due.
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/agent/pause', headers: agent, payload: { reason: 'Break' } })).statusCode).toBe(200);
    const dueAt = Date.now() + 2_000;
    const saved = await server.app.inject({
      method: 'POST', url: '/api/v1/agent/disposition', headers: agent,
      payload: { code: 'callback', callbackAt: new Date(dueAt).toISOString(), callbackScope: 'personal' },
    });
    expect(saved.statusCode).toBe(200);
    for (const deadline = Date.now() + 10_000; (await me()).state !== 'paused'; await sleep(100)) {
      if (Date.now() > deadline) throw new Error('the agent did not pause after the disposition');
    }
    const mine = (await server.app.inject({ method: 'GET', url: '/api/v1/callbacks/mine', headers: agent })).json() as Listing[];
    expect(mine).toContainEqual(expect.objectContaining({ contactId: call.contact.id, agentId: ids.get('agent1'), dueAt, phone: call.contact.phone }));
    const dispositionAt = dueAt - 2_000;

    // Due, with simulated agents ready and dialing: still not dialed, because its agent is paused.
    await sleep(6_000);
    expect(await dialsOf(call.contact.id, dispositionAt)).toEqual([]);
    const others = await server.store.db.selectFrom('attempts').select('id').where('dialed_at', '>', dueAt).execute();
    expect(others.length).toBeGreaterThan(0);

    expect((await server.app.inject({ method: 'POST', url: '/api/v1/agent/ready', headers: agent })).statusCode).toBe(200);
    let dialed: Array<string | null> = [];
    for (const deadline = Date.now() + 30_000; dialed.length === 0; await sleep(100)) {
      dialed = await dialsOf(call.contact.id, dispositionAt);
      if (Date.now() > deadline) throw new Error('the callback was not dialed after its agent went ready');
    }
    expect(dialed).toEqual([ids.get('agent1')]);
    // Dialed: the callback is done and leaves the agent's list.
    for (const deadline = Date.now() + 5_000; ; await sleep(100)) {
      const left = (await server.app.inject({ method: 'GET', url: '/api/v1/callbacks/mine', headers: agent })).json() as Listing[];
      if (!left.some((c) => c.contactId === call.contact.id)) break;
      if (Date.now() > deadline) throw new Error('the dialed callback is still pending');
    }
    // Off the floor again for the next test: the pause applies after the call in progress is dispositioned.
    await server.app.inject({ method: 'POST', url: '/api/v1/agent/pause', headers: agent, payload: { reason: 'Break' } });
    for (const deadline = Date.now() + 30_000; (await me()).state !== 'paused'; await sleep(100)) {
      if ((await me()).state === 'wrap_up') await server.app.inject({ method: 'POST', url: '/api/v1/agent/disposition', headers: agent, payload: { code: 'not_interested' } });
      if (Date.now() > deadline) throw new Error(`agent1 did not pause (state ${(await me()).state})`);
    }
  }, 120_000);

  it('dialing the contact by hand completes its due personal callback', async () => {
    expect((await me()).state).toBe('paused');
    const campaign = await server.store.db.selectFrom('campaigns').select('id').where('name', '=', 'Demo campaign').executeTakeFirstOrThrow();
    const listed = await server.store.db.selectFrom('dnc_entries').select('phone').execute();
    const blocked = new Set(listed.map((d) => d.phone));
    const candidates = (await server.store.db.selectFrom('contacts').select(['id', 'phone']).where('status', '=', 'dialable').where('attempts', '=', 0)
      .orderBy('id', 'desc').limit(200).execute()).filter((c) => !blocked.has(c.phone));
    // The server runs on the real clock: a contact whose local time is outside its calling hours now is refused by
    // the compliance check (the demo has contacts in every zone, so some are within hours at any time of day).
    const callbacks = new CallbacksRepository(server.store.db);
    let cb: Awaited<ReturnType<CallbacksRepository['create']>> | undefined;
    const refused: string[] = [];
    for (const contact of candidates) {
      const created = await callbacks.create({
        contactId: contact.id, campaignId: campaign.id, agentId: ids.get('agent1') ?? null, dueAt: Date.now() - 1_000, now: Date.now() - 60_000,
      });
      const dialed = await server.app.inject({ method: 'POST', url: '/api/v1/agent/dial', headers: agent, payload: { phone: contact.phone } });
      if (dialed.statusCode === 200) { cb = created; break; }
      expect((dialed.json() as { error: { code: string } }).error.code, dialed.body).toBe('OUTDIAL_ERR_COMPLIANCE_REFUSED');
      refused.push(contact.phone);
      await callbacks.cancel(created.id);
    }
    if (cb === undefined) throw new Error(`no undialed contact off the do-not-call lists could be called now (${refused.length} refused by compliance)`);
    for (const deadline = Date.now() + 10_000; ; await sleep(100)) {
      if ((await new CallbacksRepository(server.store.db).get(cb.id))?.status === 'done') break;
      if (Date.now() > deadline) throw new Error('the callback of a contact dialed by hand is still pending');
    }
  });

  it('a supervisor gives a personal callback to another agent of the campaign or to the whole campaign; agents may not', async () => {
    const campaign = await server.store.db.selectFrom('campaigns').select('id').where('name', '=', 'Demo campaign').executeTakeFirstOrThrow();
    const contact = await server.store.db.selectFrom('contacts').select('id').orderBy('id').executeTakeFirstOrThrow();
    // Far in the future: the dialer leaves it alone while the API is exercised.
    const cb = await new CallbacksRepository(server.store.db).create({
      contactId: contact.id, campaignId: campaign.id, agentId: ids.get('agent1') ?? null, dueAt: Date.now() + 86_400_000, now: Date.now(),
    });
    const listed = (await server.app.inject({ method: 'GET', url: `/api/v1/callbacks?campaignId=${campaign.id}`, headers: supervisor }))
      .json() as { callbacks: Listing[]; agents: Record<string, Array<{ id: string; name: string }>> };
    expect(listed.callbacks).toContainEqual(expect.objectContaining({ id: cb.id, agentId: ids.get('agent1'), agentName: 'Alex Agent' }));
    expect(listed.agents[campaign.id]?.map((a) => a.name)).toEqual(expect.arrayContaining(['Alex Agent', 'Bea Bot']));

    expect((await server.app.inject({ method: 'GET', url: '/api/v1/callbacks', headers: agent })).statusCode).toBe(403);
    expect((await server.app.inject({ method: 'PATCH', url: `/api/v1/callbacks/${cb.id}`, headers: agent, payload: { agentId: null } })).statusCode).toBe(403);
    const notMember = await server.app.inject({ method: 'PATCH', url: `/api/v1/callbacks/${cb.id}`, headers: supervisor, payload: { agentId: ids.get('supervisor') } });
    expect(notMember.statusCode).toBe(400);
    expect((await server.app.inject({ method: 'PATCH', url: '/api/v1/callbacks/nope', headers: supervisor, payload: { agentId: null } })).statusCode).toBe(404);

    const moved = await server.app.inject({ method: 'PATCH', url: `/api/v1/callbacks/${cb.id}`, headers: supervisor, payload: { agentId: ids.get('agent2') } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ id: cb.id, agentId: ids.get('agent2'), agentName: 'Bea Bot' });
    const mine = (await server.app.inject({ method: 'GET', url: '/api/v1/callbacks/mine', headers: agent })).json() as Listing[];
    expect(mine.some((c) => c.id === cb.id)).toBe(false);
    const audit = await server.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'callback.reassign').where('target', '=', cb.id).execute();
    expect(audit).toHaveLength(1);

    const wide = await server.app.inject({ method: 'PATCH', url: `/api/v1/callbacks/${cb.id}`, headers: supervisor, payload: { agentId: null } });
    expect(wide.json()).toMatchObject({ id: cb.id, agentId: null, agentName: null });
    expect(await new CallbacksRepository(server.store.db).get(cb.id)).toMatchObject({ agentId: null, status: 'pending' });
  });
});
