import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { CampaignSettings } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { BarChart } from '../../components/bar-chart.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { reportQuery, PERIODS } from '../../lib/report-query.ts';
import type { Period, ReportWindow } from '../../lib/report-query.ts';

type Cell = string | number | boolean | null;
interface Report {
  columns: string[];
  rows: Array<Record<string, Cell>>;
}

interface ColumnSpec {
  key: string;
  label: MessageKey;
  kind?: 'number' | 'percent' | 'seconds' | 'money' | 'dateTime' | 'bool' | 'text';
  rowHeader?: boolean;
}

function ReportTable({ title, report, columns, csvHref }: { title: string; report: Report | null; columns: ColumnSpec[]; csvHref: string }): ReactNode {
  const { t, fmt } = useI18n();
  function show(value: Cell, kind: ColumnSpec['kind']): string {
    if (value === null || value === undefined) return '—';
    switch (kind) {
      case 'number': return fmt.number(Number(value), 0);
      case 'percent': return fmt.percent(Number(value), 1);
      case 'seconds': return fmt.duration(Number(value) * 1000);
      case 'money': return fmt.money(Number(value));
      case 'dateTime': return fmt.dateTime(Date.parse(String(value)));
      case 'bool': return value === true ? t('common.yes') : t('common.no');
      default: return String(value);
    }
  }
  return (
    <div className="report-table">
      <div className="table-tools">
        <a className="btn btn-small" href={csvHref} download aria-label={t('reports.csvFor', { name: title })}>
          {t('common.downloadCsv')}
        </a>
      </div>
      <div className="table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} scope="col" className={c.kind && c.kind !== 'text' && c.kind !== 'dateTime' ? 'num' : undefined}>
                  {t(c.label)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report !== null && report.rows.length === 0 && (
              <tr>
                <td colSpan={columns.length} className="muted">{t('reports.empty')}</td>
              </tr>
            )}
            {report?.rows.map((row, i) => (
              <tr key={i}>
                {columns.map((c) =>
                  c.rowHeader ? (
                    <th key={c.key} scope="row" translate={dataText(c.kind)}>{show(row[c.key] ?? null, c.kind)}</th>
                  ) : (
                    <td key={c.key} className={c.kind && c.kind !== 'text' && c.kind !== 'dateTime' ? 'num' : undefined} translate={dataText(c.kind)}>
                      {show(row[c.key] ?? null, c.kind)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function ReportsSection(): ReactNode {
  const { t, fmt } = useI18n();
  const [campaignId, setCampaignId] = useState('');
  const [period, setPeriod] = useState<Period>('30d');
  const [abandonWindow, setAbandonWindow] = useState<ReportWindow>('day');
  // the period's start is fixed when chosen, so the queries stay the same between renders
  const [nowAtChoice, setNowAtChoice] = useState(() => Date.now());
  const query = useMemo(() => reportQuery({ campaignId, period, now: nowAtChoice }), [campaignId, period, nowAtChoice]);
  const campaigns = useApiData<CampaignSettings[]>('/api/v1/campaigns');
  const dispositions = useApiData<Report>(`/api/v1/reports/dispositions${query}`);
  const agents = useApiData<Report>(`/api/v1/reports/agents${query}`);
  const hourly = useApiData<Report>(`/api/v1/reports/hourly${query}`);
  const abandonment = useApiData<Report>(`/api/v1/reports/abandonment${query}${query ? '&' : '?'}window=${abandonWindow}`);
  const vendors = useApiData<Report>(`/api/v1/reports/list-vendors${query}`);
  const error = dispositions.error ?? agents.error ?? hourly.error ?? abandonment.error ?? vendors.error;
  const csv = (path: string, extra = '') => `/api/v1/reports/${path}${query}${query ? '&' : '?'}format=csv${extra}`;

  const dispositionBars = (dispositions.data?.rows ?? []).map((r) => ({ label: String(r['label'] ?? r['code']), value: Number(r['count'] ?? 0) }));
  const hourlyBars = (hourly.data?.rows ?? []).slice(-24).map((r) => ({ label: fmt.time(Date.parse(String(r['hourStart']))), value: Number(r['dialed'] ?? 0) }));
  const abandonBars = (abandonment.data?.rows ?? []).slice(-24).map((r) => ({
    label: abandonWindow === 'hour' ? fmt.time(Date.parse(String(r['windowStart']))) : fmt.date(Date.parse(String(r['windowStart']))),
    value: Number(r['rate'] ?? 0),
  }));

  return (
    <section aria-labelledby="section-heading">
      <div className="section-head">
        <h1 id="section-heading">{t('admin.reports')}</h1>
      </div>
      <div className="filters card">
        <label className="field">
          <span>{t('reports.campaign')}</span>
          <select value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
            <option value="">{t('reports.allCampaigns')}</option>
            {(campaigns.data ?? []).filter((c) => !c.training).map((c) => (
              <option key={c.id} value={c.id}>{c.name}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('reports.period')}</span>
          <select
            value={period}
            onChange={(e) => {
              setPeriod(e.target.value as Period);
              setNowAtChoice(Date.now());
            }}
          >
            {PERIODS.map((p) => (
              <option key={p} value={p}>{t(`reports.period.${p}`)}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn"
          onClick={() => setNowAtChoice(Date.now())}
        >
          {t('reports.refresh')}
        </button>
        <p className="muted small grow">{t('reports.trainingExcluded')}</p>
      </div>
      {error && <div role="alert" className="alert">{error}</div>}

      <div className="report-grid">
        <div className="card">
          <h2>{t('reports.dispositions')}</h2>
          {dispositionBars.length > 0 && <BarChart title={t('reports.dispositions')} bars={dispositionBars} formatValue={(v) => fmt.number(v, 0)} />}
          <ReportTable
            title={t('reports.dispositions')}
            report={dispositions.data}
            csvHref={csv('dispositions')}
            columns={[
              { key: 'label', label: 'reports.col.disposition', rowHeader: true },
              { key: 'campaign', label: 'reports.col.campaign' },
              { key: 'count', label: 'reports.col.count', kind: 'number' },
              { key: 'share', label: 'reports.col.share', kind: 'percent' },
            ]}
          />
        </div>
        <div className="card">
          <h2>{t('reports.agents')}</h2>
          <ReportTable
            title={t('reports.agents')}
            report={agents.data}
            csvHref={csv('agents')}
            columns={[
              { key: 'agent', label: 'reports.col.agent', rowHeader: true },
              { key: 'calls', label: 'reports.col.calls', kind: 'number' },
              { key: 'talkSeconds', label: 'reports.col.talkTime', kind: 'seconds' },
              { key: 'avgTalkSeconds', label: 'reports.col.avgTalk', kind: 'seconds' },
              { key: 'dispositions', label: 'reports.col.dispositions', kind: 'number' },
              { key: 'sales', label: 'reports.col.sales', kind: 'number' },
              { key: 'conversion', label: 'reports.col.conversion', kind: 'percent' },
            ]}
          />
        </div>
        <div className="card">
          <h2>{t('reports.hourly')}</h2>
          {hourlyBars.length > 0 && <BarChart title={t('reports.hourlyChart')} bars={hourlyBars} formatValue={(v) => fmt.number(v, 0)} />}
          <ReportTable
            title={t('reports.hourly')}
            report={hourly.data}
            csvHref={csv('hourly')}
            columns={[
              { key: 'hourStart', label: 'reports.col.hour', kind: 'dateTime', rowHeader: true },
              { key: 'dialed', label: 'reports.col.dialed', kind: 'number' },
              { key: 'answered', label: 'reports.col.answered', kind: 'number' },
              { key: 'connected', label: 'reports.col.connected', kind: 'number' },
              { key: 'abandoned', label: 'reports.col.abandoned', kind: 'number' },
              { key: 'abandonRate', label: 'reports.col.abandonRate', kind: 'percent' },
            ]}
          />
        </div>
        <div className="card">
          <div className="section-head">
            <h2>{t('reports.abandonment')}</h2>
            <label className="field field-inline">
              <span>{t('reports.window')}</span>
              <select value={abandonWindow} onChange={(e) => setAbandonWindow(e.target.value as ReportWindow)}>
                {(['hour', 'day', 'week', '30d'] as const).map((w) => (
                  <option key={w} value={w}>{t(`reports.window.${w}`)}</option>
                ))}
              </select>
            </label>
          </div>
          {abandonBars.length > 0 && (
            <BarChart
              title={t('reports.abandonmentChart')}
              bars={abandonBars}
              formatValue={(v) => fmt.percent(v, 1)}
              threshold={{ value: 0.03, label: t('supervisor.limit3', { value: fmt.percent(0.03, 0) }) }}
            />
          )}
          <ReportTable
            title={t('reports.abandonment')}
            report={abandonment.data}
            csvHref={csv('abandonment', `&window=${abandonWindow}`)}
            columns={[
              { key: 'windowStart', label: 'reports.col.windowStart', kind: 'dateTime', rowHeader: true },
              { key: 'campaign', label: 'reports.col.campaign' },
              { key: 'liveAnswers', label: 'reports.col.liveAnswers', kind: 'number' },
              { key: 'abandoned', label: 'reports.col.abandoned', kind: 'number' },
              { key: 'rate', label: 'reports.col.abandonRate', kind: 'percent' },
              { key: 'overTarget', label: 'reports.col.overTarget', kind: 'bool' },
            ]}
          />
        </div>
        <div className="card">
          <h2>{t('reports.vendors')}</h2>
          <ReportTable
            title={t('reports.vendors')}
            report={vendors.data}
            csvHref={csv('list-vendors')}
            columns={[
              { key: 'list', label: 'reports.col.list', rowHeader: true },
              { key: 'vendor', label: 'reports.col.vendor' },
              { key: 'contacts', label: 'reports.col.contacts', kind: 'number' },
              { key: 'dncRate', label: 'reports.col.dncRate', kind: 'percent' },
              { key: 'invalidContacts', label: 'reports.col.invalid', kind: 'number' },
              { key: 'contactRate', label: 'reports.col.contactRate', kind: 'percent' },
              { key: 'sales', label: 'reports.col.sales', kind: 'number' },
              { key: 'costPerSaleCents', label: 'reports.col.costPerSale', kind: 'money' },
            ]}
          />
        </div>
      </div>
    </section>
  );
}

/**
 * Text cells show data as it was entered (a campaign's disposition labels, names, vendors), not the app's words:
 * marked `translate="no"` so translation tools, and the Latvian page check, leave them alone.
 */
function dataText(kind: string | undefined): 'no' | undefined {
  return kind === undefined || kind === 'text' ? 'no' : undefined;
}
