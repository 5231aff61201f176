import type { ReactNode } from 'react';
import type { CallbacksOverview } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';

interface Props {
  overview: CallbacksOverview;
  now: number;
  busyId: string | null;
  /** Gives the callback to an agent of its campaign, or to the whole campaign (null). */
  onAssign(callbackId: string, agentId: string | null): void;
}

/** Pending callbacks with who will call back; a personal callback can be given to another agent or to anyone. */
export function CallbacksTable({ overview, now, busyId, onAssign }: Props): ReactNode {
  const { t, fmt } = useI18n();
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption>{t('callbacks.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('callbacks.colContact')}</th>
            <th scope="col">{t('callbacks.colPhone')}</th>
            <th scope="col">{t('callbacks.colDue')}</th>
            <th scope="col">{t('callbacks.colContactTime')}</th>
            <th scope="col">{t('supervisor.colCampaign')}</th>
            <th scope="col">{t('callbacks.colAgent')}</th>
          </tr>
        </thead>
        <tbody>
          {overview.callbacks.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">{t('callbacks.none')}</td>
            </tr>
          )}
          {overview.callbacks.map((c) => {
            const name = [c.firstName, c.lastName].filter(Boolean).join(' ') || c.phone;
            const agents = overview.agents[c.campaignId] ?? [];
            return (
              <tr key={c.id}>
                <th scope="row">{name}</th>
                <td>{c.phone}</td>
                <td>
                  {fmt.dateTime(c.dueAt)}
                  {c.dueAt <= now && <span className="chip chip-due"> {t('callbacks.due')}</span>}
                </td>
                <td>{c.timezone !== null ? `${fmt.dateTime(c.dueAt, c.timezone)} (${c.timezone})` : '—'}</td>
                <td>{c.campaignName}</td>
                <td>
                  <select
                    aria-label={t('callbacks.assignFor', { name })}
                    value={c.agentId ?? ''}
                    disabled={busyId === c.id}
                    onChange={(e) => onAssign(c.id, e.target.value === '' ? null : e.target.value)}
                  >
                    <option value="">{t('agent.callbackCampaign')}</option>
                    {agents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
                    {c.agentId !== null && !agents.some((a) => a.id === c.agentId) && <option value={c.agentId}>{c.agentName ?? c.agentId}</option>}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
