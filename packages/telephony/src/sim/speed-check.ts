/**
 * How fast the engine and the sim run in virtual time: `npx tsx packages/telephony/src/sim/speed-check.ts
 * [scenario.json] [days] [seed]`. Prints dials, events and simulated agent-hours per CPU second (process CPU time,
 * so that other load on the machine does not count).
 */
import { readFileSync } from 'node:fs';
import { parseScenario } from './scenario.ts';
import { createSimRun } from './sim-run.ts';

const file = process.argv[2] ?? new URL('../../../../../shared/scenarios/S2.json', import.meta.url).pathname;
const days = Number(process.argv[3] ?? 3);
const seed = Number(process.argv[4] ?? 1);
const parsed = parseScenario(JSON.parse(readFileSync(file, 'utf8')));
if (!parsed.ok) throw new Error(parsed.error);
const scenario = parsed.scenario;

let engineEvents = 0;
let dials = 0;
const run = createSimRun({
  scenario,
  seed,
  sinks: [
    {
      emit(e): void {
        engineEvents++;
        if (e.type === 'attempt.dialed') dials++;
      },
    },
  ],
});
let driverEvents = 0;
run.driver.onEvent(() => driverEvents++);
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
run.runDays(days);
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const wallSeconds = (performance.now() - wall0) / 1000;
const agentHours = days * scenario.hoursPerDay * scenario.maxAgents;
const events = engineEvents + driverEvents;
process.stdout.write(
  JSON.stringify(
    {
      scenario: scenario.name,
      days,
      dials,
      events,
      engineEvents,
      driverEvents,
      cpuSeconds: round(cpuSeconds),
      wallSeconds: round(wallSeconds),
      dialsPerCpuSecond: Math.round(dials / cpuSeconds),
      eventsPerCpuSecond: Math.round(events / cpuSeconds),
      cpuMicrosPerDial: round((cpuSeconds * 1e6) / dials),
      simulatedAgentHoursPerCpuSecond: Math.round(agentHours / cpuSeconds),
    },
    null,
    2,
  ) + '\n',
);

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
