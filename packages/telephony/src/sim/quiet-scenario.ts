import { parseScenario, type Scenario } from './scenario.ts';

/**
 * A scenario whose draws never matter: every number a test dials has its far end scripted (the conformance harness,
 * the engine's unit-test driver), so unscripted calls simply go unanswered.
 */
export function quietScenario(name = 'scripted'): Scenario {
  const parsed = parseScenario({
    name,
    agents: 1,
    hoursPerDay: 8,
    outcomes: { live: 0, machine: 0, noAnswer: 1, busy: 0, invalid: 0 },
    liveAnswerSeconds: { dist: 'fixed', value: 5 },
    machineAnswerSeconds: { dist: 'fixed', value: 5 },
    noAnswerTimeoutSeconds: 25,
    busySeconds: { dist: 'fixed', value: 3 },
    invalidSeconds: { dist: 'fixed', value: 3 },
    setupSeconds: { dist: 'fixed', value: 0 },
    talkSeconds: { dist: 'fixed', value: 60 },
    wrapSeconds: { dist: 'fixed', value: 10 },
    amd: { enabled: true, delaySeconds: 2.5, falsePositive: 0, falseNegative: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.scenario;
}
