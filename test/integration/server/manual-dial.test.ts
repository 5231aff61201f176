import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NationalRegistry } from '@outdial/contacts/dnc/national-registry';
import { nationalRegistryPath } from '@outdial/contacts/dnc/data-dir';
import { startServer } from '@outdial/server/server';
import type { RunningServer } from '@outdial/server/server';
import { quietLog, signIn } from './server-harness.ts';

const LISTED = '+13125550000'.replace('555', '867');

/** A national registry file with one listed number in area code 312, synced today. */
function writeRegistry(dir: string): void {
  const registry = new NationalRegistry();
  const set = new Uint8Array(1_250_000);
  const subscriber = Number(LISTED.slice(5));
  set[subscriber >> 3] = (set[subscriber >> 3] ?? 0) | (1 << (subscriber & 7));
  registry.replaceAreaCode(312, set, new Date().toISOString().slice(0, 10));
  registry.save(nationalRegistryPath(dir));
}

describe('manual dial through the compliance gate', () => {
  let server: RunningServer;
  let headers: Record<string, string>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outdial-manual-'));
    writeRegistry(dir);
    server = await startServer({ port: 0, host: '127.0.0.1', db: `sqlite:${join(dir, 'outdial.db')}`, demo: true, dataDir: dir, logLevel: 'silent' }, quietLog);
    const agent = await signIn(server, 'agent1');
    headers = { cookie: agent.cookie, 'x-csrf-token': agent.csrf };
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/agent/ready', headers })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/agent/pause', headers, payload: { reason: 'Break' } })).statusCode).toBe(200);
  });
  afterAll(async () => { await server?.close(); });

  it('refuses a number on the national registry, with the reason', async () => {
    const refused = await server.app.inject({ method: 'POST', url: '/api/v1/agent/dial', headers, payload: { phone: `(312) ${LISTED.slice(5, 8)}-${LISTED.slice(8)}` } });
    expect(refused.statusCode).toBe(422);
    const body = refused.json() as { error: { code: string; details: { decision: { verdict: string; reasons: Array<{ category: string }> } } } };
    expect(body.error.code).toBe('OUTDIAL_ERR_COMPLIANCE_REFUSED');
    expect(body.error.details.decision.verdict).toBe('block');
    expect(body.error.details.decision.reasons.map((r) => r.category)).toContain('dnc_national');
  });

  it('refuses a number on the seller\'s internal list', async () => {
    const entry = await server.store.db.selectFrom('dnc_entries').select('phone').where('kind', '=', 'internal').executeTakeFirstOrThrow();
    const refused = await server.app.inject({ method: 'POST', url: '/api/v1/agent/dial', headers, payload: { phone: entry.phone } });
    expect(refused.statusCode).toBe(422);
    const reasons = (refused.json() as { error: { details: { decision: { reasons: Array<{ category: string }> } } } }).error.details.decision.reasons;
    expect(reasons.map((r) => r.category)).toContain('dnc_internal');
  });

  it('says which input is wrong for a number that is not one', async () => {
    const bad = await server.app.inject({ method: 'POST', url: '/api/v1/agent/dial', headers, payload: { phone: '12345' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'OUTDIAL_ERR_VALIDATION' } });
    expect((bad.json() as { error: { message: string } }).error.message).toMatch(/12345/);
  });
});
