import { describe, expect, it } from 'vitest';
import { decide } from '@outdial/core/compliance/decide';
import type { ComplianceRequest, ComplianceHistoryEntry } from '@outdial/core/compliance/types';

/** A manual cold call (no consent can lift a window), fresh registry copy, nothing on any list. */
function call(phone: string, at: string, extra: Partial<ComplianceRequest> = {}): ComplianceRequest {
  return {
    id: 't', at, phone,
    campaign: { purpose: 'telemarketing', dialMode: 'manual', seller: 'Acme', subject: 'solar', ...extra.campaign },
    contact: { ...extra.contact },
    lists: { nationalDncSyncedAt: at.slice(0, 8) + '01', ...extra.lists },
    ...(extra.history ? { history: extra.history } : {}),
    ...(extra.country ? { country: extra.country } : {}),
    ...(extra.campaignWindow ? { campaignWindow: extra.campaignWindow } : {}),
  };
}
const debt = { purpose: 'debt_collection' as const, dialMode: 'manual' as const, seller: 'Northfield' };
function summary(request: ComplianceRequest) {
  const d = decide(request);
  return { verdict: d.verdict, notBefore: d.notBefore, categories: [...new Set(d.reasons.map((r) => r.category))] };
}

describe('holiday calendars and day bans', () => {
  it('blocks the observed and the actual date of a weekend holiday in Rhode Island', () => {
    // 4 July 2026 is a Saturday, observed Friday 3 July.
    expect(summary(call('+14012010175', '2026-07-03T15:00:00Z'))).toEqual({ verdict: 'defer', notBefore: '2026-07-06T13:00:00Z', categories: ['day_ban'] });
  });
  it('knows Pennsylvania Election Day and Good Friday', () => {
    expect(summary(call('+12152010100', '2026-11-03T15:00:00Z'))).toEqual({ verdict: 'defer', notBefore: '2026-11-04T13:00:00Z', categories: ['day_ban'] });
    expect(summary(call('+12152010100', '2027-03-26T15:00:00Z'))).toMatchObject({ verdict: 'defer', categories: ['day_ban'] });
  });
  it('knows Mardi Gras in Louisiana and Sundays in Alabama', () => {
    expect(summary(call('+15042010100', '2027-02-09T16:00:00Z'))).toMatchObject({ verdict: 'defer', notBefore: '2027-02-10T14:00:00Z', categories: ['day_ban'] });
    expect(summary(call('+12052010100', '2026-06-14T16:00:00Z'))).toMatchObject({ verdict: 'defer', notBefore: '2026-06-15T13:00:00Z', categories: ['day_ban'] });
  });
  it('opens Texas at noon on Sundays', () => {
    expect(summary(call('+12142010111', '2026-06-14T16:00:00Z'))).toEqual({ verdict: 'defer', notBefore: '2026-06-14T17:00:00Z', categories: ['calling_hours'] });
  });
  it('keeps Latvian debt collection off Sundays and moved holidays', () => {
    const lv = (at: string) => call('+37126123456', at, { country: 'LV', campaign: debt });
    expect(summary(lv('2026-06-14T09:00:00Z'))).toEqual({ verdict: 'defer', notBefore: '2026-06-15T05:00:00Z', categories: ['day_ban'] });
    // 18 November 2028 is a Saturday: the holiday moves to Monday 20 November.
    expect(summary(lv('2028-11-20T09:00:00Z'))).toEqual({ verdict: 'defer', notBefore: '2028-11-21T06:00:00Z', categories: ['day_ban'] });
    expect(summary(lv('2026-06-16T19:30:00Z'))).toEqual({ verdict: 'defer', notBefore: '2026-06-17T05:00:00Z', categories: ['calling_hours'] });
  });
});

describe('zones', () => {
  it('applies the Aleutian zone for Alaska numbers', () => {
    // 08:30 AKST is 07:30 HAST on Adak: wait for 08:00 HAST = 18:00Z.
    expect(summary(call('+19072010100', '2026-01-13T17:30:00Z'))).toEqual({ verdict: 'defer', notBefore: '2026-01-13T18:00:00Z', categories: ['calling_hours'] });
  });
  it('uses Guam local time (a day ahead of the mainland)', () => {
    expect(summary(call('+16712010100', '2026-01-13T12:00:00Z'))).toEqual({ verdict: 'defer', notBefore: '2026-01-13T22:00:00Z', categories: ['calling_hours'] });
  });
  it('takes every state into account for a toll-free number', () => {
    const decision = decide(call('+18002010100', '2026-01-13T14:30:00Z'));
    expect(decision.verdict).toBe('defer');
    // Rhode Island opens at 09:00 Eastern, Hawaii at 08:00 HST: not before 18:00Z.
    expect(Date.parse(decision.notBefore ?? '')).toBeGreaterThanOrEqual(Date.parse('2026-01-13T18:00:00Z'));
  });
});

describe('frequency and cool-downs', () => {
  const h = (at: string, extra: Partial<ComplianceHistoryEntry> = {}): ComplianceHistoryEntry => ({ at, seller: 'Northfield', debtId: 'D-9', outcome: 'no_answer', ...extra });
  it('caps Massachusetts debt calls at 2 per 7 days, with the counted attempt ids in the evidence', () => {
    const request = call('+16172010100', '2026-05-12T15:00:00Z', { campaign: debt, contact: { debtId: 'D-9' }, history: [h('2026-05-06T14:00:00Z', { attemptId: 'a1' }), h('2026-05-11T14:00:00Z', { attemptId: 'a2' })] });
    const decision = decide(request);
    expect(decision).toMatchObject({ verdict: 'defer', notBefore: '2026-05-13T14:00:00Z', reasons: [{ category: 'frequency', jurisdiction: 'US-MA' }] });
    const counters = decision.evidence['counters'] as Array<{ rule: string; detail: { attemptIds: string[] } }>;
    expect(counters.find((c) => c.rule === 'US-MA-DEBT-2-PER-7-DAYS')?.detail.attemptIds).toEqual(['a1', 'a2']);
  });
  it('replays Maryland before its cap was in force', () => {
    const history = ['13:00', '14:00', '15:00'].map((t) => ({ at: `2023-09-12T${t}:00Z`, seller: 'Acme', subject: 'solar', outcome: 'answered' as const }));
    expect(summary(call('+14102010100', '2023-09-12T16:00:00Z', { history })).verdict).toBe('allow');
    const later = ['13:00', '14:00', '15:00'].map((t) => ({ at: `2024-09-12T${t}:00Z`, seller: 'Acme', subject: 'solar', outcome: 'answered' as const }));
    expect(summary(call('+14102010100', '2024-09-12T16:00:00Z', { history: later }))).toEqual({ verdict: 'defer', notBefore: '2024-09-13T13:00:00Z', categories: ['frequency'] });
  });
  it('repeats a UK machine-detected call only after 24 h without a guaranteed agent', () => {
    const uk = (agentGuaranteed: boolean) => call('+447400123456', '2026-11-26T09:00:00Z', {
      country: 'GB', campaign: { purpose: 'telemarketing', dialMode: 'predictive', seller: 'Acme', agentGuaranteed },
      history: [{ at: '2026-11-25T15:00:00Z', outcome: 'amd_hangup' }],
    });
    expect(summary(uk(false))).toEqual({ verdict: 'defer', notBefore: '2026-11-26T15:00:00Z', categories: ['abandon_cooldown'] });
    expect(summary(uk(true)).verdict).toBe('allow');
  });
});

describe('lists, consent and the registry', () => {
  it('blocks a number on a state list, a litigator and a reassigned number', () => {
    expect(summary(call('+12142010111', '2026-06-16T16:00:00Z', { lists: { stateDnc: ['TX'] } }))).toMatchObject({ verdict: 'block', categories: ['dnc_state'] });
    expect(summary(call('+12142010111', '2026-06-16T16:00:00Z', { lists: { litigator: true } }))).toMatchObject({ verdict: 'block', categories: ['litigator'] });
    const consented = { consents: [{ kind: 'written' as const, at: '2025-01-01T00:00:00Z', scope: 'telemarketing' as const }], reassigned: 'yes' as const };
    expect(summary(call('+12122010123', '2026-06-16T16:00:00Z', { campaign: { purpose: 'telemarketing', dialMode: 'predictive', seller: 'Acme' }, contact: consented }))).toMatchObject({ verdict: 'block', categories: ['reassigned'] });
  });
  it('blocks rather than defers when the registry copy goes stale before the window opens', () => {
    // Utah, Saturday 21:30 MDT = Sunday 03:30Z, copy 31 days old: Sunday is banned, and on Monday the copy is 32 days old.
    const request = call('+18012010170', '2026-06-14T03:30:00Z', { lists: { nationalDncSyncedAt: '2026-05-14' } });
    expect(summary(request)).toMatchObject({ verdict: 'block', notBefore: null, categories: ['calling_hours', 'dnc_stale'] });
    expect(summary(call('+18012010170', '2026-06-14T03:30:00Z', { lists: { nationalDncSyncedAt: '2026-05-20' } }))).toMatchObject({ verdict: 'defer', notBefore: '2026-06-15T14:00:00Z' });
  });
  it('needs written consent for automated sales calls into Florida, express is enough for debt collection', () => {
    const express = { consents: [{ kind: 'express' as const, at: '2025-01-01T00:00:00Z', scope: 'all' as const }], reassigned: 'no' as const };
    expect(summary(call('+13052010180', '2026-06-16T16:00:00Z', { campaign: { purpose: 'telemarketing', dialMode: 'predictive', seller: 'Acme' }, contact: express }))).toMatchObject({ verdict: 'block', categories: ['consent'] });
    expect(summary(call('+13052010180', '2026-06-16T16:00:00Z', { campaign: { ...debt, dialMode: 'predictive' }, contact: { ...express, debtId: 'D-1' } })).verdict).toBe('allow');
  });
  it('lets a time consent lift the Reg F window but not a state solicitation window', () => {
    const time = { consents: [{ kind: 'time' as const, at: '2025-01-01T00:00:00Z', scope: 'all' as const }] };
    expect(summary(call('+14042010192', '2026-06-17T02:30:00Z', { campaign: debt, contact: { ...time, debtId: 'D-1' } })).verdict).toBe('allow');
    expect(summary(call('+13052010180', '2026-06-17T00:30:00Z', { contact: time }))).toMatchObject({ verdict: 'defer', categories: ['calling_hours'] });
  });
  it('records the rules version, local times and location sources in the evidence', () => {
    const decision = decide(call('+13642010142', '2026-04-07T14:00:00Z', { contact: { postalCode: '42101' } }));
    expect(decision.evidence.rulesVersion).toMatch(/^outdial-rules-/);
    expect(decision.evidence['localTimes']).toEqual(expect.arrayContaining([{ zone: 'America/Chicago', localTime: '2026-04-07T09:00:00-05:00' }]));
    expect(decision.evidence['locationSources']).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'postal_code', value: '42101' })]));
    expect(decision.evaluated.length).toBeGreaterThan(10);
  });
});

describe('ported numbers', () => {
  it('keeps the landline treatment for 15 days after a port to wireless (47 CFR 64.1200(a)(1)(iv))', () => {
    const ported = (portedToWirelessAt: string) => call('+16142040101', '2026-06-16T16:00:00Z', {
      campaign: { purpose: 'informational', dialMode: 'predictive', seller: 'Acme' },
      contact: { lineType: 'landline', portedToWirelessAt },
    });
    expect(summary(ported('2026-06-06T00:00:00Z')).verdict).toBe('allow');
    expect(summary(ported('2026-05-20T00:00:00Z'))).toMatchObject({ verdict: 'block', categories: ['consent'] });
  });
});
