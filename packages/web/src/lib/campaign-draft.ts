import type { CampaignSettings, DispositionDef } from '../api/types.ts';

export type CampaignInput = Omit<CampaignSettings, 'id' | 'status'>;

export interface FieldIssue {
  field: string;
  message: string;
  severity?: string;
}

export const NEW_CAMPAIGN: CampaignInput = {
  name: '',
  purpose: 'telemarketing',
  seller: '',
  subject: '',
  dialMode: 'progressive',
  pacingPolicy: 'progressive',
  abandonTarget: 0.03,
  regime: 'us30d',
  callerId: '',
  scriptTemplate: 'Hello {{firstName}}, this is {{agentName}} calling for …',
  dispositions: [
    { code: 'sale', label: 'Sale', action: 'final', sale: true },
    { code: 'not_interested', label: 'Not interested', action: 'final' },
    { code: 'callback', label: 'Call back', action: 'callback' },
    { code: 'dnc', label: 'Do not call', action: 'dnc' },
  ],
  retryRules: [
    { outcome: 'no_answer', action: 'retry', delayMinutes: 60 },
    { outcome: 'busy', action: 'retry', delayMinutes: 15 },
  ],
  maxAttempts: 5,
  callingWindow: null,
  abandonMessagePromptId: null,
  ringTimeoutSeconds: 25,
  amd: false,
  prerecorded: false,
  training: false,
  filter: null,
  listIds: [],
};

/** The body of POST/PUT: every setting except the id and the status (those have their own routes). */
export function campaignInput(settings: CampaignSettings | CampaignInput): CampaignInput {
  const { id: _id, status: _status, ...input } = settings as CampaignSettings;
  return input;
}

/** `details.issues` of a 422 OUTDIAL_ERR_CAMPAIGN_INVALID, or [] when the answer has none. */
export function issuesOf(details: unknown): FieldIssue[] {
  const issues = (details as { issues?: unknown } | null | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter((i): i is FieldIssue => typeof i === 'object' && i !== null && typeof (i as FieldIssue).field === 'string' && typeof (i as FieldIssue).message === 'string');
}

/** Issues that belong to a form field: the field itself or anything under it (`dispositions[2].action`). */
export function issuesFor(issues: readonly FieldIssue[], field: string): FieldIssue[] {
  return issues.filter((i) => i.field === field || i.field.startsWith(`${field}.`) || i.field.startsWith(`${field}[`) || i.field.startsWith(`/${field}`));
}

/** A disposition code from its label: "Call back" → call_back. */
export function codeFromLabel(label: string): string {
  return label.trim().toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'code';
}

export function emptyDisposition(): DispositionDef {
  return { code: '', label: '', action: 'final' };
}
