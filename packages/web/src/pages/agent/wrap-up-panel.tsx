import type { ReactNode, RefObject } from 'react';
import type { AgentCampaign } from '../../api/types.ts';
import { KbdHint } from '../../components/kbd-hint.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { dispositionShortcut, shortcutKeys } from '../../lib/shortcuts.ts';

export interface WrapUpDraft {
  code: string | null;
  notes: string;
  /** datetime-local value in the agent's time zone, "" when not a callback */
  callbackAt: string;
  callbackScope: 'personal' | 'campaign';
}

export const EMPTY_DRAFT: WrapUpDraft = { code: null, notes: '', callbackAt: '', callbackScope: 'personal' };

interface Props {
  dispositions: AgentCampaign['dispositions'];
  draft: WrapUpDraft;
  onChange(draft: WrapUpDraft): void;
  onSave(): void;
  busy: boolean;
  contactTimezone: string | null;
  notesRef: RefObject<HTMLTextAreaElement | null>;
}

/** Wrap-up: one button per disposition of the campaign, notes, and for callbacks a date, time and scope. */
export function WrapUpPanel({ dispositions, draft, onChange, onSave, busy, contactTimezone, notesRef }: Props): ReactNode {
  const { t, fmt } = useI18n();
  const selected = dispositions.find((d) => d.code === draft.code);
  const isCallback = selected?.action === 'callback';
  const callbackMs = draft.callbackAt === '' ? NaN : new Date(draft.callbackAt).getTime();
  const canSave = selected !== undefined && (!isCallback || !Number.isNaN(callbackMs)) && !busy;

  return (
    <section aria-labelledby="wrapup-heading" className="card wrapup-card">
      <h2 id="wrapup-heading">{t('agent.wrapUp')}</h2>
      <div role="group" aria-labelledby="disposition-label" className="disposition-group">
        <p id="disposition-label" className="group-label">{t('agent.disposition')}</p>
        <div className="disposition-buttons">
          {dispositions.map((d, i) => (
            <button
              key={d.code}
              type="button"
              className={`btn btn-choice action-${d.action}`}
              aria-pressed={draft.code === d.code}
              aria-keyshortcuts={dispositionShortcut(i)}
              onClick={() => onChange({ ...draft, code: d.code })}
            >
              {d.label}
              <KbdHint keys={dispositionShortcut(i)} />
            </button>
          ))}
        </div>
      </div>
      {isCallback && (
        <fieldset className="callback-fields">
          <legend>{t('agent.callback')}</legend>
          <label className="field">
            <span>{t('agent.callbackAt')}</span>
            <input
              type="datetime-local"
              value={draft.callbackAt}
              onChange={(e) => onChange({ ...draft, callbackAt: e.target.value })}
              required
            />
          </label>
          {!Number.isNaN(callbackMs) && contactTimezone && (
            <p className="muted small">{t('agent.callbackContactTime', { time: fmt.dateTime(callbackMs, contactTimezone) })}</p>
          )}
          <div className="radio-row" role="radiogroup" aria-label={t('agent.callbackScope')}>
            <label>
              <input type="radio" name="scope" checked={draft.callbackScope === 'personal'} onChange={() => onChange({ ...draft, callbackScope: 'personal' })} />
              {t('agent.callbackPersonal')}
            </label>
            <label>
              <input type="radio" name="scope" checked={draft.callbackScope === 'campaign'} onChange={() => onChange({ ...draft, callbackScope: 'campaign' })} />
              {t('agent.callbackCampaign')}
            </label>
          </div>
        </fieldset>
      )}
      <label className="field">
        <span>{t('agent.notes')}</span>
        <textarea ref={notesRef} aria-keyshortcuts={shortcutKeys('notes')} rows={3} value={draft.notes} onChange={(e) => onChange({ ...draft, notes: e.target.value })} />
      </label>
      <div className="actions">
        <button type="button" className="btn btn-primary" disabled={!canSave} onClick={onSave} aria-keyshortcuts={shortcutKeys('save')}>
          {t('agent.save')}
          <KbdHint keys={shortcutKeys('save')} />
        </button>
      </div>
    </section>
  );
}
