import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { ApiError } from '../api/api-client.ts';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import { navigate } from '../lib/router.tsx';
import { homePathFor, useSession } from '../lib/session-context.tsx';

export function SignInPage(): ReactNode {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await signIn(username.trim(), password);
      navigate(homePathFor(user.role), true);
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) setError(t('signIn.rateLimited'));
      else if (e instanceof ApiError && e.status === 401) setError(t('signIn.invalid'));
      else setError(t('common.networkError'));
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <div className="sign-in-top">
          <div className="brand brand-large">
            <svg aria-hidden="true" width="34" height="34" viewBox="0 0 32 32">
              <circle cx="16" cy="16" r="14" fill="currentColor" />
              <path d="M10 17a6 6 0 0 0 12 0" stroke="white" strokeWidth="3" fill="none" strokeLinecap="round" />
            </svg>
            <span>Outdial</span>
          </div>
          <LanguageSwitch />
        </div>
        <h1>{t('signIn.title')}</h1>
        <p className="muted">{t('signIn.subtitle')}</p>
        <form onSubmit={(e) => void onSubmit(e)} className="form-stack">
          <label className="field">
            <span>{t('signIn.username')}</span>
            <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
          </label>
          <label className="field">
            <span>{t('signIn.password')}</span>
            <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </label>
          {error !== null && (
            <div role="alert" className="alert">
              {error}
            </div>
          )}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {t('signIn.submit')}
          </button>
        </form>
      </div>
    </main>
  );
}
