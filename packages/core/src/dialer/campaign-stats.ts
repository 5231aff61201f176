import type { CampaignStats } from './events.ts';
import type { CampaignRuntime } from './runtime.ts';

/** The supervisor's counters for one campaign (also the `campaign.stats` event). */
export function campaignStats(c: CampaignRuntime): CampaignStats {
  const active = c.stateCounts.ready + c.stateCounts.reserved + c.stateCounts.on_call + c.stateCounts.wrap_up;
  const pending = c.ringing + c.analysing + c.waiting.length + c.withAgent;
  const level = c.policy?.dialLevel?.() ?? (active > 0 ? pending / active : 0);
  return {
    status: c.settings.status,
    dialLevel: Math.round(level * 1000) / 1000,
    agentsSignedIn: c.members.length,
    agentsReady: c.stateCounts.ready,
    ringing: c.ringing,
    analysing: c.analysing,
    waiting: c.waiting.length,
    calls: c.inFlight,
    dialed: c.dialed,
    liveAnswers: c.liveAnswers,
    connected: c.connected,
    abandoned: c.abandoned,
    abandonRate: c.windowLiveAnswers > 0 ? c.windowAbandoned / c.windowLiveAnswers : 0,
    windowLiveAnswers: c.windowLiveAnswers,
    windowAbandoned: c.windowAbandoned,
  };
}
