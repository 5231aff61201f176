import type { CampaignSettings } from '@outdial/core/campaign/types';
import { validateCampaign } from '@outdial/core/compliance/validate-campaign';
import { OutdialError } from './errors.ts';

/** Saving a campaign the compliance engine finds unlawful is refused, with every issue and its field. */
export function assertCampaignValid(settings: CampaignSettings): void {
  const validation = validateCampaign(settings);
  if (validation.ok) return;
  const errors = validation.issues.filter((i) => i.severity === 'error');
  throw new OutdialError('OUTDIAL_ERR_CAMPAIGN_INVALID', errors.map((i) => `${i.field}: ${i.message}`).join('; '), { issues: validation.issues });
}
