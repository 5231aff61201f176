import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { api, apiUpload, ApiError } from '../../api/api-client.ts';
import type { DncEntry } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';

const KINDS = ['internal', 'litigator', 'state', 'tps'] as const;
/** Lists a file can be loaded into (the national registry only from the FTC's files). */
const FILE_KINDS = ['national', 'internal', 'state', 'tps'] as const;
const LISTED_KINDS = ['national', ...KINDS] as const;

/** The server answers a search with an array or `{ entries }`; both are read. */
function entriesOf(data: unknown): DncEntry[] {
  if (Array.isArray(data)) return data as DncEntry[];
  const entries = (data as { entries?: unknown } | null)?.entries;
  return Array.isArray(entries) ? (entries as DncEntry[]) : [];
}

export function DncSection(): ReactNode {
  const { t, fmt } = useI18n();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const result = useApiData<unknown>(`/api/v1/dnc/entries?q=${encodeURIComponent(search)}`);
  const [phone, setPhone] = useState('');
  const [kind, setKind] = useState<(typeof KINDS)[number]>('internal');
  const [reason, setReason] = useState('');
  const [region, setRegion] = useState('');
  const [removing, setRemoving] = useState<string | null>(null);
  const [removeReason, setRemoveReason] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [fileKind, setFileKind] = useState<(typeof FILE_KINDS)[number]>('internal');
  const [fileRegion, setFileRegion] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function run(action: () => Promise<unknown>, done: string): Promise<void> {
    setError(null);
    setNotice(null);
    try {
      await action();
      setNotice(done);
      result.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('common.networkError'));
    }
  }

  function add(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void run(async () => {
      await api.post('/api/v1/dnc', { phone: phone.trim(), kind, reason: reason.trim(), ...(kind === 'state' && region.trim() ? { region: region.trim().toUpperCase() } : {}) });
      setPhone('');
      setReason('');
    }, t('dnc.added'));
  }

  function remove(event: FormEvent<HTMLFormElement>, entry: DncEntry): void {
    event.preventDefault();
    void run(async () => {
      await api.post('/api/v1/dnc/remove', { phone: entry.phone, kind: entry.kind, reason: removeReason.trim(), ...(entry.region ? { region: entry.region } : {}) });
      setRemoving(null);
      setRemoveReason('');
    }, t('dnc.removed'));
  }

  function load(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (file === null) return;
    const form = new FormData();
    form.set('kind', fileKind);
    if (fileKind === 'state') form.set('region', fileRegion.trim().toUpperCase());
    form.set('file', file);
    void run(() => apiUpload('/api/v1/dnc/files', form), t('dnc.loaded'));
  }

  const entries = entriesOf(result.data);

  return (
    <section aria-labelledby="section-heading">
      <div className="section-head">
        <h1 id="section-heading">{t('admin.dnc')}</h1>
      </div>
      {notice && <p className="notice" role="status">{notice}</p>}
      {error && <div role="alert" className="alert">{error}</div>}
      <div className="split">
        <div>
          <form className="card form-stack" onSubmit={add} aria-labelledby="dnc-add-heading">
            <h2 id="dnc-add-heading">{t('dnc.add')}</h2>
            <label className="field">
              <span>{t('contact.phone')}</span>
              <input type="tel" value={phone} required onChange={(e) => setPhone(e.target.value)} />
            </label>
            <label className="field">
              <span>{t('dnc.kind')}</span>
              <select value={kind} onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}>
                {KINDS.map((k) => <option key={k} value={k}>{t(`dnc.kind.${k}`)}</option>)}
              </select>
            </label>
            {kind === 'state' && (
              <label className="field">
                <span>{t('dnc.state')}</span>
                <input value={region} required maxLength={2} pattern="[A-Za-z]{2}" onChange={(e) => setRegion(e.target.value)} />
              </label>
            )}
            <label className="field">
              <span>{t('dnc.reason')}</span>
              <input value={reason} required onChange={(e) => setReason(e.target.value)} />
            </label>
            <button type="submit" className="btn btn-primary">{t('dnc.addButton')}</button>
          </form>
          <form className="card form-stack" onSubmit={load} aria-labelledby="dnc-load-heading">
            <h2 id="dnc-load-heading">{t('dnc.loadFile')}</h2>
            <label className="field">
              <span>{t('dnc.file')}</span>
              <input type="file" accept=".csv,.txt,text/csv,text/plain" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </label>
            <label className="field">
              <span>{t('dnc.kind')}</span>
              <select value={fileKind} onChange={(e) => setFileKind(e.target.value as (typeof FILE_KINDS)[number])}>
                {FILE_KINDS.map((k) => <option key={k} value={k}>{t(`dnc.kind.${k}`)}</option>)}
              </select>
            </label>
            {fileKind === 'state' && (
              <label className="field">
                <span>{t('dnc.state')}</span>
                <input value={fileRegion} required maxLength={2} pattern="[A-Za-z]{2}" onChange={(e) => setFileRegion(e.target.value)} />
              </label>
            )}
            <button type="submit" className="btn" disabled={file === null}>{t('dnc.loadButton')}</button>
          </form>
        </div>
        <div className="card">
          <form
            className="inline-form"
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              setSearch(q.trim());
            }}
          >
            <label className="field grow">
              <span>{t('dnc.search')}</span>
              <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
            </label>
            <button type="submit" className="btn">{t('common.search')}</button>
          </form>
          {result.error && <div role="alert" className="alert">{result.error}</div>}
          <div className="table-wrap">
            <table className="data-table">
              <caption>{t('dnc.entries')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('contact.phone')}</th>
                  <th scope="col">{t('dnc.kind')}</th>
                  <th scope="col">{t('dnc.addedAt')}</th>
                  <th scope="col">{t('dnc.reason')}</th>
                  <th scope="col">{t('supervisor.colActions')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.length === 0 && (
                  <tr><td colSpan={5} className="muted">{t('dnc.none')}</td></tr>
                )}
                {entries.map((entry) => (
                  <tr key={entry.id}>
                    <th scope="row">{entry.phone}</th>
                    <td>
                      {LISTED_KINDS.includes(entry.kind as (typeof LISTED_KINDS)[number]) ? t(`dnc.kind.${entry.kind as (typeof LISTED_KINDS)[number]}`) : entry.kind}
                      {/* a state list entry counts only in its state: say which */}
                      {entry.kind === 'state' && entry.region ? ` (${entry.region})` : ''}
                    </td>
                    <td>{entry.addedAt ? fmt.dateTime(entry.addedAt) : '—'}</td>
                    <td>{entry.reason ?? '—'}</td>
                    <td>
                      {removing === entry.id ? (
                        <form className="inline-form compact" onSubmit={(e) => remove(e, entry)}>
                          <input aria-label={t('dnc.removeReason')} placeholder={t('dnc.removeReason')} value={removeReason} required onChange={(e) => setRemoveReason(e.target.value)} />
                          <button type="submit" className="btn btn-small btn-warn">{t('common.remove')}</button>
                          <button type="button" className="btn btn-small" onClick={() => setRemoving(null)}>{t('common.cancel')}</button>
                        </form>
                      ) : (
                        <button type="button" className="btn btn-small" onClick={() => { setRemoving(entry.id); setRemoveReason(''); }} aria-label={t('dnc.removeNumber', { phone: entry.phone })}>
                          {t('common.remove')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </section>
  );
}
