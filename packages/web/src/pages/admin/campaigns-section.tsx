import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { api, ApiError } from '../../api/api-client.ts';
import type { CampaignSettings, ListSummary } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { campaignInput, issuesOf, NEW_CAMPAIGN } from '../../lib/campaign-draft.ts';
import type { CampaignInput, FieldIssue } from '../../lib/campaign-draft.ts';
import { campaignStatusKey, dialModeKey } from '../../lib/labels.ts';
import { CampaignForm } from './campaign-form.tsx';

export function CampaignsSection(): ReactNode {
  const { t, fmt } = useI18n();
  const campaigns = useApiData<CampaignSettings[]>('/api/v1/campaigns');
  const lists = useApiData<ListSummary[]>('/api/v1/lists');
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<CampaignInput>(NEW_CAMPAIGN);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function open(campaign: CampaignSettings | null): void {
    setEditing(campaign?.id ?? 'new');
    setDraft(campaign ? campaignInput(campaign) : NEW_CAMPAIGN);
    setIssues([]);
    setError(null);
    setNotice(null);
  }

  async function save(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setIssues([]);
    try {
      if (editing === 'new') await api.post('/api/v1/campaigns', draft);
      else if (editing !== null) await api.put(`/api/v1/campaigns/${editing}`, draft);
      setEditing(null);
      setNotice(t('common.saved'));
      campaigns.reload();
    } catch (e) {
      if (e instanceof ApiError) {
        setIssues(issuesOf(e.details));
        setError(e.message);
      } else setError(t('common.networkError'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="section-heading">
      <div className="section-head">
        <h1 id="section-heading">{t('admin.campaigns')}</h1>
        <button type="button" className="btn btn-primary" onClick={() => open(null)}>{t('campaign.new')}</button>
      </div>
      {notice && <p className="notice" role="status">{notice}</p>}
      {campaigns.error && <div role="alert" className="alert">{campaigns.error}</div>}
      {editing !== null && (
        <form className="card" onSubmit={(e) => void save(e)} aria-labelledby="campaign-form-heading" noValidate>
          <div className="section-head">
            <h2 id="campaign-form-heading">{editing === 'new' ? t('campaign.new') : t('campaign.edit', { name: draft.name })}</h2>
            <div className="row-actions">
              <button type="submit" className="btn btn-primary" disabled={busy}>{t('common.save')}</button>
              <button type="button" className="btn" onClick={() => setEditing(null)}>{t('common.cancel')}</button>
            </div>
          </div>
          {error && (
            <div role="alert" className="alert">
              <strong>{t('campaign.invalid')}</strong>
              {issues.length > 0 ? (
                <ul>{issues.map((i, n) => <li key={n}><code className="rule">{i.field}</code> {i.message}</li>)}</ul>
              ) : (
                <p>{error}</p>
              )}
            </div>
          )}
          <CampaignForm value={draft} onChange={setDraft} issues={issues} lists={lists.data ?? []} />
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>{t('common.save')}</button>
          </div>
        </form>
      )}
      <div className="card">
        <div className="table-wrap">
          <table className="data-table">
            <caption>{t('admin.campaigns')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">{t('supervisor.colStatus')}</th>
                <th scope="col">{t('supervisor.colDialMode')}</th>
                <th scope="col">{t('campaign.purpose')}</th>
                <th scope="col" className="num">{t('supervisor.colAbandonTarget')}</th>
                <th scope="col">{t('campaign.contacts')}</th>
                <th scope="col">{t('supervisor.colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {(campaigns.data ?? []).map((c) => {
                const status = campaignStatusKey(c.status);
                const mode = dialModeKey(c.dialMode);
                return (
                  <tr key={c.id}>
                    <th scope="row">
                      {c.name} {c.training && <span className="chip chip-training">{t('agent.training')}</span>}
                    </th>
                    <td><span className={`state-pill campaign-${c.status}`}>{status ? t(status) : c.status}</span></td>
                    <td>{mode ? t(mode) : c.dialMode}</td>
                    <td>{t(`campaign.purpose.${c.purpose}`)}</td>
                    <td className="num">{fmt.percent(c.abandonTarget, 1)}</td>
                    <td>{c.listIds.map((id) => lists.data?.find((l) => l.id === id)?.name ?? id).join(', ')}</td>
                    <td>
                      <button type="button" className="btn btn-small" onClick={() => open(c)} aria-label={t('campaign.edit', { name: c.name })}>{t('common.edit')}</button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
