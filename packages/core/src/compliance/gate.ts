import { decide } from './decide.ts';
import type { ComplianceData } from './rule-packs.ts';
import { DEFAULT_COMPLIANCE_DATA } from './rule-packs.ts';
import type { ComplianceGate } from './types.ts';

/** The dialer's pre-dial gate: the engine builds the request from the store; the decision is the one decide(). */
export function createComplianceGate(data: ComplianceData = DEFAULT_COMPLIANCE_DATA): ComplianceGate {
  return { check: (request) => decide(request, data) };
}
