import type { CampaignSettings } from '@outdial/core/campaign/types';
import type { ComplianceGate } from '@outdial/core/compliance/types';
import { DialerEngine } from '@outdial/core/dialer/engine';
import type { EngineEvent } from '@outdial/core/dialer/events';
import { FanoutSink } from '@outdial/core/dialer/fanout-sink';
import { MemoryContactSource } from '@outdial/core/dialer/memory-contact-source';
import type { DialTarget, EngineOptions, EngineSink, PolicyFactory } from '@outdial/core/dialer/ports';
import { progressivePolicy } from '@outdial/core/dialer/progressive-policy';
import { AgentBotPool } from './agent-bot.ts';
import { SimClock } from './sim-clock.ts';
import type { Scenario } from './scenario.ts';
import { allowAllGate, simCampaignSettings } from './sim-campaign.ts';
import { SimDriver } from './sim-driver.ts';

export interface SimRunOptions {
  scenario: Scenario;
  seed: number;
  /** Campaign overrides (dialMode, pacingPolicy, regime...). */
  campaign?: Partial<CampaignSettings>;
  policyFor?: PolicyFactory;
  gate?: ComplianceGate;
  amd?: 'on' | 'off' | 'scenario';
  /** Extra sinks (metrics, recorders), after the hopper and the bots. */
  sinks?: EngineSink[];
  engine?: EngineOptions;
  /** Virtual start time (ms). Default 2026-01-05T00:00Z (a Monday). */
  startMs?: number;
  /** Custom leads; default unlimited fresh leads `L<n>`; null: only the contacts added to the hopper. */
  freshLead?: ((campaignId: string, seq: number) => DialTarget) | null;
}

/** Everything wired for a campaign in virtual time: clock, sim driver, hopper, engine, agent bots. */
export interface SimRun {
  clock: SimClock;
  driver: SimDriver;
  hopper: MemoryContactSource;
  engine: DialerEngine;
  bots: AgentBotPool;
  campaign: CampaignSettings;
  sink: FanoutSink;
  /** Runs `days` scenario days (each `hoursPerDay` long, starting at midnight + 0 h; days are 24 h apart). */
  runDays(days: number): void;
  /** Runs the first `hours` of day 0 (bots follow the schedule). */
  runHours(hours: number): void;
}

export const DEFAULT_SIM_START_MS = Date.UTC(2026, 0, 5);

/** Synthetic leads bring no compliance facts: one shared, frozen empty set instead of an object per lead. */
const NO_COMPLIANCE_PARTS: DialTarget['compliance'] = Object.freeze({});

export function createSimRun(o: SimRunOptions): SimRun {
  const start = o.startMs ?? DEFAULT_SIM_START_MS;
  const clock = new SimClock(start);
  const driver = new SimDriver({ clock, scenario: o.scenario, seed: o.seed, dayOrigin: start, amd: o.amd ?? 'scenario' });
  const amdOn = driver.caps.amd;
  const campaign = simCampaignSettings(o.scenario, { amd: amdOn, ...o.campaign });
  const hopper = new MemoryContactSource({
    freshLead:
      o.freshLead === null
        ? undefined
        : (o.freshLead ??
      ((_campaignId, seq) => ({
        contactId: `L${seq}`,
        phone: `+1555${String(1_000_000 + (seq % 9_000_000)).padStart(7, '0')}`,
        attemptNo: 1,
        priority: 0,
        compliance: NO_COMPLIANCE_PARTS,
      }))),
  });
  const sink = new FanoutSink([hopper]);
  let idSeq = 0;
  const engine = new DialerEngine(
    {
      clock,
      driver,
      gate: o.gate ?? allowAllGate,
      hopper,
      sink,
      policyFor: o.policyFor ?? (() => progressivePolicy()),
      newId: () => `c${++idSeq}`,
    },
    { statsIntervalMs: 0, ...o.engine },
  );
  const agentIds = Array.from({ length: o.scenario.maxAgents }, (_, i) => `a${i + 1}`);
  const bots = new AgentBotPool({ engine, clock, driver, campaign, agentIds });
  sink.add(bots);
  for (const s of o.sinks ?? []) sink.add(s);
  const graceMs = o.scenario.graceMs ?? undefined;
  engine.upsertCampaign(campaign, graceMs === undefined ? {} : { graceMs });
  void driver.start();
  const DAY = 86_400_000;
  return {
    clock,
    driver,
    hopper,
    engine,
    bots,
    campaign,
    sink,
    runDays(days: number): void {
      for (let d = 0; d < days; d++) {
        const dayStart = start + d * DAY;
        clock.advanceTo(dayStart);
        bots.followDay(o.scenario, dayStart);
        // Let the day's calls finish after the agents stop (wrap-ups and late answers), then go on.
        clock.advanceTo(dayStart + o.scenario.hoursPerDay * 3_600_000);
        engine.upsertCampaign({ ...campaign, status: 'paused' });
        clock.runUntilIdle(dayStart + DAY - 1);
        engine.upsertCampaign(campaign);
      }
    },
    runHours(hours: number): void {
      bots.followDay(o.scenario, start);
      clock.advanceTo(start + hours * 3_600_000);
    },
  };
}

export type { EngineEvent };
