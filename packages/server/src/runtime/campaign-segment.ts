import type { CampaignSettings } from '@outdial/core/campaign/types';
import type { TypedFilter } from '@outdial/core/contacts/filter/filter-ast';
import { compileFilterText } from '@outdial/core/contacts/filter/filter-typecheck';
import type { Db } from '@outdial/store/database';
import { SegmentQueries } from '@outdial/store/filter/segment-queries';

export type SegmentResult = { ok: true; filter: TypedFilter | null } | { ok: false; message: string };

/**
 * A campaign's segmentation filter, type-checked against the custom attributes its lists hold. Relative dates
 * (`now - 365d`) resolve at `now`, so the hopper compiles it again on every refill.
 */
export async function campaignSegment(db: Db, campaign: Pick<CampaignSettings, 'filter' | 'listIds'>, now: number): Promise<SegmentResult> {
  const text = campaign.filter?.trim() ?? '';
  if (text === '') return { ok: true, filter: null };
  const attributes = await new SegmentQueries(db).attributeTypes(campaign.listIds);
  const typed = compileFilterText(text, { attributes, now });
  if (!typed.ok) return { ok: false, message: `filter, column ${typed.problem.column}: ${typed.problem.message}` };
  return { ok: true, filter: typed.value };
}
