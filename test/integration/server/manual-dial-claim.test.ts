import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComplianceGate } from '@outdial/core/compliance/gate';
import type { ComplianceGate } from '@outdial/core/compliance/types';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import type { RunningServer } from '@outdial/server/server';
import { signIn, startDemoServer } from './server-harness.ts';

const FREE = '+12125550777'.replace('555', '734');
const BLOCKED = '+12125550778'.replace('555', '734');

/** The real gate's decision, made independent of the hour the test runs at: allow, or block one number. */
const gate: ComplianceGate = (() => {
  const real = createComplianceGate();
  return {
    check(request) {
      const decision = real.check(request);
      if (request.phone === BLOCKED) {
        return { ...decision, verdict: 'block', notBefore: null, reasons: [{ category: 'dnc_internal', rule: 'TEST-BLOCK', jurisdiction: 'US' }] };
      }
      return { ...decision, verdict: 'allow', notBefore: null, reasons: [] };
    },
  };
})();

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A manual dial of a stored contact claims it like the dialer's own picks, so no node's dialer calls it meanwhile. */
describe('manual dial claims the stored contact', () => {
  let server: RunningServer;
  let headers: Record<string, string>;
  const ids = new Map<string, string>();
  const claimOf = async (phone: string) => server.store.db.selectFrom('contacts').select(['claimed_by', 'claim_expires_at'])
    .where('id', '=', ids.get(phone) as string).executeTakeFirstOrThrow();
  const dial = (phone: string) => server.app.inject({ method: 'POST', url: '/api/v1/agent/dial', headers, payload: { phone } });

  beforeAll(async () => {
    server = await startDemoServer({ gate, fast: true });
    const list = await new ListsRepository(server.store.db).create({ name: 'hand dials', now: Date.now() });
    if (!list.ok) throw new Error(list.message);
    const inserted = await new ContactsRepository(server.store.db).insertMany([
      { listId: list.value.id, phone: FREE, firstName: 'Free' },
      { listId: list.value.id, phone: BLOCKED, firstName: 'Blocked' },
    ], Date.now());
    if (!inserted.ok) throw new Error(inserted.message);
    for (const c of inserted.value) ids.set(c.phone, c.id);
    const agent = await signIn(server, 'agent1');
    headers = { cookie: agent.cookie, 'x-csrf-token': agent.csrf };
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/agent/ready', headers })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/agent/pause', headers, payload: { reason: 'Break' } })).statusCode).toBe(200);
  });
  afterAll(async () => { await server?.close(); });

  it('refuses a contact another node holds, with the conflict code', async () => {
    await server.store.db.updateTable('contacts').set({ claimed_by: 'node-x', claim_expires_at: Date.now() + 600_000 })
      .where('id', '=', ids.get(FREE) as string).execute();
    const refused = await dial(FREE);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'OUTDIAL_ERR_CONFLICT' } });
    expect((refused.json() as { error: { message: string } }).error.message).toMatch(/another node/);
    expect(await claimOf(FREE)).toMatchObject({ claimed_by: 'node-x' });
  });

  it('dials it once that claim has expired, holds it through the call and lets it go when the call ends', async () => {
    await server.store.db.updateTable('contacts').set({ claim_expires_at: Date.now() - 1 }).where('id', '=', ids.get(FREE) as string).execute();
    const dialed = await dial(FREE);
    expect(dialed.statusCode, dialed.body).toBe(200);
    expect(await claimOf(FREE)).toMatchObject({ claimed_by: server.config.nodeId });
    expect((await dial(FREE)).statusCode).toBe(409);
    await server.app.inject({ method: 'POST', url: '/api/v1/agent/hangup', headers });
    await until('the attempt to end and release the claim', async () => (await claimOf(FREE)).claimed_by === null);
  });

  it('gives the claim back at once when the compliance gate refuses the dial', async () => {
    await until('the agent to be free again', async () => {
      const me = (await server.app.inject({ method: 'GET', url: '/api/v1/agent/me', headers })).json() as { state: string };
      return me.state === 'paused' || me.state === 'ready';
    });
    const refused = await dial(BLOCKED);
    expect(refused.statusCode).toBe(422);
    expect(await claimOf(BLOCKED)).toMatchObject({ claimed_by: null });
  });
});
