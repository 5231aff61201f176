import { parentPort } from 'node:worker_threads';
import { parseScenario } from '@outdial/telephony/sim/scenario';
import type { ScenarioFile } from '@outdial/telephony/sim/scenario';
import { runPacingSeed } from './pacing-run.ts';
import type { AmdMode } from './pacing-run.ts';
import type { Regime } from './pacing-metrics.ts';

/** A unit of benchmark work sent to a worker thread. */
export interface PacingTask {
  id: number;
  scenario: ScenarioFile;
  policy: string;
  regime: Regime;
  seed: number;
  days: number;
  amd: AmdMode;
}

parentPort?.on('message', (task: PacingTask) => {
  try {
    const parsed = parseScenario(task.scenario);
    if (!parsed.ok) throw new Error(parsed.error);
    const result = runPacingSeed({ ...task, scenario: parsed.scenario });
    parentPort?.postMessage({ id: task.id, ok: true, result });
  } catch (error) {
    parentPort?.postMessage({ id: task.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
