import type { CampaignSettings } from '../campaign/types.ts';

// Placeholder written by the lead so the server can be exercised; the compliance engineer replaces this file.
export interface CampaignIssue {
  field: string;
  message: string;
  severity: 'error' | 'warning';
}

export function validateCampaign(settings: CampaignSettings): CampaignIssue[] {
  const issues: CampaignIssue[] = [];
  if (settings.ringTimeoutSeconds < 15) issues.push({ field: 'ringTimeoutSeconds', message: 'must be at least 15 seconds', severity: 'error' });
  if (!settings.abandonMessagePromptId) issues.push({ field: 'abandonMessagePromptId', message: 'an abandon message is required', severity: 'error' });
  return issues;
}
