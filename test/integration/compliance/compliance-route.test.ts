import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@outdial/server/server';
import { signIn, startDemoServer } from '../server/server-harness.ts';

const request = {
  id: 'http-1', at: '2026-03-09T16:00:00Z', phone: '+12122010123',
  campaign: { purpose: 'telemarketing', dialMode: 'manual' }, lists: { nationalDncSyncedAt: '2026-03-04' },
};

describe('POST /api/v1/compliance/check', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('decides one request, or an array with per-element errors', async () => {
    const { cookie, csrf } = await signIn(server, 'supervisor');
    const headers = { cookie, 'x-csrf-token': csrf };
    const one = await server.app.inject({ method: 'POST', url: '/api/v1/compliance/check', headers, payload: request });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: 'http-1', verdict: 'allow', notBefore: null, reasons: [] });

    const many = await server.app.inject({ method: 'POST', url: '/api/v1/compliance/check', headers, payload: [request, { id: 'late', ...{ at: '2026-03-10T02:30:00Z' }, phone: request.phone, campaign: request.campaign, lists: request.lists }, { id: 'no-phone', at: request.at }] });
    expect(many.statusCode).toBe(200);
    expect(many.json()).toMatchObject([
      { id: 'http-1', verdict: 'allow' },
      { id: 'late', verdict: 'defer', notBefore: '2026-03-10T12:00:00Z', reasons: [{ category: 'calling_hours' }] },
      { id: 'no-phone', error: { code: 'missing_field' } },
    ]);

    const bad = await server.app.inject({ method: 'POST', url: '/api/v1/compliance/check', headers, payload: { id: 'x', phone: '+12122010123' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'OUTDIAL_ERR_VALIDATION' } });
  });

  it('is for supervisors and admins only', async () => {
    const { cookie, csrf } = await signIn(server, 'agent2');
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/compliance/check', headers: { cookie, 'x-csrf-token': csrf }, payload: request });
    expect(response.statusCode).toBe(403);
  });

  it('exports TSR 310.5 records as CSV', async () => {
    const { cookie } = await signIn(server, 'admin');
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/compliance/export?telemarketer=Demo%20Center', headers: { cookie } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.body.split('\r\n')[0]).toBe('attemptId,telemarketer,seller,goodOrService,purpose,audience,outbound,prerecorded,callingNumber,callerIdName,calledNumber,dialedAt,answeredAt,durationSeconds,script,disposition,agentDisposition,agentId,dialMode,decisionVerdict,rulesVersion,campaignId,campaignName');
  });
});
