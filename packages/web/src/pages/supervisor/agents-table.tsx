import type { ReactNode } from 'react';
import type { CampaignFloorView, AgentView } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { agentCampaignNames } from '../../lib/floor-reducer.ts';
import { agentStateKey } from '../../lib/labels.ts';
import { pauseReasonLabel } from '../../lib/pause-reasons.ts';

export function AgentsTable({ agents, campaigns, now }: { agents: AgentView[]; campaigns: CampaignFloorView[]; now: number }): ReactNode {
  const { t, fmt } = useI18n();
  const sorted = [...agents].sort((a, b) => a.displayName.localeCompare(b.displayName));
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption>{t('supervisor.agents')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('supervisor.colAgent')}</th>
            <th scope="col">{t('supervisor.colState')}</th>
            <th scope="col">{t('supervisor.colTimeInState')}</th>
            <th scope="col">{t('supervisor.colCampaign')}</th>
            <th scope="col">{t('supervisor.colContact')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">{t('supervisor.noAgents')}</td>
            </tr>
          )}
          {sorted.map((a) => {
            const key = agentStateKey(a.state);
            return (
              <tr key={a.agentId}>
                <th scope="row">{a.displayName || a.username}</th>
                <td>
                  <span className={`state-pill state-${a.state}`}>{key ? t(key) : a.state}</span>
                  {a.state === 'paused' && a.reason && <span className="muted small"> · {pauseReasonLabel(a.reason, t)}</span>}
                </td>
                <td className="num">{fmt.duration(now - a.since)}</td>
                <td>{agentCampaignNames(a, campaigns)}</td>
                <td>{a.call ? [a.call.contact.firstName, a.call.contact.lastName].filter(Boolean).join(' ') || a.call.contact.phone : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
