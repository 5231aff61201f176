export const PERIODS = ['today', '7d', '30d', 'all'] as const;
export type Period = (typeof PERIODS)[number];
export type ReportWindow = 'hour' | 'day' | 'week' | '30d';

const DAY_MS = 86_400_000;

/** The query string of a report request: campaign and the period's start (local midnight for "today"). */
export function reportQuery({ campaignId, period, now }: { campaignId: string; period: Period; now: number }): string {
  const params = new URLSearchParams();
  if (campaignId !== '') params.set('campaignId', campaignId);
  if (period === 'today') {
    const midnight = new Date(now);
    midnight.setHours(0, 0, 0, 0);
    params.set('from', String(midnight.getTime()));
  } else if (period === '7d') params.set('from', String(now - 7 * DAY_MS));
  else if (period === '30d') params.set('from', String(now - 30 * DAY_MS));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
