import type { CampaignSettings } from '@outdial/core/campaign/types';
import type { ComplianceDecision, ComplianceGate, ComplianceRequest } from '@outdial/core/compliance/types';
import { scenarioRingTimeoutSeconds, type Scenario } from './scenario.ts';

/** Campaign settings that run a scenario as the pacing bench does (fresh leads, AMD as the scenario says). */
export function simCampaignSettings(
  scenario: Scenario,
  overrides: Partial<CampaignSettings> = {},
): CampaignSettings {
  return {
    id: 'sim',
    name: `Simulated ${scenario.name}`,
    status: 'running',
    purpose: 'telemarketing',
    seller: 'Outdial Demo Co',
    subject: 'demo',
    dialMode: 'progressive',
    pacingPolicy: 'progressive',
    abandonTarget: 0.03,
    regime: 'us30d',
    callerId: '+15555550100',
    scriptTemplate: 'Hello {{name}}, this is a simulated call.',
    dispositions: [
      { code: 'sale', label: 'Sale', action: 'final', sale: true },
      { code: 'not_interested', label: 'Not interested', action: 'final' },
      { code: 'call_back', label: 'Call back', action: 'callback' },
      { code: 'answering_machine', label: 'Answering machine', action: 'retry', retryAfterMinutes: 240 },
      { code: 'do_not_call', label: 'Do not call', action: 'dnc' },
    ],
    retryRules: [],
    maxAttempts: 3,
    callingWindow: null,
    abandonMessagePromptId: 'abandon-default',
    ringTimeoutSeconds: scenarioRingTimeoutSeconds(scenario),
    amd: scenario.amd.enabled,
    prerecorded: false,
    training: false,
    filter: null,
    listIds: [],
    ...overrides,
  };
}

/** The one decision of {@link allowAllGate}: shared, so a simulated dial allocates nothing for it. */
const SIM_ALLOW: ComplianceDecision = Object.freeze({
  id: 'sim-allow-all',
  verdict: 'allow',
  notBefore: null,
  reasons: [],
  evaluated: [],
  evidence: { rulesVersion: 'sim-allow-all', zones: [], jurisdictions: [] },
}) as ComplianceDecision;

/** A gate that allows every dial (simulations whose leads are synthetic; never for real numbers). */
export const allowAllGate: ComplianceGate = {
  check(_request: ComplianceRequest): ComplianceDecision {
    return SIM_ALLOW;
  },
};
