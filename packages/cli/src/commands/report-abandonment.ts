import { ABANDON_LIMIT, ukCalendarDays, us30DayPeriods } from '@outdial/core/compliance/abandonment-periods';
import type { AbandonmentPeriod } from '@outdial/core/compliance/abandonment-periods';
import { migrate, openStore } from '@outdial/store/database';
import { AbandonmentReportRepository } from '@outdial/store/repositories/abandonment-report.repository';
import type { CliCommand } from '../command.ts';
import { parseFlags, storeUrl, UsageError, writeJson } from '../command.ts';

const iso = (ms: number) => new Date(ms).toISOString();

function percent(rate: number): string {
  return `${(rate * 100).toFixed(2)} %`;
}

const command: CliCommand = {
  summary: "a campaign's abandonment per window",
  help: `outdial report abandonment --campaign NAME [--window 30d|24h] [--amd-fp-rate R] [--json] [--db URL]

The campaign's abandonment figures per window, as a regulator computes them (training calls left out):
  30d  US (TSR 16 CFR 310.4(b)(4)(i), 47 CFR 64.1200(a)(7)): abandoned / live answers, over the campaign while it
       is under 30 days old, then each successive 30-day period (or portion) from its first call.
  24h  UK (Ofcom): each calendar day, midnight to midnight UK time; AMD false positives count as abandoned.
A live answer is a call a person answered (answered or abandoned); the limit is 3 %.

  --campaign NAME   the campaign (required)
  --window W        30d or 24h (default: the campaign's regime, us30d → 30d, uk24h → 24h)
  --amd-fp-rate R   share of AMD "machine" classifications that were people (0..1, default 0): added to both
                    abandoned calls and live answers
  --json            one JSON document: {"campaign", "window", "limit", "periods": [{"start", "end", "liveAnswers",
                    "abandoned", "amdMachine", "amdFalsePositiveEstimate", "rate", "overLimit"}], "overLimit"}
  --db URL          sqlite:PATH (default sqlite:./data/outdial.db) or postgres://...; OUTDIAL_DB does the same
Exit status: 0 report written, 1 the store failed, 2 unknown campaign or wrong flags.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      campaign: { type: 'string' }, window: { type: 'string' }, json: { type: 'boolean' }, db: { type: 'string' }, 'amd-fp-rate': { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
    const name = values['campaign'];
    if (typeof name !== 'string' || name === '') throw new UsageError('--campaign NAME is required');
    const windowFlag = values['window'];
    if (windowFlag !== undefined && windowFlag !== '30d' && windowFlag !== '24h') throw new UsageError(`--window must be 30d or 24h, got "${String(windowFlag)}"`);
    const fpRate = values['amd-fp-rate'] === undefined ? 0 : Number(values['amd-fp-rate']);
    if (!(fpRate >= 0 && fpRate <= 1)) throw new UsageError('--amd-fp-rate must be a number from 0 to 1');

    const store = await openStore(storeUrl(values['db'], io.env));
    try {
      await migrate(store.db);
      const repository = new AbandonmentReportRepository(store.db);
      const campaign = await repository.campaignByName(name);
      if (!campaign) throw new UsageError(`no campaign named "${name}"`);
      const window = windowFlag ?? (campaign.regime === 'uk24h' ? '24h' : '30d');
      const now = Date.now();
      const first = await repository.firstCallAt(campaign.id);
      let periods: AbandonmentPeriod[] = [];
      if (first !== null) {
        const hours = await repository.hourCounts(campaign.id, first, now + 1);
        periods = window === '24h' ? ukCalendarDays(first, now, hours, fpRate) : us30DayPeriods(first, now, hours, fpRate);
      }
      const overLimit = periods.some((p) => p.overLimit);
      if (values['json']) {
        writeJson(io, {
          campaign: campaign.name, campaignId: campaign.id, window, limit: ABANDON_LIMIT, firstCallAt: first === null ? null : iso(first),
          periods: periods.map((p) => ({ ...p, start: iso(p.start), end: iso(p.end) })), overLimit,
        });
      } else {
        io.stdout.write(`Abandonment for campaign "${campaign.name}" (${window === '24h' ? 'UK calendar days' : 'US 30-day periods'}, limit 3 %)\n`);
        if (periods.length === 0) io.stdout.write('no calls yet\n');
        for (const p of periods) {
          io.stdout.write(`${iso(p.start)} .. ${iso(p.end)}  live ${p.liveAnswers}  abandoned ${p.abandoned}${p.amdFalsePositiveEstimate > 0 ? `  AMD fp est. ${p.amdFalsePositiveEstimate}` : ''}  rate ${percent(p.rate)}${p.overLimit ? '  OVER LIMIT' : ''}\n`);
        }
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
