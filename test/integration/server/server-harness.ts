import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ComplianceGate } from '@outdial/core/compliance/types';
import { startServer } from '@outdial/server/server';
import type { RunningServer } from '@outdial/server/server';

export const quietLog = { info: () => undefined, error: (msg: string, error?: unknown) => console.error(msg, error) };

/** A demo server on a free port with its own SQLite file (or the given store URL). */
export const FAST_SCENARIO = new URL('../../fixtures/fast-scenario.json', import.meta.url).pathname;

export async function startDemoServer(options: { db?: string; gate?: ComplianceGate; fast?: boolean } = {}): Promise<RunningServer> {
  const db = options.db ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'outdial-test-')), 'outdial.db')}`;
  const input = { port: 0, host: '127.0.0.1', db, demo: true, logLevel: 'silent', ...(options.fast ? { simScenario: FAST_SCENARIO } : {}) };
  return startServer(input, quietLog, options.gate ? { gate: options.gate } : {});
}

/** Signs in through the API and returns what later requests need. */
export async function signIn(server: RunningServer, username: string, password = 'demo'): Promise<{ cookie: string; csrf: string }> {
  const response = await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
  if (response.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'outdial_sid');
  if (!cookie) throw new Error('no session cookie');
  return { cookie: `outdial_sid=${cookie.value}`, csrf: (response.json() as { csrfToken: string }).csrfToken };
}
