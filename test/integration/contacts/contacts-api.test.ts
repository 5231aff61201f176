import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@outdial/server/server';
import { signIn, startDemoServer } from '../server/server-harness.ts';

/** A multipart/form-data body, as a browser would send the upload form. */
function multipart(fields: [string, string][], file: { name: string; content: string }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----outdial${Math.random().toString(36).slice(2)}`;
  const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`);
  parts.push(`--${boundary}--\r\n`);
  return { payload: Buffer.from(parts.join('')), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('contacts API: import upload, segment preview, DNC, export (demo server, SQLite)', () => {
  let server: RunningServer;
  let auth: { cookie: string; csrf: string };
  let listId: string;
  const headers = (): Record<string, string> => ({ cookie: auth.cookie, 'x-csrf-token': auth.csrf });

  beforeAll(async () => {
    server = await startDemoServer();
    auth = await signIn(server, 'admin');
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/lists', headers: headers(), payload: { name: 'api-import' } });
    listId = (created.json() as { id: string }).id;
  });
  afterAll(async () => { await server?.close(); });

  it('imports an uploaded CSV with mappings, and answers the summary', async () => {
    const body = multipart([['map', 'Tel=phone'], ['type', 'score=number']], {
      name: 'leads.csv',
      content: 'Name,Tel,State,Home Owner,score,Bought\nAnn,(212) 201-0123,TX,yes,5,2026-10-01\nBob,=HYPERLINK("x"),FL,no,7,2025-01-01\nCy,212.201.0124,FL,yes,9,2026-11-01\n',
    });
    const response = await server.app.inject({ method: 'POST', url: `/api/v1/lists/${listId}/imports`, headers: { ...headers(), ...body.headers }, payload: body.payload });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ listId, rows: 3, imported: 2, rejected: 1, rejectReasons: { invalid_phone: 1 } });
    const record = await server.app.inject({ method: 'GET', url: `/api/v1/imports/${(response.json() as { importId: string }).importId}`, headers: headers() });
    expect(record.json()).toMatchObject({ status: 'done', rows: 3, imported: 2 });
    const rejected = await server.app.inject({ method: 'GET', url: `/api/v1/imports/${(response.json() as { importId: string }).importId}/rejected`, headers: headers() });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.headers['content-type']).toMatch(/text\/csv/);
    const lines = rejected.body.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^Name,Tel,State,Home Owner,score,Bought,reason,detail$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^Bob,.*invalid_phone/);
  });

  it('reports the list-vendor quality of the list', async () => {
    const response = await server.app.inject({ method: 'GET', url: `/api/v1/lists/${listId}/quality`, headers: headers() });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ listId, contacts: 2, attempted: 0, contactRate: null, conversions: 0, invalidNumbers: 1, costPerSaleCents: null });
  });

  it('answers a bad upload with the import error code', async () => {
    const body = multipart([['map', 'Nope=phone']], { name: 'x.csv', content: 'phone\n2122010123\n' });
    const response = await server.app.inject({ method: 'POST', url: `/api/v1/lists/${listId}/imports`, headers: { ...headers(), ...body.headers }, payload: body.payload });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ error: { code: 'OUTDIAL_ERR_IMPORT_INVALID' } });
    expect((response.json() as { error: { message: string } }).error.message).toContain('Nope');
  });

  it('previews how many contacts a filter selects, and explains a bad filter with its column', async () => {
    const preview = await server.app.inject({
      method: 'POST', url: '/api/v1/segments/preview', headers: headers(),
      payload: { filter: 'homeOwner = true and score >= 5 and bought > now - 365d and region in ("TX", "FL")', listIds: [listId] },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ count: 2, total: 2, attributes: { homeOwner: 'boolean', score: 'number', bought: 'date' } });
    const narrower = await server.app.inject({ method: 'POST', url: '/api/v1/segments/preview', headers: headers(), payload: { filter: 'score > 5', listIds: [listId] } });
    expect(narrower.json()).toMatchObject({ count: 1 });
    const bad = await server.app.inject({ method: 'POST', url: '/api/v1/segments/preview', headers: headers(), payload: { filter: 'score >= "high"', listIds: [listId] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'OUTDIAL_ERR_VALIDATION', details: { column: 10 } } });
  });

  it('adds, finds and removes an internal do-not-call entry, each with a reason', async () => {
    const added = await server.app.inject({ method: 'POST', url: '/api/v1/dnc', headers: headers(), payload: { phone: '(212) 201-0999', reason: 'asked on the phone' } });
    expect(added.json()).toEqual({ phone: '+12122010999', added: 1 });
    const checked = await server.app.inject({ method: 'GET', url: '/api/v1/dnc/check?phone=212.201.0999', headers: headers() });
    expect(checked.json()).toMatchObject({ phone: '+12122010999', lists: [{ kind: 'internal' }] });
    const found = await server.app.inject({ method: 'GET', url: '/api/v1/dnc/entries?q=2122010999', headers: headers() });
    expect(found.json()).toMatchObject([{ phone: '+12122010999', reason: 'asked on the phone' }]);
    const noReason = await server.app.inject({ method: 'POST', url: '/api/v1/dnc/remove', headers: headers(), payload: { phone: '2122010999' } });
    expect(noReason.statusCode).toBe(400);
    const removed = await server.app.inject({ method: 'POST', url: '/api/v1/dnc/remove', headers: headers(), payload: { phone: '2122010999', reason: 'entered by mistake' } });
    expect(removed.json()).toEqual({ phone: '+12122010999', removed: 1 });
    const after = await server.app.inject({ method: 'GET', url: '/api/v1/dnc/check?phone=2122010999', headers: headers() });
    expect(after.json()).toMatchObject({ lists: [] });
  });

  it('loads a do-not-call file upload, and names the line of a bad file', async () => {
    const upload = multipart([['kind', 'state'], ['region', 'tx'], ['syncedAt', '2026-11-20']], { name: 'tx.txt', content: '2122010777\n2122010778\n' });
    const loaded = await server.app.inject({ method: 'POST', url: '/api/v1/dnc/files', headers: { ...headers(), ...upload.headers }, payload: upload.payload });
    expect(loaded.statusCode, loaded.body).toBe(200);
    const check = await server.app.inject({ method: 'GET', url: '/api/v1/dnc/check?phone=(212)%20201-0777', headers: headers() });
    expect(JSON.stringify(check.json())).toMatch(/"kind":"state","region":"TX"/);
    // Reasons and errors name the uploaded file, never the server's temporary copy.
    const entries = await server.app.inject({ method: 'GET', url: '/api/v1/dnc/entries?q=2122010777', headers: headers() });
    expect(JSON.stringify(entries.json())).toContain('"reason":"loaded from tx.txt"');
    const bad = multipart([['kind', 'internal']], { name: 'bad.txt', content: '2122010779\nnot a number\n' });
    const refused = await server.app.inject({ method: 'POST', url: '/api/v1/dnc/files', headers: { ...headers(), ...bad.headers }, payload: bad.payload });
    expect(refused.statusCode).toBe(422);
    expect((refused.json() as { error: { message: string } }).error.message).toMatch(/: bad\.txt, line 2: /);
  });

  it('exports the list as CSV with formula-like cells neutralised', async () => {
    const response = await server.app.inject({ method: 'GET', url: `/api/v1/lists/${listId}/export`, headers: headers() });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = response.body.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("'+12122010123");
    expect(response.body).not.toMatch(/(^|,)[=+\-@]/m);
  });
});
