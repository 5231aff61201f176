import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';

export function CampaignsSection(): ReactNode {
  const { t } = useI18n();
  return (
    <section aria-labelledby="section-heading">
      <h1 id="section-heading">{t('admin.campaigns')}</h1>
    </section>
  );
}
