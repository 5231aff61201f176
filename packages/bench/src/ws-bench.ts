/**
 * Web benchmark: 200 agent WebSockets on one Outdial node; the screen pop's delay from the connect event.
 *
 * A demo server runs as a child process (loopback, SQLite, simulated carrier, real clock). The bench prepares its
 * store first: 200 extra agents assigned to the demo campaign, sessions for them, and enough extra contacts to keep
 * them busy. Each simulated agent desktop opens the event stream, goes Ready, and on `attempt.connected` records
 * `receivedAt - event.at` (the server stamps `at` when it publishes the connect event; same machine, same clock),
 * then hangs up after a short talk, saves a disposition and takes the next call. The figure is what an agent's
 * browser waits for before it can draw the screen pop (drawing is one React state update on top).
 *
 *   npm run bench:web [-- --agents 200 --seconds 90 --port 0]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { migrate, openStore } from '@outdial/store/database';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import type { NewContact } from '@outdial/store/repositories/contacts.repository';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { SessionsRepository } from '@outdial/store/repositories/sessions.repository';
import { UsersRepository } from '@outdial/store/repositories/users.repository';
import { seedDemo, DEMO_CAMPAIGN } from '@outdial/server/demo/demo-seed';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const { values } = parseArgs({
  options: { agents: { type: 'string', default: '200' }, seconds: { type: 'string', default: '90' }, contacts: { type: 'string', default: '20000' } },
});
const AGENTS = Number(values.agents);
const SECONDS = Number(values.seconds);
const EXTRA_CONTACTS = Number(values.contacts);

/** Area codes across the US zones, so that at any hour many contacts are inside their calling window. */
const AREAS = [
  ['212', 'NY', '10001'], ['617', 'MA', '02108'], ['305', 'FL', '33101'], ['404', 'GA', '30301'], ['312', 'IL', '60601'], ['214', 'TX', '75201'],
  ['303', 'CO', '80202'], ['602', 'AZ', '85001'], ['415', 'CA', '94102'], ['206', 'WA', '98101'], ['907', 'AK', '99501'], ['808', 'HI', '96813'],
  ['671', 'GU', '96910'],
] as const;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => ok(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface Agent {
  id: string;
  cookie: string;
  csrf: string;
}

async function prepareStore(dbUrl: string): Promise<Agent[]> {
  const store = await openStore(dbUrl);
  try {
    await migrate(store.db);
    const now = Date.now();
    await seedDemo(store.db, now);
    const campaigns = new CampaignsRepository(store.db);
    const campaign = await campaigns.findByName(DEMO_CAMPAIGN);
    if (!campaign) throw new Error('the demo campaign was not seeded');
    const listId = campaign.listIds[0];
    if (listId === undefined || !(await new ListsRepository(store.db).get(listId))) throw new Error('the demo campaign has no list');

    const contacts: NewContact[] = [];
    for (let i = 0; i < EXTRA_CONTACTS; i++) {
      const [npa, region, postal] = AREAS[i % AREAS.length] as (typeof AREAS)[number];
      const serial = Math.floor(i / AREAS.length);
      const exchange = 200 + (serial % 700);
      const line = String(1000 + Math.floor(serial / 700)).padStart(4, '0');
      contacts.push({
        listId, phone: `+1${npa}${exchange === 555 ? 556 : exchange}${line}`, firstName: `Bench${i}`, lastName: 'Contact', region, postalCode: postal, country: 'US',
        lineType: 'landline', attributes: { benchRow: i }, importKey: `ws-bench-${i}`, sourceRow: i + 1,
      });
    }
    for (let i = 0; i < contacts.length; i += 1000) {
      const result = await new ContactsRepository(store.db).insertMany(contacts.slice(i, i + 1000), now);
      if (!result.ok) throw new Error(`bench contacts: ${result.message}`);
    }

    const users = new UsersRepository(store.db, { cost: 1024 });
    const sessions = new SessionsRepository(store.db);
    const agents: Agent[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const created = await users.create({ username: `bench${i}`, displayName: `Bench Agent ${i}`, role: 'agent', password: 'bench-password', now });
      if (!created.ok) throw new Error(created.message);
      await campaigns.assignAgent(campaign.id, created.value.id);
      const session = await sessions.create({ userId: created.value.id, now, ttlMs: 3_600_000 });
      agents.push({ id: created.value.id, cookie: `outdial_sid=${session.id}`, csrf: session.csrfToken });
    }
    return agents;
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'outdial-ws-bench-'));
  const dbUrl = `sqlite:${join(dir, 'bench.db')}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  console.log(`preparing: ${AGENTS} agents, ${EXTRA_CONTACTS} extra contacts (${dbUrl})`);
  const agents = await prepareStore(dbUrl);

  const child = spawn(process.execPath, ['bin/outdial.mjs', 'start', '--demo', '--port', String(port), '--db', dbUrl, '--log-level', 'error'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (c: Buffer) => { log += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { log += c.toString(); });
  const sockets: WebSocket[] = [];
  try {
    const started = Date.now();
    while (!/running on/i.test(log)) {
      if (child.exitCode !== null) throw new Error(`the server exited:\n${log}`);
      if (Date.now() - started > 120_000) throw new Error(`the server did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const latencies: number[] = [];
    let events = 0;
    let commandErrors = 0;
    let stopping = false;
    const post = async (agent: Agent, path: string, body: unknown = {}): Promise<number> => {
      const res = await fetch(`${base}/api/v1/agent/${path}`, {
        method: 'POST', headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrf, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      if (!res.ok) commandErrors++;
      return res.status;
    };

    await Promise.all(agents.map((agent) => new Promise<void>((ok, fail) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/events`, { headers: { cookie: agent.cookie } });
      sockets.push(ws);
      ws.once('open', () => ok());
      ws.once('error', fail);
      ws.on('message', (data: Buffer) => {
        const receivedAt = Date.now();
        const event = JSON.parse(data.toString()) as { at: number; type: string; payload: Record<string, unknown> };
        events++;
        if (event.type === 'attempt.connected' && event.payload['agentId'] === agent.id) {
          latencies.push(receivedAt - event.at);
          // talk a little, hang up, then wrap up once the call has ended
          setTimeout(() => { if (!stopping) void post(agent, 'hangup'); }, 1500 + Math.floor(Math.random() * 2500));
        }
        if (event.type === 'agent.state' && event.payload['agentId'] === agent.id && event.payload['to'] === 'wrap_up' && !stopping) {
          setTimeout(() => { if (!stopping) void post(agent, 'disposition', { code: 'not_interested' }); }, 300);
        }
      });
    })));
    console.log(`${sockets.length} agent WebSockets open; all agents go Ready`);
    await Promise.all(agents.map((a) => post(a, 'ready')));

    const loadBefore = loadavg()[0] ?? 0;
    const runStart = Date.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    stopping = true;
    const elapsed = (Date.now() - runStart) / 1000;

    const sorted = [...latencies].sort((a, b) => a - b);
    const fmt = (n: number) => (Number.isFinite(n) ? `${n} ms` : 'n/a');
    console.log('');
    console.log(`agents (WebSockets) ............ ${sockets.length}`);
    console.log(`run ............................ ${elapsed.toFixed(0)} s`);
    console.log(`screen pops (attempt.connected)  ${sorted.length}`);
    console.log(`stream messages received ....... ${events} (${(events / elapsed).toFixed(0)}/s over all sockets)`);
    console.log(`screen-pop delay p50 ........... ${fmt(percentile(sorted, 50))}`);
    console.log(`screen-pop delay p95 ........... ${fmt(percentile(sorted, 95))}`);
    console.log(`screen-pop delay p99 ........... ${fmt(percentile(sorted, 99))}`);
    console.log(`screen-pop delay max ........... ${fmt(sorted.at(-1) ?? NaN)}`);
    console.log(`agent commands refused ......... ${commandErrors}`);
    console.log(`load average (1 min) ........... ${loadBefore.toFixed(2)} → ${(loadavg()[0] ?? 0).toFixed(2)} on ${(await import('node:os')).cpus().length} cores`);
    if (sorted.length === 0) process.exitCode = 1;
  } finally {
    for (const ws of sockets) ws.terminate();
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
