import type { ComplianceRequest } from '../compliance/types.ts';
import type { DialKind } from './events.ts';
import type { DialTarget } from './ports.ts';
import type { CampaignRuntime } from './runtime.ts';

/**
 * The compliance request for one dial: the host's parts of the contact (contact, lists, history, country) completed
 * with the request id and time, the campaign's fields and the current window's abandonment counters.
 */
export function complianceRequest(
  c: CampaignRuntime,
  t: DialTarget,
  kind: DialKind,
  id: string,
  at: string,
  /** An agent is reserved for the call (a personal callback dialed for its owner): it cannot be abandoned. */
  reserved = false,
): ComplianceRequest {
  const s = c.settings;
  const parts = t.compliance;
  return {
    id,
    at,
    phone: t.phone,
    country: parts.country,
    campaign: {
      purpose: s.purpose,
      dialMode: kind,
      prerecorded: s.prerecorded,
      seller: s.seller,
      subject: s.subject,
      agentGuaranteed: reserved || kind === 'preview' || kind === 'manual',
    },
    contact: parts.contact,
    lists: parts.lists,
    history: parts.history,
    campaignWindow: { liveAnswers: c.windowLiveAnswers, abandoned: c.windowAbandoned },
  };
}
