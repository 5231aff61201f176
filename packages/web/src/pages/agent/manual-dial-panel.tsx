import type { FormEvent, ReactNode, RefObject } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { RefusalReason } from '../../lib/compliance-reasons.ts';
import { shortcutKeys } from '../../lib/shortcuts.ts';

interface Props {
  phone: string;
  onPhone(phone: string): void;
  onDial(): void;
  disabled: boolean;
  refusal: RefusalReason[] | null;
  inputRef: RefObject<HTMLInputElement | null>;
}

/** Manual dial goes through the same compliance gate as the dialer; a refusal shows each reason. */
export function ManualDialPanel({ phone, onPhone, onDial, disabled, refusal, inputRef }: Props): ReactNode {
  const { t } = useI18n();
  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    onDial();
  }
  return (
    <section aria-labelledby="manual-heading" className="card">
      <h2 id="manual-heading">{t('agent.manualDial')}</h2>
      <form onSubmit={submit} className="inline-form">
        <label className="field grow">
          <span>{t('agent.phoneNumber')}</span>
          <input ref={inputRef} aria-keyshortcuts={shortcutKeys('manualDial')} type="tel" inputMode="tel" value={phone} onChange={(e) => onPhone(e.target.value)} placeholder="+1 555 010 0000" />
        </label>
        <button type="submit" className="btn" disabled={disabled || phone.trim() === ''}>
          {t('agent.callNumber')}
        </button>
      </form>
      {refusal !== null && (
        <div role="alert" className="alert">
          <strong>{t('agent.refused')}</strong>
          <ul>
            {refusal.length === 0 && <li>{t('reason.other')}</li>}
            {refusal.map((r, i) => (
              <li key={i}>
                {t(r.key)} {r.rule && <code className="rule">{r.rule}</code>} {r.jurisdiction && <span className="muted">({r.jurisdiction})</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
