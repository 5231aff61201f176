import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { AppHeader } from './components/app-header.tsx';
import { useI18n } from './i18n/i18n-context.tsx';
import { isLocale } from './i18n/translate.ts';
import { navigate, usePath } from './lib/router.tsx';
import { homePathFor, useSession } from './lib/session-context.tsx';
import type { Role } from './api/types.ts';
import { SignInPage } from './pages/sign-in-page.tsx';
import { AgentDesktopPage } from './pages/agent/agent-desktop-page.tsx';
import { SupervisorPage } from './pages/supervisor/supervisor-page.tsx';
import { AdminPage } from './pages/admin/admin-page.tsx';

const ROUTE_ROLES: Array<{ prefix: string; roles: Role[] }> = [
  { prefix: '/agent', roles: ['agent'] },
  { prefix: '/supervisor', roles: ['supervisor', 'admin'] },
  { prefix: '/admin', roles: ['admin'] },
];

export function App(): ReactNode {
  const path = usePath();
  const { user } = useSession();
  const { t, setLocale, locale } = useI18n();

  const userLocale = user?.locale;
  useEffect(() => {
    // a user's saved locale wins once, at sign-in; the switch in the header changes it for the session
    if (isLocale(userLocale) && globalThis.localStorage?.getItem('outdial.locale') === null) setLocale(userLocale);
  }, [userLocale, setLocale]);

  useEffect(() => {
    if (user === null && path !== '/') navigate('/', true);
    if (user && path === '/') navigate(homePathFor(user.role), true);
  }, [user, path]);

  if (user === undefined) {
    return (
      <main className="page page-center" aria-busy="true">
        <p className="muted">{t('common.loading')}</p>
      </main>
    );
  }
  if (user === null) return <SignInPage />;

  const route = ROUTE_ROLES.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
  let page: ReactNode;
  if (route === undefined) page = null;
  else if (!route.roles.includes(user.role)) {
    page = (
      <main className="page">
        <div role="alert" className="alert">{t('common.forbidden')}</div>
      </main>
    );
  } else if (route.prefix === '/agent') page = <AgentDesktopPage />;
  else if (route.prefix === '/supervisor') page = <SupervisorPage />;
  else page = <AdminPage path={path} />;

  return (
    <div className="shell" data-locale={locale}>
      <AppHeader user={user} path={path} />
      {page}
    </div>
  );
}
