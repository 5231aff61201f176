import type { ReactNode } from 'react';
import type { SessionUser } from '../api/types.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { Link, navigate } from '../lib/router.tsx';
import { useSession } from '../lib/session-context.tsx';
import { LanguageSwitch } from './language-switch.tsx';

const NAV: Array<{ path: string; label: MessageKey; roles: Array<SessionUser['role']> }> = [
  { path: '/agent', label: 'nav.agent', roles: ['agent'] },
  { path: '/supervisor', label: 'nav.supervisor', roles: ['supervisor', 'admin'] },
  { path: '/admin', label: 'nav.admin', roles: ['admin'] },
];

export function AppHeader({ user, path }: { user: SessionUser; path: string }): ReactNode {
  const { t } = useI18n();
  const { signOut } = useSession();
  const items = NAV.filter((n) => n.roles.includes(user.role));
  const onAgentDesktop = path.startsWith('/agent');
  return (
    <header className="app-header">
      <div className="brand">
        <svg aria-hidden="true" width="26" height="26" viewBox="0 0 32 32">
          <circle cx="16" cy="16" r="14" fill="currentColor" />
          <path d="M10 17a6 6 0 0 0 12 0" stroke="white" strokeWidth="3" fill="none" strokeLinecap="round" />
        </svg>
        <span>Outdial</span>
      </div>
      {items.length > 1 && (
        <nav aria-label={t('nav.main')} className="main-nav">
          {items.map((item) => (
            <Link key={item.path} to={item.path} current={path.startsWith(item.path)} className="nav-link">
              {t(item.label)}
            </Link>
          ))}
        </nav>
      )}
      <div className="header-end">
        <LanguageSwitch />
        <span className="user-chip" title={user.username}>
          {user.displayName} · {t(`role.${user.role}`)}
        </span>
        {/* the agent desktop has its own Sign out (it also signs the agent out of the dialer) */}
        {!onAgentDesktop && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              void signOut().then(() => navigate('/'));
            }}
          >
            {t('common.signOut')}
          </button>
        )}
      </div>
    </header>
  );
}
