import { describe, expect, it } from 'vitest';
import type { CampaignSettings } from '@outdial/core/campaign/types';
import { validateCampaign } from '@outdial/core/compliance/validate-campaign';

const good: CampaignSettings = {
  id: 'c1', name: 'Solar', status: 'draft', purpose: 'telemarketing', seller: 'Acme Solar', subject: 'solar',
  dialMode: 'predictive', pacingPolicy: 'outdial', abandonTarget: 0.025, regime: 'us30d', callerId: '+12122010123',
  scriptTemplate: 'Hello', maxAttempts: 3, callingWindow: { start: '09:00', end: '20:00' }, abandonMessagePromptId: 'p1',
  ringTimeoutSeconds: 20, amd: false, prerecorded: false, training: false, filter: null, listIds: ['l1'],
  dispositions: [
    { code: 'SALE', label: 'Sale', action: 'final', sale: true },
    { code: 'DNC', label: 'Do not call', action: 'dnc' },
    { code: 'CB', label: 'Call back', action: 'callback' },
  ],
  retryRules: [{ outcome: 'no_answer', action: 'retry', delayMinutes: 240 }],
};

const codes = (settings: CampaignSettings, context = {}) => validateCampaign(settings, context).issues.map((i) => `${i.field}:${i.code}`);

describe('validateCampaign', () => {
  it('accepts a lawful campaign', () => {
    expect(validateCampaign(good)).toEqual({ ok: true, issues: [] });
  });
  it('names the field of each problem', () => {
    expect(codes({ ...good, abandonMessagePromptId: null })).toEqual(['abandonMessagePromptId:abandon_message_missing']);
    expect(codes({ ...good, ringTimeoutSeconds: 12 })).toEqual(['ringTimeoutSeconds:ring_timeout_too_short']);
    expect(codes({ ...good, callerId: 'anonymous' })).toEqual(['callerId:caller_id_withheld']);
    expect(codes({ ...good, callerId: '+19002010123' })).toEqual(['callerId:caller_id_premium']);
    expect(codes({ ...good, regime: 'uk24h', callerId: '09012345678' })).toEqual(['callerId:caller_id_premium']);
    expect(codes({ ...good, abandonTarget: 0.05 })).toEqual(['abandonTarget:abandon_target_too_high']);
  });
  it('refuses dispositions and retries that would redial a do-not-call request', () => {
    expect(codes({ ...good, dispositions: [{ code: 'DNC', label: 'Do not call', action: 'retry', retryAfterMinutes: 60 }] }))
      .toEqual(['dispositions[0].action:dnc_disposition_redials', 'dispositions:no_dnc_disposition']);
    expect(codes({ ...good, retryRules: [{ outcome: 'blocked', action: 'retry', delayMinutes: 60 }] })).toEqual(['retryRules[0].outcome:retry_after_block']);
  });
  it('refuses AMD under the UK regime when false positives alone reach the limit', () => {
    const uk = { ...good, regime: 'uk24h' as const, callerId: '+442071234567', amd: true };
    expect(codes(uk, { amdFalsePositiveRate: 0.04 })).toEqual(['amd:amd_false_positives_exceed_limit']);
    expect(validateCampaign(uk, { amdFalsePositiveRate: 0.04 }).ok).toBe(false);
    expect(codes(uk)).toEqual(['amd:amd_false_positive_estimate_missing']);
    expect(validateCampaign(uk).ok).toBe(true);
    expect(codes(uk, { amdFalsePositiveRate: 0.005 })).toEqual([]);
  });
  it('warns about UK redials inside the cool-downs and bad windows', () => {
    const uk = { ...good, regime: 'uk24h' as const, callerId: '+442071234567', retryRules: [{ outcome: 'abandoned' as const, action: 'retry' as const, delayMinutes: 60 }] };
    expect(codes(uk)).toEqual(['retryRules[0].delayMinutes:redial_within_cooldown']);
    expect(codes({ ...good, callingWindow: { start: '20:00', end: '09:00' } })).toEqual(['callingWindow:calling_window_invalid']);
    expect(codes({ ...good, callingWindow: { start: '07:00', end: '22:00' } })).toEqual(['callingWindow:calling_window_wider_than_law']);
  });
});
