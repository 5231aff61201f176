import { readFileSync } from 'node:fs';
import { parseScenario, type Scenario } from './scenario.ts';

/** The demo's simulated carrier (`outdial start --demo`): short rings, conversations of 20–60 s. */
export const DEMO_SCENARIO_FILE = new URL('./demo-scenario.json', import.meta.url);

export function loadDemoScenario(): Scenario {
  const parsed = parseScenario(JSON.parse(readFileSync(DEMO_SCENARIO_FILE, 'utf8')));
  if (!parsed.ok) throw new Error(`demo-scenario.json: ${parsed.error}`);
  return parsed.scenario;
}
