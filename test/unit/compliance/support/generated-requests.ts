import type { ComplianceHistoryEntry, ComplianceRequest } from '@outdial/core/compliance/types';

/**
 * A seeded, varied set of compliance requests for recording decisions: every kind of location (single- and
 * multi-zone area codes, overlays, ZIPs that add a zone, non-geographic and foreign numbers), every purpose and
 * dial mode, consents with revocations, EBR, lists, histories, abandonment counters, operator options, instants
 * on DST-transition and holiday days, and bad input. Plain arithmetic on a seed (no library), so the same seed
 * gives the same requests on any machine and any version of the test tools.
 */
const DAY = 86_400_000;

const PHONES = ['+12122010123', '+13052010180', '+18502010142', '+13642010142', '+16022010131', '+14012010175', '+12142010111',
  '+18012010170', '+14042010160', '+16142040101', '+19288710155', '+15412010100', '+12702010100', '+19072010100', '+18082010100',
  '+17872010100', '+16712010100', '+18002010100', '+14162010100', '+16042010100', '+12252010100', '+17172010100', '+14102010100',
  '+12062010100', '+14052010133', '+12052010100', '+18602010100', '+16172010100', '+13132010100', '+16122010100', '+16012010100',
  '+14022010100', '+17022010100', '+12012010100', '+15052010100', '+18042010100', '+14352010100', '+447400123456', '+442071234567',
  '+37126123456', '+4915123456789', '+33612345678', '+353871234567', '+34612345678'];
const BAD_PHONES = ['', 'hello', '+999123456', '+1212', '+12125550123', '+19005551234', '+12129761234', '+12121110123', '07400 123456', '(212) 201-0123'];
const POSTCODES = ['42101', '94110', '10001', '32501', '85001', '86044', '97914', '83814', '59001', '00000', 'SW1A 1AA', 'K1A 0B1', 'abc'];
const OUTCOMES = ['no_answer', 'busy', 'failed', 'voicemail', 'machine', 'answered', 'abandoned', 'amd_hangup'] as const;
/** Days around the 2024-2027 US and EU clock changes and several holidays. */
const SPECIAL_DAYS = [Date.UTC(2024, 2, 10), Date.UTC(2024, 10, 3), Date.UTC(2025, 2, 9), Date.UTC(2025, 10, 2), Date.UTC(2026, 2, 8),
  Date.UTC(2026, 10, 1), Date.UTC(2027, 2, 14), Date.UTC(2026, 2, 29), Date.UTC(2026, 9, 25), Date.UTC(2025, 11, 24),
  Date.UTC(2025, 11, 31), Date.UTC(2026, 6, 3), Date.UTC(2026, 10, 26), Date.UTC(2026, 3, 3), Date.UTC(2026, 1, 17),
  Date.UTC(2026, 4, 4), Date.UTC(2026, 10, 18), Date.UTC(2027, 0, 31)];

export function generatedRequests(count: number, seed: number): ComplianceRequest[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const chance = (p: number): boolean => random() < p;
  const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
  const days = (max: number): number => Math.floor(random() * max) * DAY;

  const requests: ComplianceRequest[] = [];
  for (let index = 0; index < count; index += 1) {
    const at = chance(0.3)
      ? pick(SPECIAL_DAYS) - DAY + Math.floor(random() * 3 * 86_400) * 1000
      : Date.UTC(2024, 0, 1) + Math.floor(random() * 4 * 365 * 86_400) * 1000;
    const phone = chance(0.95) ? pick(PHONES) : pick(BAD_PHONES);
    const country = phone.startsWith('+44') ? 'GB' : phone.startsWith('+371') ? 'LV' : phone.startsWith('+49') ? 'DE'
      : phone.startsWith('+33') ? 'FR' : phone.startsWith('+353') ? 'IE' : phone.startsWith('+34') ? 'ES' : pick(['US', 'US', 'US', 'GB', 'ZZ']);
    const consents = Array.from({ length: Math.floor(random() * 3) }, () => ({
      kind: pick(['written', 'express', 'time', 'verbal']) as 'written',
      at: iso(at - days(900) + (chance(0.1) ? 5 * DAY : 0)),
      scope: pick(['telemarketing', 'informational', 'debt_collection', 'all']) as 'all',
      ...(chance(0.2) ? { revokedAt: pick([iso(at - days(100)), iso(at + days(100)), 'unreadable']) } : {}),
    }));
    const history: ComplianceHistoryEntry[] = Array.from({ length: Math.floor(random() * random() * 10) }, (_, k) => ({
      at: iso(at - Math.floor(random() * 10 * 86_400) * 1000 - 1000),
      seller: pick(['Acme', 'Northfield', 'Other']),
      subject: pick(['solar', 'other']),
      debtId: pick(['D-1', 'D-2', null]),
      prerecorded: chance(0.3),
      outcome: pick(OUTCOMES),
      conversation: chance(0.2),
      ...(chance(0.1) ? { attemptId: `a${k}` } : {}),
    }));
    const request: ComplianceRequest = {
      id: `g${index}`,
      at: chance(0.01) ? pick(['2026-02-30T10:00:00Z', '2026-03-09T10:00:00', '2026-03-09T10:00:00+0530', '2026-03-09']) : iso(at),
      phone,
      country,
      campaign: {
        purpose: pick(['telemarketing', 'telemarketing', 'debt_collection', 'informational', 'survey']) as 'telemarketing',
        dialMode: pick(['predictive', 'progressive', 'preview', 'manual']) as 'predictive',
        prerecorded: chance(0.2),
        seller: pick(['Acme', 'Northfield']),
        agentGuaranteed: chance(0.2),
        audience: chance(0.9) ? 'consumer' : 'business',
        ...(chance(0.5) ? { subject: 'solar' } : {}),
      },
      contact: {
        ...(chance(0.4) ? { postalCode: pick(POSTCODES) } : {}),
        ...(chance(0.1) ? { region: pick(['KY', 'US-TX', 'FL', 'ON']) } : {}),
        lineType: pick(['wireless', 'landline', 'unknown']) as 'unknown',
        ...(chance(0.1) ? { portedToWirelessAt: iso(at - days(30)).slice(0, 10) } : {}),
        consents,
        ...(chance(0.2) ? { ebr: { lastTransactionAt: chance(0.5) ? iso(at - days(700)) : null, lastInquiryAt: chance(0.5) ? iso(at - days(120)) : null } } : {}),
        ...(chance(0.05) ? { dncRequestAt: iso(at + days(20) - 10 * DAY) } : {}),
        ...(chance(0.05) ? { objectedAt: iso(at + days(20) - 10 * DAY) } : {}),
        ...(chance(0.05) ? { stopCallingAt: iso(at + days(20) - 10 * DAY) } : {}),
        ...(chance(0.5) ? { debtId: pick(['D-1', 'D-2']) } : {}),
        reassigned: pick(['yes', 'no', 'no_data', null]) as 'no',
      },
      lists: {
        nationalDnc: chance(0.2),
        tps: chance(0.1),
        internalDnc: chance(0.03),
        litigator: chance(0.03),
        ...(chance(0.9) ? { nationalDncSyncedAt: chance(0.8) ? iso(at - days(40)).slice(0, 10) : iso(at - days(40)) } : {}),
        ...(chance(0.1) ? { stateDnc: [pick(['TX', 'FL', 'PA', 'MS', 'IN'])] } : {}),
      },
      history,
      ...(chance(0.4) ? { campaignWindow: { liveAnswers: Math.floor(random() * 1000), abandoned: Math.floor(random() * 40), amdFalsePositiveEstimate: Math.floor(random() * 5) } } : {}),
      ...(chance(0.2) ? { options: { revokeAll: chance(0.5), tpsGraceDays: pick([0, 3]) } } : {}),
    };
    requests.push(request);
  }
  return requests;
}
