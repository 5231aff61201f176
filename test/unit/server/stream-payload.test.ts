import { describe, expect, it } from 'vitest';
import { streamPayload } from '@outdial/server/runtime/store-sink';

describe('stream payloads', () => {
  it('attempt.connected carries the whole screen-pop contact, city included (the script fills {{city}} from it)', () => {
    const payload = streamPayload({
      type: 'attempt.connected', at: 1, attemptId: 'a1', campaignId: 'c1', contactId: 'k1', agentId: 'u1', waitMs: 120,
      display: {
        phone: '+447700900007', firstName: 'Patricia', lastName: 'Williams', city: 'London', region: null, postalCode: 'SW1A 1AA',
        timezone: 'Europe/London', attributes: { homeOwner: true },
      },
    });
    expect(payload['contact']).toEqual({
      id: 'k1', phone: '+447700900007', firstName: 'Patricia', lastName: 'Williams', city: 'London', region: null,
      postalCode: 'SW1A 1AA', timezone: 'Europe/London', attributes: { homeOwner: true },
    });
    expect(payload).toMatchObject({ attemptId: 'a1', campaignId: 'c1', agentId: 'u1', waitMs: 120 });
  });

  it('fills the gaps of a dial without display fields with nulls', () => {
    const payload = streamPayload({ type: 'attempt.connected', at: 1, attemptId: 'a2', campaignId: 'c1', contactId: 'k2', agentId: 'u1', waitMs: 0, display: null });
    expect(payload['contact']).toEqual({
      id: 'k2', phone: '', firstName: null, lastName: null, city: null, region: null, postalCode: null, timezone: null, attributes: {},
    });
  });
});
