import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningServer } from '@outdial/server/server';
import { signIn, startDemoServer } from './server-harness.ts';

interface StreamMessage { seq: number; type: string; payload: Record<string, unknown> }

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function collect(url: string, cookie: string, count: number): Promise<StreamMessage[]> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { cookie } });
    const messages: StreamMessage[] = [];
    const timer = setTimeout(() => { socket.close(); reject(new Error(`only ${messages.length} of ${count} events arrived`)); }, 30_000);
    socket.on('message', (data) => {
      if (messages.length >= count) return;
      messages.push(JSON.parse(String(data)) as StreamMessage);
      if (messages.length === count) { clearTimeout(timer); socket.close(); resolve(messages); }
    });
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

describe('HTTP API and event stream (demo server, SQLite)', () => {
  let server: RunningServer;
  beforeAll(async () => { server = await startDemoServer(); });
  afterAll(async () => { await server?.close(); });

  it('seeds demo lists that share no phone number (a practice call never rings a demo contact)', async () => {
    const rows = await server.store.db.selectFrom('contacts').select(['phone', 'list_id']).execute();
    const listsOf = new Map<string, Set<string>>();
    for (const r of rows) listsOf.set(r.phone, (listsOf.get(r.phone) ?? new Set()).add(r.list_id));
    expect(new Set(rows.map((r) => r.list_id)).size).toBeGreaterThanOrEqual(2);
    expect(rows.some((r) => r.phone.startsWith('+44'))).toBe(true);
    expect([...listsOf].filter(([, lists]) => lists.size > 1).map(([phone]) => phone)).toEqual([]);
  });

  it('refuses a wrong password with an error code, and anonymous access', async () => {
    const bad = await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'supervisor', password: 'nope' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ error: { code: 'OUTDIAL_ERR_AUTH_INVALID' } });
    const anon = await server.app.inject({ method: 'GET', url: '/api/v1/floor' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toMatchObject({ error: { code: 'OUTDIAL_ERR_AUTH_REQUIRED' } });
  });

  it('decides access on the matched route, so an encoded path cannot slip past sign-in', async () => {
    for (const [method, url] of [['GET', '/%61pi/v1/floor'], ['GET', '/%61pi/v1/campaigns'], ['POST', '/%61pi/v1/users'], ['GET', '/api/v1/%66loor']] as const) {
      const response = await server.app.inject({ method, url, payload: method === 'POST' ? { username: 'x', password: 'y' } : undefined });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('sets an HTTP-only session cookie and answers who is signed in', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'admin', password: 'demo' } });
    const cookie = response.cookies.find((c) => c.name === 'outdial_sid');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    const me = await server.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: `outdial_sid=${cookie?.value}` } });
    expect(me.json()).toMatchObject({ user: { username: 'admin', role: 'admin' } });
  });

  it('enforces roles and CSRF on the server', async () => {
    const agent = await signIn(server, 'agent1');
    const floor = await server.app.inject({ method: 'GET', url: '/api/v1/floor', headers: { cookie: agent.cookie } });
    expect(floor.statusCode).toBe(403);
    expect(floor.json()).toMatchObject({ error: { code: 'OUTDIAL_ERR_FORBIDDEN' } });
    const noToken = await server.app.inject({ method: 'POST', url: '/api/v1/agent/ready', headers: { cookie: agent.cookie } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json()).toMatchObject({ error: { code: 'OUTDIAL_ERR_CSRF' } });
    const campaigns = await server.app.inject({ method: 'GET', url: '/api/v1/campaigns', headers: { cookie: agent.cookie } });
    expect((campaigns.json() as Array<{ name: string }>).map((c) => c.name).sort()).toEqual(['Demo campaign', 'Practice campaign']);
  });

  it('shows the demo campaign dialing on the simulated carrier, with counters that move', async () => {
    const supervisor = await signIn(server, 'supervisor');
    const dialed = await until('the demo campaign to dial', async () => {
      const floor = (await server.app.inject({ method: 'GET', url: '/api/v1/floor', headers: { cookie: supervisor.cookie } })).json() as {
        campaigns: Array<{ name: string; status: string; calls: number }>; agents: Array<{ username: string; state: string }>;
      };
      const demo = floor.campaigns.find((c) => c.name === 'Demo campaign');
      return demo && demo.calls > 0 ? floor : undefined;
    });
    expect(dialed.campaigns.find((c) => c.name === 'Demo campaign')?.status).toBe('running');
    expect(dialed.agents.map((a) => a.username).sort()).toEqual(['agent2', 'agent3']);
  });

  it('lets an agent go ready and pause with a reason', async () => {
    const agent = await signIn(server, 'agent1');
    const headers = { cookie: agent.cookie, 'x-csrf-token': agent.csrf };
    const ready = await server.app.inject({ method: 'POST', url: '/api/v1/agent/ready', headers });
    expect(ready.statusCode).toBe(200);
    expect(['ready', 'reserved', 'on_call']).toContain((ready.json() as { state: string }).state);
    const pause = await server.app.inject({ method: 'POST', url: '/api/v1/agent/pause', headers, payload: { reason: 'Break' } });
    expect(pause.statusCode).toBe(200);
    const hangupIdle = await server.app.inject({ method: 'POST', url: '/api/v1/agent/hangup', headers });
    expect([200, 409]).toContain(hangupIdle.statusCode);
  });

  it('validates campaign changes at the edge and through the compliance engine', async () => {
    const admin = await signIn(server, 'admin');
    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const list = (await server.app.inject({ method: 'GET', url: '/api/v1/campaigns', headers })).json() as Array<{ id: string; name: string }>;
    const demo = list.find((c) => c.name === 'Demo campaign');
    const tooHigh = await server.app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${demo?.id}`, headers, payload: { abandonTarget: 0.05 } });
    expect(tooHigh.statusCode).toBe(400);
    expect(tooHigh.json()).toMatchObject({ error: { code: 'OUTDIAL_ERR_VALIDATION' } });
    const shortRing = await server.app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${demo?.id}`, headers, payload: { ringTimeoutSeconds: 10 } });
    expect(shortRing.statusCode).toBe(422);
    expect(shortRing.json()).toMatchObject({ error: { code: 'OUTDIAL_ERR_CAMPAIGN_INVALID' } });
    const ok = await server.app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${demo?.id}`, headers, payload: { abandonTarget: 0.02 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ abandonTarget: 0.02 });
    // a disposition flagged as an answering machine keeps its flag (the dialer leaves such calls out of live answers)
    const dispositions = [...(ok.json() as { dispositions: Array<Record<string, unknown>> }).dispositions,
      { code: 'answering_machine', label: 'Answering machine', action: 'retry', retryAfterMinutes: 240, machine: true }];
    const withMachine = await server.app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${demo?.id}`, headers, payload: { dispositions } });
    expect(withMachine.statusCode, withMachine.body).toBe(200);
    const stored = (await server.app.inject({ method: 'GET', url: `/api/v1/campaigns/${demo?.id}`, headers })).json() as { dispositions: Array<{ code: string; machine?: boolean }> };
    expect(stored.dispositions.find((d) => d.code === 'answering_machine')).toMatchObject({ machine: true });
    const notBoolean = await server.app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${demo?.id}`, headers, payload: { dispositions: dispositions.map((d) => ({ ...d, machine: 'yes' })) } });
    expect(notBoolean.statusCode).toBe(400);
  });

  it('publishes OpenAPI at /api/docs', async () => {
    const spec = (await server.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/session', '/api/v1/campaigns', '/api/v1/floor', '/api/v1/agent/disposition', '/api/v1/attempts']) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
  });

  it('streams ordered events and resumes after a reconnect without gaps or repeats', async () => {
    const supervisor = await signIn(server, 'supervisor');
    const base = server.url.replace('http', 'ws');
    const first = await collect(`${base}/api/v1/events?since=0`, supervisor.cookie, 30);
    const seqs = first.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const resumeFrom = seqs[9] ?? 0;
    const resumed = await collect(`${base}/api/v1/events?since=${resumeFrom}`, supervisor.cookie, 20);
    expect(resumed.map((m) => m.seq)).toEqual(seqs.slice(10, 30));
  });
});
