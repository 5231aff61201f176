import { useEffect } from 'react';
import type { ReactNode } from 'react';
import type { CallbackItem } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';

interface Props {
  /** Bumped by the page when a stream event may have changed the list (a callback saved, dialed or reassigned). */
  version: number;
  now: number;
}

/**
 * The agent's own pending callbacks, earliest first, with those due marked. The dialer calls a due one as soon as the
 * agent is Ready (it waits for them, never goes to a colleague), so the list tells the agent what is coming.
 */
export function MyCallbacksPanel({ version, now }: Props): ReactNode {
  const { t, fmt } = useI18n();
  const { data, error, reload } = useApiData<CallbackItem[]>('/api/v1/callbacks/mine');
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  const items = data ?? [];
  const due = items.filter((c) => c.dueAt <= now).length;

  return (
    <section aria-labelledby="my-callbacks-heading" className="card callbacks-card">
      <h2 id="my-callbacks-heading">{t('callbacks.mine')}</h2>
      {error !== null && <div role="alert" className="alert">{error}</div>}
      {items.length === 0 ? (
        <p className="muted small">{t('callbacks.noneMine')}</p>
      ) : (
        <>
          {due > 0 && <p className="small callback-due-note">{t('callbacks.dueNote', { count: fmt.number(due) })}</p>}
          <ul className="callback-list">
            {items.map((c) => {
              const isDue = c.dueAt <= now;
              return (
                <li key={c.id} className={isDue ? 'callback-item callback-due' : 'callback-item'}>
                  <span className="callback-name">{[c.firstName, c.lastName].filter(Boolean).join(' ') || t('agent.unknownName')}</span>
                  <span className="callback-phone">{c.phone}</span>
                  <span className={isDue ? 'chip chip-due' : 'chip'}>{isDue ? t('callbacks.due') : t('callbacks.scheduled')}</span>
                  <span className="muted small">
                    {fmt.dateTime(c.dueAt)}
                    {c.timezone !== null && ` · ${t('callbacks.contactTime', { time: fmt.time(c.dueAt, c.timezone) })}`}
                  </span>
                  <span className="muted small">{c.campaignName}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
