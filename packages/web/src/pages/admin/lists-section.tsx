import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { api, ApiError } from '../../api/api-client.ts';
import type { ListSummary } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ImportWizard } from './import-wizard.tsx';

interface ContactRow {
  id: string;
  phone: string;
  firstName: string | null;
  lastName: string | null;
  region: string | null;
  status: string;
  attempts?: number;
}

function contactsOf(data: unknown): ContactRow[] {
  if (Array.isArray(data)) return data as ContactRow[];
  const items = (data as { contacts?: unknown; items?: unknown } | null);
  const list = items?.contacts ?? items?.items;
  return Array.isArray(list) ? (list as ContactRow[]) : [];
}

export function ListsSection(): ReactNode {
  const { t, fmt } = useI18n();
  const lists = useApiData<ListSummary[]>('/api/v1/lists');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [importing, setImporting] = useState(false);
  const [creating, setCreating] = useState(false);
  const [draft, setDraft] = useState({ name: '', vendor: '', purchasedAt: '', cost: '', consentBasis: '' });
  const [error, setError] = useState<string | null>(null);
  const selected = lists.data?.find((l) => l.id === selectedId) ?? lists.data?.[0] ?? null;
  const contacts = useApiData<unknown>(selected ? `/api/v1/contacts?listId=${encodeURIComponent(selected.id)}&q=${encodeURIComponent(search)}` : null);

  async function create(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setError(null);
    try {
      const cost = draft.cost.trim() === '' ? null : Math.round(Number(draft.cost.replace(',', '.')) * 100);
      const created = await api.post<ListSummary>('/api/v1/lists', {
        name: draft.name.trim(),
        ...(draft.vendor.trim() ? { vendor: draft.vendor.trim() } : {}),
        ...(draft.purchasedAt ? { purchasedAt: draft.purchasedAt } : {}),
        ...(cost !== null && Number.isFinite(cost) ? { costCents: cost } : {}),
        ...(draft.consentBasis.trim() ? { consentBasis: draft.consentBasis.trim() } : {}),
      });
      setCreating(false);
      setDraft({ name: '', vendor: '', purchasedAt: '', cost: '', consentBasis: '' });
      setSelectedId(created.id);
      lists.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('common.networkError'));
    }
  }

  return (
    <section aria-labelledby="section-heading">
      <div className="section-head">
        <h1 id="section-heading">{t('admin.lists')}</h1>
        <button type="button" className="btn" onClick={() => setCreating(!creating)}>{t('lists.new')}</button>
      </div>
      {(error ?? lists.error) && <div role="alert" className="alert">{error ?? lists.error}</div>}
      {creating && (
        <form className="card form-stack" onSubmit={(e) => void create(e)} aria-labelledby="list-new-heading">
          <h2 id="list-new-heading">{t('lists.new')}</h2>
          <div className="form-grid">
            <label className="field"><span>{t('common.name')}</span><input required value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></label>
            <label className="field"><span>{t('lists.vendor')}</span><input value={draft.vendor} onChange={(e) => setDraft({ ...draft, vendor: e.target.value })} /></label>
            <label className="field"><span>{t('lists.purchasedAt')}</span><input type="date" value={draft.purchasedAt} onChange={(e) => setDraft({ ...draft, purchasedAt: e.target.value })} /></label>
            <label className="field"><span>{t('lists.cost')}</span><input inputMode="decimal" value={draft.cost} onChange={(e) => setDraft({ ...draft, cost: e.target.value })} /></label>
            <label className="field span-all"><span>{t('lists.consentBasis')}</span><input value={draft.consentBasis} onChange={(e) => setDraft({ ...draft, consentBasis: e.target.value })} /></label>
          </div>
          <div className="actions"><button type="submit" className="btn btn-primary">{t('common.create')}</button></div>
        </form>
      )}
      <div className="split">
        <nav className="card" aria-label={t('lists.all')}>
          <h2>{t('lists.all')}</h2>
          <ul className="list-pick">
            {(lists.data ?? []).map((l) => (
              <li key={l.id}>
                <button type="button" aria-current={selected?.id === l.id} onClick={() => setSelectedId(l.id)}>
                  {l.name}
                  {l.vendor && <span className="muted small"> · {l.vendor}</span>}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        {selected && (
          <div className="card">
            <div className="section-head">
              <h2>{selected.name}</h2>
              <button type="button" className="btn btn-primary" onClick={() => setImporting(true)}>{t('lists.import')}</button>
            </div>
            <dl className="field-grid">
              <div className="field-grid-row"><dt>{t('lists.vendor')}</dt><dd>{selected.vendor ?? '—'}</dd></div>
              <div className="field-grid-row"><dt>{t('lists.purchasedAt')}</dt><dd>{selected.purchasedAt ?? '—'}</dd></div>
              <div className="field-grid-row"><dt>{t('lists.cost')}</dt><dd>{selected.costCents != null ? fmt.money(selected.costCents) : '—'}</dd></div>
              <div className="field-grid-row"><dt>{t('lists.consentBasis')}</dt><dd>{selected.consentBasis ?? '—'}</dd></div>
            </dl>
            <form
              className="inline-form"
              role="search"
              onSubmit={(e) => {
                e.preventDefault();
                setSearch(q.trim());
              }}
            >
              <label className="field grow">
                <span>{t('lists.searchContacts')}</span>
                <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
              </label>
              <button type="submit" className="btn">{t('common.search')}</button>
            </form>
            <div className="table-wrap">
              <table className="data-table">
                <caption>{t('lists.contacts')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('contact.phone')}</th>
                    <th scope="col">{t('contact.name')}</th>
                    <th scope="col">{t('contact.region')}</th>
                    <th scope="col">{t('contact.status')}</th>
                    <th scope="col" className="num">{t('contact.attempts')}</th>
                  </tr>
                </thead>
                <tbody>
                  {contactsOf(contacts.data).slice(0, 100).map((c) => (
                    <tr key={c.id}>
                      <th scope="row">{c.phone}</th>
                      <td>{[c.firstName, c.lastName].filter(Boolean).join(' ')}</td>
                      <td>{c.region ?? '—'}</td>
                      <td>{c.status}</td>
                      <td className="num">{c.attempts ?? 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
      </div>
      {importing && selected && (
        <ImportWizard
          listId={selected.id}
          listName={selected.name}
          onClose={(done) => {
            setImporting(false);
            if (done) {
              lists.reload();
              contacts.reload();
            }
          }}
        />
      )}
    </section>
  );
}
