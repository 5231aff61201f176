import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';

export function ListsSection(): ReactNode {
  const { t } = useI18n();
  return (
    <section aria-labelledby="section-heading">
      <h1 id="section-heading">{t('admin.lists')}</h1>
    </section>
  );
}
