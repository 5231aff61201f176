import { useCallback, useState } from 'react';
import type { ChangeEvent, ReactNode } from 'react';
import { apiUpload, ApiError } from '../../api/api-client.ts';
import type { ImportSummary, StreamEvent } from '../../api/types.ts';
import { useEventStream } from '../../api/use-event-stream.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { FIELD_TARGETS, previewCsv, suggestTarget } from '../../lib/csv-preview.ts';
import type { CsvPreview } from '../../lib/csv-preview.ts';

type Step = 'file' | 'mapping' | 'progress' | 'summary';
const STEPS: readonly Step[] = ['file', 'mapping', 'progress', 'summary'];
const PREVIEW_BYTES = 64 * 1024;

interface Progress {
  rows: number;
  imported: number;
  duplicates: number;
  rejected: number;
  done: boolean;
  bytes?: number;
  totalBytes?: number;
}

function reasonsOf(summary: ImportSummary): Array<{ reason: string; count: number }> {
  const r = summary.rejectReasons;
  if (Array.isArray(r)) return r;
  return Object.entries(r ?? {}).map(([reason, count]) => ({ reason, count }));
}

/** Upload → mapping with a preview of the first rows → progress (from import.progress events) → summary. */
export function ImportWizard({ listId, listName, onClose }: { listId: string; listName: string; onClose(done: boolean): void }): ReactNode {
  const { t, fmt } = useI18n();
  const [step, setStep] = useState<Step>('file');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [mapping, setMapping] = useState<string[]>([]);
  const [importId, setImportId] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onFile(event: ChangeEvent<HTMLInputElement>): Promise<void> {
    const chosen = event.target.files?.[0] ?? null;
    setFile(chosen);
    setError(null);
    if (chosen === null) return;
    const head = await chosen.slice(0, PREVIEW_BYTES).text();
    const parsed = previewCsv(head, 5);
    if (parsed.headers.length === 0) {
      setError(t('import.emptyFile'));
      return;
    }
    setPreview(parsed);
    setMapping(parsed.headers.map(suggestTarget));
  }

  const onEvent = useCallback(
    (event: StreamEvent) => {
      if (event.type !== 'import.progress') return;
      const p = event.payload;
      if (importId !== null && p['importId'] !== importId) return;
      if (importId === null && p['listId'] !== listId) return;
      const num = (k: string) => (typeof p[k] === 'number' ? (p[k] as number) : 0);
      const next: Progress = { rows: num('rows'), imported: num('imported'), duplicates: num('duplicates'), rejected: num('rejected'), done: p['done'] === true };
      const bytes = p['bytesRead'] ?? p['bytes'];
      if (typeof bytes === 'number') next.bytes = bytes;
      if (typeof p['totalBytes'] === 'number') next.totalBytes = p['totalBytes'];
      setProgress(next);
      if (next.done) {
        setSummary((current) => current ?? { ...next, rejectReasons: (p['rejectReasons'] as ImportSummary['rejectReasons']) ?? {} });
        setStep('summary');
      }
    },
    [importId, listId],
  );
  useEventStream(onEvent, step === 'mapping' || step === 'progress');

  async function start(): Promise<void> {
    if (file === null || preview === null) return;
    setError(null);
    setStep('progress');
    const form = new FormData();
    // the import's mapping syntax: one `map` field per column, COLUMN=target (phone, firstName, …, - to ignore)
    preview.headers.forEach((h, i) => form.append('map', `${h}=${mapping[i] ?? '-'}`));
    form.append('file', file, file.name);
    try {
      const answer = await apiUpload<Partial<ImportSummary> & { importId?: string; id?: string; summary?: ImportSummary; done?: boolean; status?: string }>(`/api/v1/lists/${listId}/imports`, form);
      const id = answer.importId ?? answer.id ?? null;
      setImportId(id);
      const final = answer.summary ?? (typeof answer.imported === 'number' && (answer.done === true || answer.status === 'done' || answer.status === undefined) ? (answer as ImportSummary) : null);
      if (final !== null) {
        setSummary({ ...final, importId: final.importId ?? id ?? undefined });
        setProgress({ rows: final.rows, imported: final.imported, duplicates: final.duplicates, rejected: final.rejected, done: true });
        setStep('summary');
      }
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('common.networkError'));
      setStep('mapping');
    }
  }

  function rejectReasonLabel(reason: string): string {
    const known = ['invalid_phone', 'missing_phone', 'invalid_attribute', 'ragged_row'] as const;
    const match = known.find((k) => k === reason);
    return match === undefined ? reason : t(`import.reject.${match}`);
  }

  const percent = progress === null ? 0
    : progress.done ? 100
      : progress.totalBytes ? Math.min(99, Math.round(((progress.bytes ?? 0) / progress.totalBytes) * 100)) : 50;
  const rejectedId = summary?.importId ?? importId;

  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="import-heading">
        <div className="section-head">
          <h2 id="import-heading">{t('import.title', { list: listName })}</h2>
          <button type="button" className="btn btn-ghost" onClick={() => onClose(step === 'summary')}>{t('common.close')}</button>
        </div>
        <ol className="wizard-steps">
          {STEPS.map((s) => (
            <li key={s} aria-current={s === step ? 'step' : undefined}>{t(`import.step.${s}`)}</li>
          ))}
        </ol>
        {error && <div role="alert" className="alert">{error}</div>}

        {(step === 'file' || step === 'mapping') && (
          <label className="field">
            <span>{t('import.file')}</span>
            <input type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void onFile(e)} />
          </label>
        )}
        {step === 'file' && (
          <div className="actions">
            <button type="button" className="btn btn-primary" disabled={preview === null} onClick={() => setStep('mapping')}>{t('common.next')}</button>
          </div>
        )}

        {step === 'mapping' && preview && (
          <>
            <h3>{t('import.mapping')}</h3>
            <p className="muted small">{t('import.mappingHint')}</p>
            <div className="table-wrap">
              <table className="data-table preview-table">
                <caption>{t('import.previewCaption')}</caption>
                <thead>
                  <tr>
                    {preview.headers.map((h, i) => (
                      <th key={i} scope="col">
                        <div>{h}</div>
                        <select aria-label={t('import.targetFor', { column: h })} value={mapping[i] ?? '-'} onChange={(e) => setMapping(mapping.map((m, j) => (j === i ? e.target.value : m)))}>
                          <option value="-">{t('import.ignore')}</option>
                          {FIELD_TARGETS.map((f) => <option key={f} value={f}>{t(`import.field.${f}`)}</option>)}
                          {!(FIELD_TARGETS as readonly string[]).includes(mapping[i] ?? '') && mapping[i] !== '-' && (
                            <option value={mapping[i]}>{t('import.attribute', { name: mapping[i] ?? '' })}</option>
                          )}
                        </select>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((row, r) => (
                    <tr key={r}>
                      {preview.headers.map((_, c) => <td key={c}>{row[c] ?? ''}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="actions">
              <button type="button" className="btn" onClick={() => setStep('file')}>{t('common.back')}</button>
              <button type="button" className="btn btn-primary" disabled={!mapping.includes('phone')} onClick={() => void start()}>{t('import.start')}</button>
              {!mapping.includes('phone') && <span className="field-error">{t('import.needPhone')}</span>}
            </div>
          </>
        )}

        {(step === 'progress' || step === 'summary') && (
          <div className="form-stack">
            <div
              role="progressbar"
              aria-label={t('import.progress')}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              aria-valuetext={t('import.rowsSoFar', { rows: fmt.number(progress?.rows ?? 0, 0), percent })}
              className="progress"
            >
              <div className="progress-fill" style={{ width: `${percent}%` }} />
            </div>
            <p className="muted small">{t('import.rowsSoFar', { rows: fmt.number(progress?.rows ?? 0, 0), percent })}</p>
          </div>
        )}

        {step === 'summary' && summary && (
          <section aria-labelledby="import-summary-heading">
            <h3 id="import-summary-heading">{t('import.summary')}</h3>
            <dl className="summary-grid">
              <div><dt>{t('import.rows')}</dt><dd>{fmt.number(summary.rows, 0)}</dd></div>
              <div><dt>{t('import.imported')}</dt><dd>{fmt.number(summary.imported, 0)}</dd></div>
              <div><dt>{t('import.duplicates')}</dt><dd>{fmt.number(summary.duplicates, 0)}</dd></div>
              <div><dt>{t('import.rejected')}</dt><dd>{fmt.number(summary.rejected, 0)}</dd></div>
            </dl>
            {reasonsOf(summary).length > 0 && (
              <ul className="issues-list">
                {reasonsOf(summary).map((r) => <li key={r.reason}>{rejectReasonLabel(r.reason)}: {fmt.number(r.count, 0)}</li>)}
              </ul>
            )}
            {summary.rejected > 0 && rejectedId && (
              <p>
                <a className="btn" href={summary.rejectedUrl ?? `/api/v1/imports/${rejectedId}/rejected`} download>{t('import.downloadRejected')}</a>
              </p>
            )}
            <div className="actions">
              <button type="button" className="btn btn-primary" onClick={() => onClose(true)}>{t('common.close')}</button>
            </div>
          </section>
        )}
      </div>
    </div>
  );
}
