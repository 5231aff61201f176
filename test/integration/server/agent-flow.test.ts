import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@outdial/server/server';
import { signIn, startDemoServer } from './server-harness.ts';

interface Me { state: string; call: { attemptId: string; contact: { id: string; phone: string } } | null }

describe('an agent takes calls through the API (fast simulated carrier)', () => {
  let server: RunningServer;
  let headers: Record<string, string>;
  beforeAll(async () => {
    server = await startDemoServer({ fast: true });
    const agent = await signIn(server, 'agent1');
    headers = { cookie: agent.cookie, 'x-csrf-token': agent.csrf };
  });
  afterAll(async () => { await server?.close(); });

  async function me(): Promise<Me> {
    return (await server.app.inject({ method: 'GET', url: '/api/v1/agent/me', headers })).json() as Me;
  }

  async function nextCall(): Promise<NonNullable<Me['call']>> {
    if (!['ready', 'reserved', 'on_call'].includes((await me()).state)) {
      const ready = await server.app.inject({ method: 'POST', url: '/api/v1/agent/ready', headers });
      expect(ready.statusCode).toBe(200);
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
      const view = await me();
      // Simulated talks are short: the call may already be in wrap-up when we look.
      if ((view.state === 'on_call' || view.state === 'wrap_up') && view.call) return view.call;
      if (Date.now() > deadline) throw new Error(`no call within a minute (state ${view.state})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('stores the disposition chosen during the call, once the call ends', async () => {
    const call = await nextCall();
    const saved = await server.app.inject({ method: 'POST', url: '/api/v1/agent/disposition', headers, payload: { code: 'sale', notes: 'signed up' } });
    expect(saved.statusCode).toBe(200);
    const deadline = Date.now() + 10_000;
    let row;
    while (!row && Date.now() < deadline) {
      row = await server.store.db.selectFrom('dispositions').selectAll().where('attempt_id', '=', call.attemptId).executeTakeFirst();
      if (!row) await new Promise((r) => setTimeout(r, 50));
    }
    expect(row).toMatchObject({ code: 'sale', notes: 'signed up', contact_id: call.contact.id });
  });

  it('"Do not call" puts the number on the internal list and it is never dialed again', async () => {
    const call = await nextCall();
    const dnc = await server.app.inject({ method: 'POST', url: '/api/v1/agent/do-not-call', headers });
    expect(dnc.statusCode).toBe(200);
    const entry = await server.store.db.selectFrom('dnc_entries').selectAll().where('phone', '=', call.contact.phone).where('kind', '=', 'internal').executeTakeFirst();
    expect(entry).toMatchObject({ added_by: expect.any(String), reason: expect.stringMatching(/asked not to be called/) });
    const after = Date.now();
    // Let the dialer work on until it has placed several further calls (at most 45 s): none may be to this number.
    const deadline = Date.now() + 45_000;
    let others: Array<{ id: string }> = [];
    while (others.length < 6 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      others = await server.store.db.selectFrom('attempts').select('id').where('dialed_at', '>', after).execute();
    }
    expect(others.length).toBeGreaterThan(5);
    const redials = await server.store.db.selectFrom('attempts').select('id').where('phone', '=', call.contact.phone).where('dialed_at', '>', after).execute();
    expect(redials).toEqual([]);
    const contact = await server.store.db.selectFrom('contacts').select('status').where('id', '=', call.contact.id).executeTakeFirstOrThrow();
    expect(contact.status).toBe('dnc');
  });
});
