import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openStore } from '@outdial/store/database';
import type { OpenedStore } from '@outdial/store/database';
import { EventsRepository } from '@outdial/store/repositories/events.repository';
import { listenForAppendedEvents } from '@outdial/store/postgres/event-listener';
import type { EventsListener } from '@outdial/store/postgres/event-listener';
import { StoreTailEventBus } from '@outdial/server/events/store-tail-event-bus';
import type { StreamEvent } from '@outdial/server/events/event-bus';
import { startServer } from '@outdial/server/server';
import type { RunningServer } from '@outdial/server/server';
import { openTestStore, postgresAdminUrl, postgresAvailable } from '../../support/store-fixtures.ts';
import type { TestStore } from '../../support/store-fixtures.ts';
import { skipUnless } from '../../support/require.ts';
import { FAST_SCENARIO, quietLog, signIn } from './server-harness.ts';

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Node { store: OpenedStore; bus: StoreTailEventBus; listener: EventsListener; seen: StreamEvent[] }

/** Two "nodes": each its own connection pool, tail reader and LISTEN connection on the same database. */
describe.skipIf(skipUnless(postgresAvailable, `PostgreSQL at ${postgresAdminUrl}`))('live events across nodes on PostgreSQL', () => {
  let shared: TestStore;
  const nodes: Node[] = [];
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const n of nodes) {
      n.bus.stop();
      await n.listener.close();
      await n.store.close();
    }
    await shared?.close();
  });

  async function node(gapWaitMs = 300): Promise<Node> {
    const store = await openStore(shared.url);
    const bus = await StoreTailEventBus.start(new EventsRepository(store.db), () => Date.now(), { gapWaitMs });
    const listener = await listenForAppendedEvents(shared.url, () => bus.wake(), (error) => { throw error; });
    const made: Node = { store, bus, listener, seen: [] };
    bus.subscribe((event) => made.seen.push(event));
    nodes.push(made);
    return made;
  }

  it('delivers every node\'s events to every node, live and in seq order', async () => {
    shared = await openTestStore('postgres');
    const a = await node();
    const b = await node();
    const published: number[] = [];
    for (let i = 0; i < 20; i++) {
      const from = i % 3 === 0 ? b : a;
      published.push((await from.bus.publish('test.tick', { i }, null)).seq);
    }
    const last = Math.max(...published);
    await until('node a to see all', () => (a.seen.at(-1)?.seq === last ? true : undefined));
    await until('node b to see all', () => (b.seen.at(-1)?.seq === last ? true : undefined));
    for (const n of [a, b]) {
      expect(n.seen.map((e) => e.seq)).toEqual([...published].sort((x, y) => x - y));
      expect(n.seen.map((e) => e.payload['i'])).toEqual(Array.from({ length: 20 }, (_, i) => i));
    }
  });

  it('holds later events back until an earlier, not yet committed insert commits', async () => {
    const a = nodes[0];
    const b = nodes[1];
    if (!a || !b) throw new Error('the first test makes the nodes');
    const before = b.seen.length;
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => { commit = resolve; });
    let slowSeq = 0;
    let inserted!: () => void;
    const insertedNow = new Promise<void>((resolve) => { inserted = resolve; });
    const slow = shared.db.transaction().execute(async (trx) => {
      slowSeq = await new EventsRepository(trx).append({ at: Date.now(), type: 'test.slow', campaignId: null, payload: {} });
      inserted();
      await committed;
    });
    await insertedNow;
    const fast = await a.bus.publish('test.fast', {}, null);
    expect(fast.seq).toBeGreaterThan(slowSeq);
    await sleep(150);
    expect(b.seen.slice(before).map((e) => e.type)).toEqual([]);
    commit();
    await slow;
    await until('node b to see both', () => (b.seen.length >= before + 2 ? true : undefined));
    expect(b.seen.slice(before).map((e) => [e.type, e.seq])).toEqual([['test.slow', slowSeq], ['test.fast', fast.seq]]);
  });

  it('skips a rolled-back insert\'s seq after the gap wait, without losing what follows', async () => {
    const a = nodes[0];
    const b = nodes[1];
    if (!a || !b) throw new Error('the first test makes the nodes');
    const before = b.seen.length;
    let rolledBack = 0;
    await shared.db.transaction().execute(async (trx) => {
      rolledBack = await new EventsRepository(trx).append({ at: Date.now(), type: 'test.rolled-back', campaignId: null, payload: {} });
      throw new Error('roll back');
    }).catch(() => undefined);
    const after = await a.bus.publish('test.after-rollback', {}, null);
    expect(after.seq).toBe(rolledBack + 1);
    await until('node b to see the event after the hole', () => (b.seen.length > before ? true : undefined), 5_000);
    expect(b.seen.slice(before).map((e) => e.type)).toEqual(['test.after-rollback']);
  });

  it('streams a campaign dialed on one node to a supervisor connected to the other', async () => {
    const store = await openTestStore('postgres', { migrated: false });
    // The fast carrier keeps calls short, so node-a dials every few seconds (the demo's minutes-long talks could leave
    // both simulated agents busy for longer than the wait).
    const start = (nodeId: string) => startServer({ port: 0, host: '127.0.0.1', db: store.url, demo: true, nodeId, leaseMs: 10_000, logLevel: 'silent', simScenario: FAST_SCENARIO }, quietLog);
    const dialer = await start('node-a');
    servers.push(dialer);
    await until('node-a to hold the campaigns', () => (dialer.host.floor().campaigns.some((c) => c.status === 'running') ? true : undefined), 30_000);
    const watcher = await start('node-b');
    servers.push(watcher);
    try {
      expect(watcher.host.floor().campaigns.every((c) => c.status !== 'running')).toBe(true);
      const { cookie } = await signIn(watcher, 'supervisor');
      const socket = new WebSocket(`${watcher.url.replace('http', 'ws')}/api/v1/events`, { headers: { cookie } });
      const live: Array<{ seq: number; type: string }> = [];
      socket.on('message', (data) => live.push(JSON.parse(String(data)) as { seq: number; type: string }));
      await new Promise((resolve, reject) => { socket.on('open', resolve); socket.on('error', reject); });
      // Without a `since`, the stream has no replay: whatever arrives was pushed live from node-a's work.
      // Only the node dialing a campaign emits its attempt events: node-b holds no lease.
      await until('an attempt event from node-a', () => live.find((e) => e.type.startsWith('attempt.')), 60_000);
      const seqs = live.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      socket.close();
    } finally {
      // The servers first: dropping the test database ends their connections.
      for (const server of servers.splice(0)) await server.close();
      await store.close();
    }
  }, 90_000);
});
