/**
 * The per-call record TSR 16 CFR 310.5 (as amended 2024) asks a seller or telemarketer to keep, plus the decision
 * that allowed the dial: one row per attempt, kept 5 years.
 */
export interface ComplianceRecord {
  attemptId: string;
  telemarketer: string;
  seller: string;
  /** The good or service offered (the campaign's subject). */
  goodOrService: string;
  purpose: string;
  audience: 'consumer' | 'business';
  outbound: true;
  prerecorded: boolean;
  /** Calling number = the caller ID transmitted; its name: the seller. */
  callingNumber: string;
  callerIdName: string;
  calledNumber: string;
  /** Date and time the call was placed (UTC, ISO 8601). */
  dialedAt: string;
  answeredAt: string | null;
  /** Seconds from answer to end; 0 when not answered. */
  durationSeconds: number;
  script: string;
  /** answered, dropped (abandoned), transferred (to an agent), no_answer, ... */
  disposition: string;
  agentDisposition: string | null;
  agentId: string | null;
  dialMode: string;
  decisionVerdict: string;
  rulesVersion: string | null;
  campaignId: string;
  campaignName: string;
}

export const COMPLIANCE_EXPORT_COLUMNS: ReadonlyArray<keyof ComplianceRecord> = [
  'attemptId', 'telemarketer', 'seller', 'goodOrService', 'purpose', 'audience', 'outbound', 'prerecorded', 'callingNumber',
  'callerIdName', 'calledNumber', 'dialedAt', 'answeredAt', 'durationSeconds', 'script', 'disposition', 'agentDisposition',
  'agentId', 'dialMode', 'decisionVerdict', 'rulesVersion', 'campaignId', 'campaignName',
];

/** TSR disposition vocabulary from the attempt: dropped = abandoned, transferred = reached an agent. */
export function tsrDisposition(outcome: string | null, abandoned: boolean, connectedToAgent: boolean): string {
  if (abandoned || outcome === 'abandoned') return 'dropped';
  if (connectedToAgent) return 'transferred';
  return outcome ?? 'in_progress';
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // A spreadsheet would run these as formulas.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^\+\d+$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function complianceCsvHeader(): string {
  return `${COMPLIANCE_EXPORT_COLUMNS.join(',')}\r\n`;
}

export function complianceCsvRow(record: ComplianceRecord): string {
  return `${COMPLIANCE_EXPORT_COLUMNS.map((column) => cell(record[column])).join(',')}\r\n`;
}
