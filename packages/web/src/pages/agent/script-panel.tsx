import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { fillScript } from '../../lib/script-template.ts';
import type { ScriptContext } from '../../lib/script-template.ts';

export function ScriptPanel({ template, context }: { template: string; context: ScriptContext }): ReactNode {
  const { t } = useI18n();
  const text = fillScript(template, context);
  return (
    <section aria-labelledby="script-heading" className="card script-card">
      <h2 id="script-heading">{t('agent.script')}</h2>
      {text.split(/\n{2,}/).map((paragraph, i) => (
        <p key={i}>{paragraph}</p>
      ))}
    </section>
  );
}
