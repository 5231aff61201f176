import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Link } from '../../lib/router.tsx';
import { CampaignsSection } from './campaigns-section.tsx';
import { ListsSection } from './lists-section.tsx';
import { DncSection } from './dnc-section.tsx';
import { UsersSection } from './users-section.tsx';
import { ReportsSection } from './reports-section.tsx';

const SECTIONS: Array<{ slug: string; label: MessageKey; render(): ReactNode }> = [
  { slug: 'campaigns', label: 'admin.campaigns', render: () => <CampaignsSection /> },
  { slug: 'lists', label: 'admin.lists', render: () => <ListsSection /> },
  { slug: 'dnc', label: 'admin.dnc', render: () => <DncSection /> },
  { slug: 'users', label: 'admin.users', render: () => <UsersSection /> },
  { slug: 'reports', label: 'admin.reports', render: () => <ReportsSection /> },
];

export function AdminPage({ path }: { path: string }): ReactNode {
  const { t } = useI18n();
  const slug = path.split('/')[2] ?? 'campaigns';
  const section = SECTIONS.find((s) => s.slug === slug) ?? SECTIONS[0];
  return (
    <div className="admin-layout">
      <nav aria-label={t('admin.sections')} className="side-nav">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.slug}>
              <Link to={`/admin/${s.slug}`} current={s === section} className="side-link">
                {t(s.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main className="page admin-main">{section?.render()}</main>
    </div>
  );
}
