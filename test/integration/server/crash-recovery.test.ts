import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '@outdial/store/database';
import type { OpenedStore } from '@outdial/store/database';

const root = new URL('../../../', import.meta.url).pathname;

/** Starts `outdial start --demo` as a child process and resolves with its URL once it listens. */
function startChild(db: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const args = ['start', '--demo', '--port', '0', '--host', '127.0.0.1', '--db', db, '--sim-scenario', join(root, 'test/fixtures/fast-scenario.json')];
    const child = spawn(process.execPath, [join(root, 'bin/outdial.mjs'), ...args], {
      cwd: root, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${err}`)), 60_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const match = /running on (http:\/\/\S+)/.exec(err);
      if (match?.[1]) { clearTimeout(timer); resolve({ child, url: match[1] }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited with ${code}: ${err}`)); });
  });
}

// The test reads the store directly, as an auditor would.
async function counts(store: OpenedStore): Promise<{ open: string[]; dispositions: string[] }> {
  const open = await store.db.selectFrom('attempts').select('id').where('ended_at', 'is', null).execute();
  const dispositions = await store.db.selectFrom('dispositions').select('id').execute();
  return { open: open.map((a) => a.id), dispositions: dispositions.map((d) => d.id) };
}

/** As the agent desktop does: sign in, go Ready, take a call, save a disposition. Returns the acknowledged attempt. */
async function dispositionThroughApi(url: string): Promise<string> {
  const signIn = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent1', password: 'demo' }) });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
  expect((await fetch(`${url}/api/v1/agent/ready`, { method: 'POST', headers, body: '{}' })).status).toBe(200);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const me = (await (await fetch(`${url}/api/v1/agent/me`, { headers })).json()) as { state: string; call: { attemptId: string } | null };
    if ((me.state === 'on_call' || me.state === 'wrap_up') && me.call) {
      const saved = await fetch(`${url}/api/v1/agent/disposition`, { method: 'POST', headers, body: JSON.stringify({ code: 'sale', notes: 'acknowledged, then the server died' }) });
      expect(saved.status).toBe(200);
      return me.call.attemptId;
    }
    if (Date.now() > deadline) throw new Error('agent1 got no call');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a demo server killed with SIGKILL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'outdial-crash-'));
  const db = `sqlite:${join(dir, 'outdial.db')}`;
  const children: ChildProcess[] = [];
  afterAll(() => { for (const c of children) c.kill('SIGKILL'); });

  it('loses no disposition and leaves no attempt in progress after a restart', async () => {
    const first = await startChild(db);
    children.push(first.child);
    const store = await openStore(db);
    try {
      // Let the simulated agents take calls and store dispositions, while calls are in flight.
      let before = await counts(store);
      const deadline = Date.now() + 90_000;
      while ((before.dispositions.length < 2 || before.open.length === 0) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        before = await counts(store);
      }
      expect(before.dispositions.length).toBeGreaterThanOrEqual(2);
      expect(before.open.length).toBeGreaterThan(0);
      // The server said "saved" to an agent: that disposition must survive the crash that follows at once.
      const acknowledged = await dispositionThroughApi(first.url);
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      const afterKill = await counts(store);
      for (const id of before.dispositions) expect(afterKill.dispositions).toContain(id);

      const second = await startChild(db);
      children.push(second.child);
      const afterRestart = await counts(store);
      // Every attempt the killed server left open is closed at start, as interrupted; new calls may be in flight.
      const leftOpen = await store.db.selectFrom('attempts').select(['id', 'outcome', 'ended_at'])
        .where('id', 'in', afterKill.open).execute();
      expect(leftOpen.length).toBe(afterKill.open.length);
      for (const attempt of leftOpen) {
        expect(attempt.ended_at).not.toBeNull();
        expect(attempt.outcome).toBe('interrupted');
      }
      for (const id of afterKill.dispositions) expect(afterRestart.dispositions).toContain(id);
      const kept = await store.db.selectFrom('dispositions').select(['code', 'notes']).where('attempt_id', '=', acknowledged).executeTakeFirst();
      expect(kept).toEqual({ code: 'sale', notes: 'acknowledged, then the server died' });
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    } finally {
      await store.close();
    }
  });
});
