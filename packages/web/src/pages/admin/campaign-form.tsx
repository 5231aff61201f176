import { useState } from 'react';
import type { ReactNode } from 'react';
import { api, ApiError } from '../../api/api-client.ts';
import type { DispositionAction, ListSummary } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { codeFromLabel, emptyDisposition, issuesFor } from '../../lib/campaign-draft.ts';
import type { CampaignInput, FieldIssue } from '../../lib/campaign-draft.ts';
import { dialModeKey, EDITABLE_DIAL_MODES } from '../../lib/labels.ts';

const PURPOSES = ['telemarketing', 'debt_collection', 'informational', 'survey'] as const;
const ACTIONS: readonly DispositionAction[] = ['final', 'retry', 'callback', 'dnc'];
const OUTCOMES = ['no_answer', 'busy', 'machine', 'voicemail', 'amd_hangup', 'abandoned', 'unavailable', 'congestion', 'failed', 'invalid', 'rejected'] as const;
const DAYS = [0, 1, 2, 3, 4, 5, 6] as const;

function Issues({ issues }: { issues: FieldIssue[] }): ReactNode {
  if (issues.length === 0) return null;
  return (
    <span className="field-error" role="note">
      {issues.map((i) => i.message).join(' ')}
    </span>
  );
}

interface Props {
  value: CampaignInput;
  onChange(value: CampaignInput): void;
  issues: FieldIssue[];
  lists: ListSummary[];
}

/** Every setting of a campaign. Validation is the server's (the compliance engine); its issues show by field. */
export function CampaignForm({ value: v, onChange, issues, lists }: Props): ReactNode {
  const { t, fmt, locale } = useI18n();
  const set = <K extends keyof CampaignInput>(key: K, next: CampaignInput[K]) => onChange({ ...v, [key]: next });
  const at = (field: string) => issuesFor(issues, field);
  const [segment, setSegment] = useState<{ count: number; total: number } | { error: string } | null>(null);
  async function countSegment(): Promise<void> {
    try {
      const answer = await api.post<{ count: number; total: number }>('/api/v1/segments/preview', { filter: v.filter ?? '', listIds: v.listIds });
      setSegment({ count: answer.count, total: answer.total });
    } catch (e) {
      setSegment({ error: e instanceof ApiError ? e.message : t('common.networkError') });
    }
  }
  const dayName = (d: number) => new Intl.DateTimeFormat(locale === 'lv' ? 'lv-LV' : 'en-US', { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 7 + d));

  return (
    <div className="form-stack">
      <fieldset className="callback-fields">
        <legend>{t('campaign.basics')}</legend>
        <div className="form-grid">
          <label className="field"><span>{t('common.name')}</span><input required value={v.name} onChange={(e) => set('name', e.target.value)} /><Issues issues={at('name')} /></label>
          <label className="field">
            <span>{t('campaign.purpose')}</span>
            <select value={v.purpose} onChange={(e) => set('purpose', e.target.value as CampaignInput['purpose'])}>
              {PURPOSES.map((p) => <option key={p} value={p}>{t(`campaign.purpose.${p}`)}</option>)}
            </select>
            <Issues issues={at('purpose')} />
          </label>
          <label className="field"><span>{t('campaign.seller')}</span><input required value={v.seller} onChange={(e) => set('seller', e.target.value)} /><Issues issues={at('seller')} /></label>
          <label className="field"><span>{t('campaign.subject')}</span><input required value={v.subject} onChange={(e) => set('subject', e.target.value)} /><Issues issues={at('subject')} /></label>
          <label className="field"><span>{t('campaign.callerId')}</span><input value={v.callerId} onChange={(e) => set('callerId', e.target.value)} placeholder="+12025550143" /><Issues issues={at('callerId')} /></label>
          <label className="field field-inline"><input type="checkbox" checked={v.training} onChange={(e) => set('training', e.target.checked)} /><span>{t('campaign.training')}</span></label>
        </div>
      </fieldset>

      <fieldset className="callback-fields">
        <legend>{t('campaign.dialing')}</legend>
        <div className="form-grid">
          <label className="field">
            <span>{t('supervisor.colDialMode')}</span>
            <select value={v.dialMode} onChange={(e) => set('dialMode', e.target.value as CampaignInput['dialMode'])}>
              {EDITABLE_DIAL_MODES.map((m) => <option key={m} value={m}>{t(dialModeKey(m) ?? 'dialMode.manual')}</option>)}
            </select>
            <Issues issues={at('dialMode')} />
          </label>
          <label className="field"><span>{t('campaign.pacingPolicy')}</span><input value={v.pacingPolicy} onChange={(e) => set('pacingPolicy', e.target.value)} /><Issues issues={at('pacingPolicy')} /></label>
          <label className="field">
            <span>{t('campaign.abandonTarget')}</span>
            <input type="number" step="0.1" min="0" max="3" value={Math.round(v.abandonTarget * 1000) / 10} onChange={(e) => set('abandonTarget', Number(e.target.value) / 100)} />
            <Issues issues={at('abandonTarget')} />
          </label>
          <label className="field">
            <span>{t('campaign.regime')}</span>
            <select value={v.regime} onChange={(e) => set('regime', e.target.value as CampaignInput['regime'])}>
              <option value="us30d">{t('campaign.regime.us30d')}</option>
              <option value="uk24h">{t('campaign.regime.uk24h')}</option>
            </select>
          </label>
          <label className="field"><span>{t('campaign.maxAttempts')}</span><input type="number" min="1" max="100" value={v.maxAttempts} onChange={(e) => set('maxAttempts', Number(e.target.value))} /><Issues issues={at('maxAttempts')} /></label>
          <label className="field"><span>{t('campaign.ringTimeout')}</span><input type="number" min="1" max="120" value={v.ringTimeoutSeconds} onChange={(e) => set('ringTimeoutSeconds', Number(e.target.value))} /><Issues issues={at('ringTimeoutSeconds')} /></label>
          <label className="field"><span>{t('campaign.abandonMessage')}</span><input value={v.abandonMessagePromptId ?? ''} onChange={(e) => set('abandonMessagePromptId', e.target.value === '' ? null : e.target.value)} /><Issues issues={at('abandonMessagePromptId')} /></label>
          <label className="field field-inline"><input type="checkbox" checked={v.amd} onChange={(e) => set('amd', e.target.checked)} /><span>{t('campaign.amd')}</span></label>
          <label className="field field-inline"><input type="checkbox" checked={v.prerecorded} onChange={(e) => set('prerecorded', e.target.checked)} /><span>{t('campaign.prerecorded')}</span></label>
        </div>
        <Issues issues={at('amd').concat(at('prerecorded'))} />
      </fieldset>

      <fieldset className="callback-fields">
        <legend>{t('campaign.window')}</legend>
        <label className="field field-inline">
          <input type="checkbox" checked={v.callingWindow !== null} onChange={(e) => set('callingWindow', e.target.checked ? { start: '09:00', end: '20:00' } : null)} />
          <span>{t('campaign.windowStricter')}</span>
        </label>
        {v.callingWindow !== null && (
          <div className="form-grid">
            <label className="field"><span>{t('campaign.windowStart')}</span><input type="time" value={v.callingWindow.start} onChange={(e) => v.callingWindow && set('callingWindow', { ...v.callingWindow, start: e.target.value })} /></label>
            <label className="field"><span>{t('campaign.windowEnd')}</span><input type="time" value={v.callingWindow.end} onChange={(e) => v.callingWindow && set('callingWindow', { ...v.callingWindow, end: e.target.value })} /></label>
            <div className="span-all radio-row" role="group" aria-label={t('campaign.windowDays')}>
              {DAYS.map((d) => {
                const days = v.callingWindow?.days ?? [...DAYS];
                return (
                  <label key={d}>
                    <input
                      type="checkbox"
                      checked={days.includes(d)}
                      onChange={(e) => v.callingWindow && set('callingWindow', { ...v.callingWindow, days: e.target.checked ? [...days, d].sort() : days.filter((x) => x !== d) })}
                    />
                    {dayName(d)}
                  </label>
                );
              })}
            </div>
          </div>
        )}
        <Issues issues={at('callingWindow')} />
      </fieldset>

      <fieldset className="callback-fields">
        <legend>{t('campaign.dispositions')}</legend>
        <Issues issues={at('dispositions')} />
        <table className="data-table">
          <caption className="visually-hidden">{t('campaign.dispositions')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('campaign.dispLabel')}</th>
              <th scope="col">{t('campaign.dispCode')}</th>
              <th scope="col">{t('campaign.dispAction')}</th>
              <th scope="col">{t('campaign.dispRetry')}</th>
              <th scope="col">{t('campaign.dispSale')}</th>
              <th scope="col">{t('campaign.dispMachine')}</th>
              <th scope="col"><span className="visually-hidden">{t('supervisor.colActions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {v.dispositions.map((d, i) => {
              const update = (patch: Partial<typeof d>) => set('dispositions', v.dispositions.map((x, j) => (j === i ? { ...x, ...patch } : x)));
              return (
                <tr key={i}>
                  <td><input aria-label={t('campaign.dispLabelN', { n: i + 1 })} value={d.label} onChange={(e) => update({ label: e.target.value, ...(d.code === '' || d.code === codeFromLabel(d.label) ? { code: codeFromLabel(e.target.value) } : {}) })} /></td>
                  <td><input aria-label={t('campaign.dispCodeN', { n: i + 1 })} value={d.code} onChange={(e) => update({ code: e.target.value })} /></td>
                  <td>
                    <select aria-label={t('campaign.dispActionN', { n: i + 1 })} value={d.action} onChange={(e) => update({ action: e.target.value as DispositionAction })}>
                      {ACTIONS.map((a) => <option key={a} value={a}>{t(`campaign.action.${a}`)}</option>)}
                    </select>
                  </td>
                  <td><input className="input-narrow" type="number" min="0" aria-label={t('campaign.dispRetryN', { n: i + 1 })} disabled={d.action !== 'retry'} value={d.retryAfterMinutes ?? ''} onChange={(e) => update({ retryAfterMinutes: e.target.value === '' ? undefined : Number(e.target.value) })} /></td>
                  <td><input type="checkbox" aria-label={t('campaign.dispSaleN', { n: i + 1 })} checked={d.sale === true} onChange={(e) => update({ sale: e.target.checked })} /></td>
                  <td><input type="checkbox" aria-label={t('campaign.dispMachineN', { n: i + 1 })} checked={d.machine === true} onChange={(e) => update({ machine: e.target.checked })} /></td>
                  <td><button type="button" className="btn btn-small" aria-label={t('campaign.removeDisp', { n: i + 1 })} onClick={() => set('dispositions', v.dispositions.filter((_, j) => j !== i))}>×</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div><button type="button" className="btn btn-small" onClick={() => set('dispositions', [...v.dispositions, emptyDisposition()])}>{t('campaign.addDisp')}</button></div>
      </fieldset>

      <fieldset className="callback-fields">
        <legend>{t('campaign.retryRules')}</legend>
        <Issues issues={at('retryRules')} />
        {v.retryRules.map((r, i) => {
          const update = (patch: Partial<typeof r>) => set('retryRules', v.retryRules.map((x, j) => (j === i ? { ...x, ...patch } : x)));
          return (
            <div key={i} className="inline-form compact">
              <select aria-label={t('campaign.ruleOutcomeN', { n: i + 1 })} value={r.outcome} onChange={(e) => update({ outcome: e.target.value as typeof r.outcome })}>
                {OUTCOMES.map((o) => <option key={o} value={o}>{t(`outcome.${o}`)}</option>)}
              </select>
              <select aria-label={t('campaign.ruleActionN', { n: i + 1 })} value={r.action} onChange={(e) => update({ action: e.target.value as typeof r.action })}>
                <option value="retry">{t('campaign.action.retry')}</option>
                <option value="final">{t('campaign.action.final')}</option>
              </select>
              <input className="input-narrow" type="number" min="0" aria-label={t('campaign.ruleDelayN', { n: i + 1 })} value={r.delayMinutes} onChange={(e) => update({ delayMinutes: Number(e.target.value) })} />
              <span className="muted small">{t('campaign.minutes')}</span>
              <button type="button" className="btn btn-small" aria-label={t('campaign.removeRule', { n: i + 1 })} onClick={() => set('retryRules', v.retryRules.filter((_, j) => j !== i))}>×</button>
            </div>
          );
        })}
        <div><button type="button" className="btn btn-small" onClick={() => set('retryRules', [...v.retryRules, { outcome: 'no_answer', action: 'retry', delayMinutes: 60 }])}>{t('campaign.addRule')}</button></div>
      </fieldset>

      <fieldset className="callback-fields">
        <legend>{t('campaign.contacts')}</legend>
        <div className="radio-row">
          {lists.map((l) => (
            <label key={l.id}>
              <input type="checkbox" checked={v.listIds.includes(l.id)} onChange={(e) => set('listIds', e.target.checked ? [...v.listIds, l.id] : v.listIds.filter((id) => id !== l.id))} />
              {l.name}
            </label>
          ))}
        </div>
        <Issues issues={at('listIds')} />
        <label className="field">
          <span>{t('campaign.filter')}</span>
          <textarea rows={2} value={v.filter ?? ''} onChange={(e) => set('filter', e.target.value.trim() === '' ? null : e.target.value)} placeholder="homeOwner = true and income > 50000" />
          <Issues issues={at('filter')} />
        </label>
        <div className="inline-form compact">
          <button type="button" className="btn btn-small" onClick={() => void countSegment()}>{t('campaign.countSegment')}</button>
          <span role="status" className="muted small">
            {segment !== null && ('error' in segment ? segment.error : t('campaign.segmentCount', { count: fmt.number(segment.count, 0), total: fmt.number(segment.total, 0) }))}
          </span>
        </div>
      </fieldset>

      <fieldset className="callback-fields">
        <legend>{t('agent.script')}</legend>
        <label className="field">
          <span>{t('campaign.script')}</span>
          <textarea rows={4} value={v.scriptTemplate} onChange={(e) => set('scriptTemplate', e.target.value)} />
        </label>
        <p className="muted small">{t('campaign.scriptHint', { example: '{{firstName}}, {{agentName}}, {{city}}' })}</p>
        <Issues issues={at('scriptTemplate')} />
      </fieldset>
      <p className="muted small">{t('campaign.abandonTargetNote', { value: fmt.percent(0.03, 0) })}</p>
    </div>
  );
}
