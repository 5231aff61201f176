import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Clock } from '@outdial/core/clock';
import type { TelephonyDriver } from '@outdial/core/telephony/driver';
import { RealClock } from '@outdial/telephony/real-clock';
import { parseScenario } from '@outdial/telephony/sim/scenario';
import type { Scenario } from '@outdial/telephony/sim/scenario';
import { SimDriver } from '@outdial/telephony/sim/sim-driver';
import type { ServerConfig } from '../config.ts';
import { createSipTelephony } from './sip-telephony.ts';

export interface Telephony {
  clock: Clock;
  driver: TelephonyDriver;
  /** The simulated carrier's scenario (sim only): the demo's simulated agents draw their wrap-up times from it. */
  scenario: Scenario | null;
  agentLegTarget(userId: string): string;
  /** With real telephony: the simulated carrier that practice (training) campaigns dial instead. */
  trainingDriver?: TelephonyDriver;
}

// Human-watchable: rings of a few seconds, conversations of about 40 s.
const DEMO_SCENARIO = fileURLToPath(new URL('../demo/demo-scenario.json', import.meta.url));

/** The driver named by the config, on the real clock. The core never learns which one it is. */
export async function createTelephony(config: ServerConfig, usernameOf: (userId: string) => string = (id) => id): Promise<Telephony> {
  const clock = new RealClock();
  if (config.telephony === 'sip') {
    const sip = createSipTelephony(config, clock, usernameOf);
    const practice = await createSimTelephony(config, clock);
    return { ...sip, scenario: practice.scenario, trainingDriver: practice.driver };
  }
  return createSimTelephony(config, clock);
}

async function createSimTelephony(config: ServerConfig, clock: Clock): Promise<Telephony> {
  const file = config.simScenario || DEMO_SCENARIO;
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`the simulated carrier's scenario ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = parseScenario(doc);
  if (!parsed.ok) throw new Error(`the simulated carrier's scenario ${file} is not valid: ${parsed.error}`);
  const driver = new SimDriver({ clock, scenario: parsed.scenario, seed: config.simSeed, virtualTime: false });
  return { clock, driver, scenario: parsed.scenario, agentLegTarget: (userId) => `sim:${userId}` };
}
