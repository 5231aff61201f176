import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { api, ApiError } from '../../api/api-client.ts';
import type { CampaignSettings, Role, UserRecord } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';

const ROLES: readonly Role[] = ['agent', 'supervisor', 'admin'];

interface Draft {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  locale: string;
  campaignIds: string[];
  disabled: boolean;
}

const EMPTY: Draft = { username: '', displayName: '', role: 'agent', password: '', locale: 'en', campaignIds: [], disabled: false };

export function UsersSection(): ReactNode {
  const { t } = useI18n();
  const users = useApiData<UserRecord[]>('/api/v1/users');
  const campaigns = useApiData<CampaignSettings[]>('/api/v1/campaigns');
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  function edit(user: UserRecord | null): void {
    setError(null);
    setNotice(null);
    setEditing(user?.id ?? 'new');
    setDraft(user ? { username: user.username, displayName: user.displayName, role: user.role, password: '', locale: user.locale, campaignIds: user.campaignIds, disabled: user.disabled } : EMPTY);
  }

  async function save(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setError(null);
    try {
      if (editing === 'new') {
        await api.post('/api/v1/users', { username: draft.username, displayName: draft.displayName, role: draft.role, password: draft.password, locale: draft.locale, campaignIds: draft.campaignIds });
      } else if (editing !== null) {
        await api.patch(`/api/v1/users/${editing}`, {
          displayName: draft.displayName, role: draft.role, locale: draft.locale, campaignIds: draft.campaignIds, disabled: draft.disabled,
          ...(draft.password === '' ? {} : { password: draft.password }),
        });
      }
      setNotice(t('common.saved'));
      setEditing(null);
      users.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('common.networkError'));
    }
  }

  const campaignName = (id: string) => campaigns.data?.find((c) => c.id === id)?.name ?? id;

  return (
    <section aria-labelledby="section-heading">
      <div className="section-head">
        <h1 id="section-heading">{t('admin.users')}</h1>
        <button type="button" className="btn btn-primary" onClick={() => edit(null)}>
          {t('users.new')}
        </button>
      </div>
      {notice && <p className="notice" role="status">{notice}</p>}
      {users.error && <div role="alert" className="alert">{users.error}</div>}
      {editing !== null && (
        <form className="card form-stack" onSubmit={(e) => void save(e)} aria-labelledby="user-form-heading">
          <h2 id="user-form-heading">{editing === 'new' ? t('users.new') : t('users.editUser', { name: draft.username })}</h2>
          {error && <div role="alert" className="alert">{error}</div>}
          <div className="form-grid">
            <label className="field">
              <span>{t('users.username')}</span>
              <input value={draft.username} disabled={editing !== 'new'} required pattern="[A-Za-z0-9._\-]+" onChange={(e) => setDraft({ ...draft, username: e.target.value })} />
            </label>
            <label className="field">
              <span>{t('users.displayName')}</span>
              <input value={draft.displayName} required onChange={(e) => setDraft({ ...draft, displayName: e.target.value })} />
            </label>
            <label className="field">
              <span>{t('users.role')}</span>
              <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
                {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
              </select>
            </label>
            <label className="field">
              <span>{editing === 'new' ? t('users.password') : t('users.newPassword')}</span>
              <input type="password" autoComplete="new-password" value={draft.password} required={editing === 'new'} minLength={4} onChange={(e) => setDraft({ ...draft, password: e.target.value })} />
            </label>
            <label className="field">
              <span>{t('common.language')}</span>
              <select value={draft.locale} onChange={(e) => setDraft({ ...draft, locale: e.target.value })}>
                <option value="en">English</option>
                <option value="lv">Latviešu</option>
              </select>
            </label>
            {editing !== 'new' && (
              <label className="field field-inline">
                <input type="checkbox" checked={draft.disabled} onChange={(e) => setDraft({ ...draft, disabled: e.target.checked })} />
                <span>{t('users.disabled')}</span>
              </label>
            )}
          </div>
          <fieldset className="callback-fields">
            <legend>{t('users.campaigns')}</legend>
            {(campaigns.data ?? []).map((c) => (
              <label key={c.id} className="field field-inline">
                <input
                  type="checkbox"
                  checked={draft.campaignIds.includes(c.id)}
                  onChange={(e) => setDraft({ ...draft, campaignIds: e.target.checked ? [...draft.campaignIds, c.id] : draft.campaignIds.filter((id) => id !== c.id) })}
                />
                <span>{c.name}{c.training ? ` (${t('agent.training')})` : ''}</span>
              </label>
            ))}
          </fieldset>
          <div className="actions">
            <button type="submit" className="btn btn-primary">{t('common.save')}</button>
            <button type="button" className="btn" onClick={() => setEditing(null)}>{t('common.cancel')}</button>
          </div>
        </form>
      )}
      <div className="card">
        <div className="table-wrap">
          <table className="data-table">
            <caption>{t('admin.users')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('users.username')}</th>
                <th scope="col">{t('users.displayName')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.campaigns')}</th>
                <th scope="col">{t('contact.status')}</th>
                <th scope="col">{t('supervisor.colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {(users.data ?? []).map((u) => (
                <tr key={u.id}>
                  <th scope="row">{u.username}</th>
                  <td>{u.displayName}</td>
                  <td>{t(`role.${u.role}`)}</td>
                  <td>{u.campaignIds.map(campaignName).join(', ') || '—'}</td>
                  <td>{u.disabled ? t('users.disabled') : t('users.active')}</td>
                  <td>
                    <button type="button" className="btn btn-small" onClick={() => edit(u)} aria-label={t('users.editUser', { name: u.username })}>
                      {t('common.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
