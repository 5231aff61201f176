import type { ReactNode } from 'react';
import type { ContactView } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';

/** "homeOwner" / "last_purchase_at" → "Home owner" / "Last purchase at": custom field names as people read them. */
export function humanizeKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function displayValue(value: unknown, fmtNumber: (n: number) => string, yesNo: (b: boolean) => string): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return fmtNumber(value);
  if (typeof value === 'boolean') return yesNo(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The screen pop: who is on the line, their custom fields and what time it is where they are. */
export function CustomerPanel({ contact, now }: { contact: ContactView; now: number }): ReactNode {
  const { t, fmt } = useI18n();
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || t('agent.unknownName');
  const attributes = Object.entries(contact.attributes);
  return (
    <section aria-labelledby="customer-heading" className="card customer-card">
      <h2 id="customer-heading">{t('agent.customer')}</h2>
      <div className="customer-head">
        <div className="avatar" aria-hidden="true">
          {(contact.firstName?.[0] ?? '') + (contact.lastName?.[0] ?? '') || '?'}
        </div>
        <div>
          <p className="customer-name">{name}</p>
          <p className="customer-phone">{contact.phone}</p>
        </div>
        <div className="local-time">
          <span className="muted">{t('agent.localTime')}</span>
          <strong>{contact.timezone ? fmt.time(now, contact.timezone) : '—'}</strong>
          {contact.timezone && <span className="muted small">{contact.timezone}</span>}
        </div>
      </div>
      <dl className="field-grid">
        <div className="field-grid-row">
          <dt>{t('contact.city')}</dt>
          <dd>{contact.city ?? '—'}</dd>
        </div>
        <div className="field-grid-row">
          <dt>{t('contact.region')}</dt>
          <dd>{contact.region ?? '—'}</dd>
        </div>
        <div className="field-grid-row">
          <dt>{t('contact.postalCode')}</dt>
          <dd>{contact.postalCode ?? '—'}</dd>
        </div>
        {attributes.map(([key, value]) => (
          <div key={key} className="field-grid-row">
            <dt>{humanizeKey(key)}</dt>
            <dd>{displayValue(value, (n) => fmt.number(n), (b) => (b ? t('common.yes') : t('common.no')))}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
