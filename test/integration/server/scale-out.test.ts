import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '@outdial/server/server';
import type { RunningServer } from '@outdial/server/server';
import { openTestStore, postgresAdminUrl, postgresAvailable } from '../../support/store-fixtures.ts';
import type { TestStore } from '../../support/store-fixtures.ts';
import { skipUnless } from '../../support/require.ts';
import { quietLog } from './server-harness.ts';

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Two dialer nodes on one PostgreSQL: each campaign runs on one node at a time; the other takes it over. */
describe.skipIf(skipUnless(postgresAvailable, `PostgreSQL at ${postgresAdminUrl}`))('scale-out on PostgreSQL', () => {
  let store: TestStore;
  const nodes: RunningServer[] = [];
  afterAll(async () => {
    for (const n of nodes) await n.close();
    await store?.close();
  });

  async function node(nodeId: string): Promise<RunningServer> {
    const server = await startServer({ port: 0, host: '127.0.0.1', db: store.url, demo: true, nodeId, leaseMs: 10_000, logLevel: 'silent' }, quietLog);
    nodes.push(server);
    return server;
  }

  async function owners(): Promise<Array<string | null>> {
    const rows = await store.db.selectFrom('campaigns').select('owner_node').where('status', '=', 'running').execute();
    return rows.map((r) => r.owner_node);
  }

  it('runs each campaign on one node, and hands it over when that node stops', async () => {
    store = await openTestStore('postgres', { migrated: false });
    const a = await node('node-a');
    const b = await node('node-b');
    await until('node-a to dial', async () => (await store.db.selectFrom('attempts').select('id').execute()).length > 0);
    expect(await owners()).toEqual(['node-a', 'node-a']);
    const dialersBefore = await store.db.selectFrom('attempts').select('node_id').distinct().execute();
    expect(dialersBefore.map((r) => r.node_id)).toEqual(['node-a']);
    expect(b.host.floor().campaigns.every((c) => c.status === 'paused')).toBe(true);

    await a.close();
    nodes.splice(nodes.indexOf(a), 1);
    await until('node-b to take the campaigns over', async () => (await owners()).every((o) => o === 'node-b'));
    await until('node-b to dial', async () => (await store.db.selectFrom('attempts').select('id').where('node_id', '=', 'node-b').execute()).length > 0);

    // No contact was ever claimed by two nodes at once: each attempt's contact had one dialer at a time.
    const open = await store.db.selectFrom('attempts').select(['contact_id', 'node_id']).where('ended_at', 'is', null).execute();
    const byContact = new Map<string, Set<string | null>>();
    for (const row of open) byContact.set(row.contact_id, (byContact.get(row.contact_id) ?? new Set()).add(row.node_id));
    for (const nodesOfContact of byContact.values()) expect(nodesOfContact.size).toBe(1);
  });
});
