import type { ReactNode } from 'react';
import type { ContactView } from '../../api/types.ts';
import { KbdHint } from '../../components/kbd-hint.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { shortcutKeys } from '../../lib/shortcuts.ts';
import type { RefusalReason } from '../../lib/compliance-reasons.ts';

interface Props {
  contact: ContactView | null;
  now: number;
  busy: boolean;
  canFetch: boolean;
  refusal: RefusalReason[] | null;
  onFetch(): void;
  onDial(): void;
  onSkip(): void;
}

/** Preview mode: the agent sees who is next and decides to dial or skip. */
export function PreviewPanel({ contact, now, busy, canFetch, refusal, onFetch, onDial, onSkip }: Props): ReactNode {
  const { t, fmt } = useI18n();
  return (
    <section aria-labelledby="preview-heading" className="card preview-card">
      <h2 id="preview-heading">{t('agent.nextContact')}</h2>
      {refusal !== null && (
        <div role="alert" className="alert">
          <strong>{t('agent.refused')}</strong>
          <ul>
            {refusal.length === 0 && <li>{t('reason.other')}</li>}
            {refusal.map((r, i) => <li key={i}>{t(r.key)}</li>)}
          </ul>
        </div>
      )}
      {contact === null ? (
        <div className="empty">
          <p className="muted">{t('agent.previewEmpty')}</p>
          <button type="button" className="btn" disabled={busy || !canFetch} onClick={onFetch}>
            {t('agent.previewFetch')}
          </button>
        </div>
      ) : (
        <>
          <p className="customer-name">{[contact.firstName, contact.lastName].filter(Boolean).join(' ') || t('agent.unknownName')}</p>
          <p className="customer-phone">{contact.phone}</p>
          <p className="muted small">
            {t('agent.localTime')}: {contact.timezone ? `${fmt.time(now, contact.timezone)} (${contact.timezone})` : '—'}
          </p>
          <div className="actions">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={onDial} aria-keyshortcuts={shortcutKeys('dial')}>
              {t('agent.dial')}
              <KbdHint keys={shortcutKeys('dial')} />
            </button>
            <button type="button" className="btn" disabled={busy} onClick={onSkip} aria-keyshortcuts={shortcutKeys('skip')}>
              {t('agent.skip')}
              <KbdHint keys={shortcutKeys('skip')} />
            </button>
          </div>
        </>
      )}
    </section>
  );
}
