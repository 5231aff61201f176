import { useState } from 'react';
import type { ReactNode } from 'react';
import type { CampaignFloorView } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { campaignStatusKey, dialModeKey, EDITABLE_DIAL_MODES } from '../../lib/labels.ts';

interface Props {
  campaigns: CampaignFloorView[];
  busyId: string | null;
  onPause(id: string): void;
  onResume(id: string): void;
  onPatch(id: string, patch: { dialMode?: string; abandonTarget?: number }): void;
}

function TargetEditor({ campaign, disabled, onSet }: { campaign: CampaignFloorView; disabled: boolean; onSet(fraction: number): void }): ReactNode {
  const { t } = useI18n();
  const [value, setValue] = useState<string | null>(null);
  const shown = value ?? String(Math.round(campaign.abandonTarget * 1000) / 10);
  const parsed = Number(shown.replace(',', '.'));
  const valid = Number.isFinite(parsed) && parsed >= 0 && parsed <= 3;
  return (
    <form
      className="inline-form compact"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) {
          onSet(parsed / 100);
          setValue(null);
        }
      }}
    >
      <input
        className="input-narrow"
        inputMode="decimal"
        aria-label={t('supervisor.abandonTargetFor', { name: campaign.name })}
        aria-invalid={!valid}
        value={shown}
        onChange={(e) => setValue(e.target.value)}
      />
      <span aria-hidden="true">%</span>
      <button type="submit" className="btn btn-small" disabled={disabled || !valid || value === null}>
        {t('supervisor.setTarget')}
      </button>
    </form>
  );
}

export function CampaignsTable({ campaigns, busyId, onPause, onResume, onPatch }: Props): ReactNode {
  const { t, fmt } = useI18n();
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption>{t('supervisor.campaigns')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('supervisor.colCampaign')}</th>
            <th scope="col">{t('supervisor.colStatus')}</th>
            <th scope="col">{t('supervisor.colDialMode')}</th>
            <th scope="col" className="num">{t('supervisor.colDialLevel')}</th>
            <th scope="col" className="num">{t('supervisor.colAbandonRate')}</th>
            <th scope="col">{t('supervisor.colAbandonTarget')}</th>
            <th scope="col" className="num">{t('supervisor.colCalls')}</th>
            <th scope="col" className="num">{t('supervisor.colAnswered')}</th>
            <th scope="col" className="num">{t('supervisor.colAbandoned')}</th>
            <th scope="col" className="num">{t('supervisor.colRinging')}</th>
            <th scope="col">{t('supervisor.colActions')}</th>
          </tr>
        </thead>
        <tbody>
          {campaigns.length === 0 && (
            <tr>
              <td colSpan={11} className="muted">{t('supervisor.noCampaigns')}</td>
            </tr>
          )}
          {campaigns.map((c) => {
            const statusKey = campaignStatusKey(c.status);
            const over = c.abandonRate > c.abandonTarget && c.answered > 0;
            const running = c.status === 'running';
            return (
              <tr key={c.id}>
                <th scope="row">{c.name}</th>
                <td>
                  <span className={`state-pill campaign-${c.status}`}>{statusKey ? t(statusKey) : c.status}</span>
                </td>
                <td>
                  <select
                    aria-label={t('supervisor.dialModeFor', { name: c.name })}
                    value={c.dialMode}
                    disabled={busyId === c.id}
                    onChange={(e) => onPatch(c.id, { dialMode: e.target.value })}
                  >
                    {EDITABLE_DIAL_MODES.map((m) => {
                      const key = dialModeKey(m);
                      return (
                        <option key={m} value={m}>
                          {key ? t(key) : m}
                        </option>
                      );
                    })}
                  </select>
                </td>
                <td className="num">{fmt.number(c.dialLevel, 2)}</td>
                <td className={`num ${over ? 'text-danger' : ''}`}>{fmt.percent(c.abandonRate, 2)}</td>
                <td>
                  <TargetEditor campaign={c} disabled={busyId === c.id} onSet={(fraction) => onPatch(c.id, { abandonTarget: fraction })} />
                </td>
                <td className="num">{fmt.number(c.calls, 0)}</td>
                <td className="num">{fmt.number(c.answered, 0)}</td>
                <td className="num">{fmt.number(c.abandoned, 0)}</td>
                <td className="num">{fmt.number(c.ringing, 0)}</td>
                <td>
                  <div className="row-actions">
                    <button type="button" className="btn btn-small btn-pause" disabled={busyId === c.id || !running} onClick={() => onPause(c.id)}>
                      {t('supervisor.pauseCampaign')}
                    </button>
                    <button type="button" className="btn btn-small btn-ready" disabled={busyId === c.id || running || c.status === 'stopped'} onClick={() => onResume(c.id)}>
                      {t('supervisor.resumeCampaign')}
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
