import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '@outdial/core/compliance/decide';
import type { ComplianceRequest, ComplianceHistoryEntry, HistoryOutcome } from '@outdial/core/compliance/types';

const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2028, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Numbers across single-zone, multi-zone, no-DST, overlay, state-rule and non-NANP cases. */
const PHONES = ['+12122010123', '+16022010131', '+18502010142', '+19288710155', '+13642010142', '+14012010175', '+18012010170',
  '+13052010180', '+14052010133', '+12142010111', '+19072010100', '+18082010100', '+17872010100', '+16712010100', '+15412010100',
  '+18002010100', '+447400123456', '+37126123456', '+14162010100', '+4915123456789'];
const OUTCOMES: HistoryOutcome[] = ['no_answer', 'busy', 'failed', 'voicemail', 'machine', 'answered', 'abandoned', 'amd_hangup'];

const instant = fc.integer({ min: FROM / 1000, max: TO / 1000 }).map((s) => s * 1000);

function history(at: number): fc.Arbitrary<ComplianceHistoryEntry[]> {
  return fc.array(
    fc.record({
      before: fc.integer({ min: 1, max: 10 * 24 * 3600 }),
      outcome: fc.constantFrom(...OUTCOMES),
      conversation: fc.boolean(),
      subject: fc.constantFrom('solar', 'other'),
    }),
    { maxLength: 9 },
  ).map((entries) => entries.map((e) => ({
    at: iso(at - e.before * 1000),
    seller: 'Acme',
    subject: e.subject,
    debtId: 'D-1',
    outcome: e.outcome,
    conversation: e.conversation,
  })));
}

const request: fc.Arbitrary<ComplianceRequest> = instant.chain((at) =>
  fc.record({
    phone: fc.constantFrom(...PHONES),
    purpose: fc.constantFrom('telemarketing', 'debt_collection', 'informational', 'survey'),
    dialMode: fc.constantFrom('manual', 'preview', 'progressive', 'predictive'),
    postalCode: fc.constantFrom(undefined, '42101', '94110', '10001', '32501'),
    written: fc.boolean(),
    history: history(at),
  }).map((r): ComplianceRequest => {
    const country = r.phone.startsWith('+44') ? 'GB' : r.phone.startsWith('+371') ? 'LV' : r.phone.startsWith('+49') ? 'DE' : 'US';
    return {
      id: 'p',
      at: iso(at),
      phone: r.phone,
      country,
      campaign: { purpose: r.purpose as 'telemarketing', dialMode: r.dialMode as 'manual', seller: 'Acme', subject: 'solar' },
      contact: {
        ...(r.postalCode && country === 'US' ? { postalCode: r.postalCode } : {}),
        debtId: 'D-1',
        reassigned: 'no',
        consents: r.written ? [{ kind: 'written', at: '2023-01-01T00:00:00Z', scope: 'all' }] : [],
      },
      lists: { nationalDncSyncedAt: iso(at - 2 * 86_400_000).slice(0, 10) },
      history: r.history,
    };
  }),
);

function localHourMinute(zone: string, at: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 3600 + get('minute') * 60 + get('second');
}

const RUNS = { numRuns: 300, seed: 20261127 };

describe('decide: properties', () => {
  it('never allows a US call outside 08:00-21:00 in any candidate zone', () => {
    fc.assert(fc.property(request, (req) => {
      const decision = decide(req);
      if (decision.verdict !== 'allow' || !decision.evidence.jurisdictions.includes('US')) return;
      for (const zone of decision.evidence.zones) {
        const seconds = localHourMinute(zone, req.at);
        expect(seconds, `${zone} ${req.at}`).toBeGreaterThanOrEqual(8 * 3600);
        expect(seconds, `${zone} ${req.at}`).toBeLessThan(21 * 3600);
      }
    }), RUNS);
  });

  it('gives a minimal notBefore: allowed then, not allowed one second earlier', () => {
    fc.assert(fc.property(request, (req) => {
      const decision = decide(req);
      if (decision.verdict !== 'defer') return;
      expect(decision.notBefore).not.toBeNull();
      const notBefore = Date.parse(decision.notBefore ?? '');
      expect(notBefore).toBeGreaterThan(Date.parse(req.at));
      expect(decide({ ...req, at: iso(notBefore) }).verdict, `at ${decision.notBefore}`).toBe('allow');
      expect(decide({ ...req, at: iso(notBefore - 1000) }).verdict).not.toBe('allow');
    }), RUNS);
  });

  it('never turns block or defer into allow when a restriction is added', () => {
    const restriction = fc.constantFrom<(r: ComplianceRequest) => ComplianceRequest>(
      (r) => ({ ...r, lists: { ...r.lists, nationalDnc: true } }),
      (r) => ({ ...r, lists: { ...r.lists, internalDnc: true } }),
      (r) => ({ ...r, lists: { ...r.lists, tps: true } }),
      (r) => ({ ...r, lists: { ...r.lists, litigator: true } }),
      (r) => ({ ...r, lists: { ...r.lists, stateDnc: ['TX', 'FL'] } }),
      (r) => ({ ...r, history: [...(r.history ?? []), { at: iso(Date.parse(r.at) - 3_600_000), seller: 'Acme', subject: 'solar', debtId: 'D-1', outcome: 'abandoned', conversation: true }] }),
      (r) => ({ ...r, contact: { ...r.contact, consents: (r.contact?.consents ?? []).map((c) => ({ ...c, revokedAt: iso(Date.parse(r.at) - 1000) })) } }),
      (r) => ({ ...r, contact: { ...r.contact, dncRequestAt: iso(Date.parse(r.at) - 86_400_000) } }),
      (r) => ({ ...r, contact: { ...r.contact, reassigned: 'yes' } }),
    );
    fc.assert(fc.property(request, restriction, (req, restrict) => {
      const before = decide(req);
      if (before.verdict === 'allow') return;
      expect(decide(restrict(req)).verdict).not.toBe('allow');
    }), RUNS);
  });

  it('blocks bad input as invalid_number and never throws', () => {
    const junk = fc.oneof(fc.string(), fc.constantFrom('+1', '+999123456789', '+12125550123', '(900) 201-0123', '', '++1212', '+1212201012345'));
    fc.assert(fc.property(junk, fc.oneof(fc.string(), fc.constantFrom('ZZ', 'US', 'GB', 'XX')), fc.oneof(fc.string(), fc.constant('00000')), (phone, country, postalCode) => {
      const decision = decide({ id: 'junk', at: '2026-03-09T16:00:00Z', phone, country, contact: { postalCode } });
      expect(['allow', 'defer', 'block']).toContain(decision.verdict);
      if (decision.reasons.some((r) => r.category === 'invalid_number')) expect(decision.verdict).toBe('block');
    }), { numRuns: 500, seed: 7 });
    for (const at of ['2026-02-30T10:00:00Z', 'yesterday', '2026-03-09T10:00:00', '', '2026-13-01T00:00:00Z']) {
      const decision = decide({ id: 'bad-at', at, phone: '+12122010123' });
      expect(decision.verdict).toBe('block');
      expect(decision.reasons[0]?.category).toBe('invalid_number');
    }
    for (const [phone, country, postalCode] of [['+12122010123', 'US', '00000'], ['2122010123', 'ZZ', undefined], ['+12125550123', 'US', undefined], ['hello', 'US', undefined]]) {
      const decision = decide({ id: 'bad', at: '2026-03-09T16:00:00Z', phone: phone ?? '', country: country ?? 'US', contact: postalCode ? { postalCode } : {} });
      expect(decision).toMatchObject({ verdict: 'block', reasons: [{ category: 'invalid_number' }] });
    }
    expect(decide(null as unknown as ComplianceRequest).verdict).toBe('block');
    expect(decide({ id: 'odd', at: '2026-03-09T16:00:00Z', phone: '+12122010123', history: 'x', contact: { consents: [null, 3] }, lists: 7 } as unknown as ComplianceRequest).verdict).not.toBe('allow');
    for (const odd of [{ history: 'x' }, { lists: 7 }, { lists: { stateDnc: 'TX' } }, { contact: { consents: 'written' } }, { campaign: [] }]) {
      const decision = decide({ id: 'odd', at: '2026-03-09T16:00:00Z', phone: '+12122010123', ...odd } as unknown as ComplianceRequest);
      expect(decision, JSON.stringify(odd)).toMatchObject({ verdict: 'block', reasons: [{ category: 'invalid_number', rule: 'REQUEST-FIELDS' }] });
    }
  });
});
