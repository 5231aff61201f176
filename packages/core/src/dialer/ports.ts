import type { Clock } from '../clock.ts';
import type { CampaignSettings } from '../campaign/types.ts';
import type { ComplianceGate, ComplianceRequest } from '../compliance/types.ts';
import type { PacingPolicy } from '../pacing/policy.ts';
import type { TelephonyDriver } from '../telephony/driver.ts';
import type { EngineEvent } from './events.ts';

/**
 * The dialer engine's ports. Every port is synchronous: the engine never awaits, so the pacing benchmark can run
 * it in virtual time at millions of dials, and the server adapts its asynchronous store behind these interfaces.
 */

/** What the host knows about the contact for the compliance check; the engine adds id, time and campaign fields. */
export type DialTargetCompliance = Pick<ComplianceRequest, 'contact' | 'lists' | 'history' | 'country'>;

/** A contact ready to dial now, already claimed for this engine by the host. */
export interface DialTarget {
  contactId: string;
  /** E.164. */
  phone: string;
  /** 1 for the first attempt. Drivers key their behaviour on (contactId, attemptNo); the sim draws outcomes by it. */
  attemptNo: number;
  priority: number;
  /** Display data for the agent's screen (name, custom attributes, region, time zones...). */
  display?: Readonly<Record<string, unknown>>;
  compliance: DialTargetCompliance;
  /** A personal callback: only this agent may take the call (`takeOwned` hands it out, never `take`). */
  ownerAgentId?: string;
}

/** The hopper: contacts ready to dial, by priority and retry time, with attempts left. */
export interface ContactSource {
  /** Up to `max` contacts dialable now, claimed for the caller (each is returned once until the host releases it). */
  take(campaignId: string, max: number, now: number): DialTarget[];
  /** How many contacts `take` could return now (cheap: the pacing policy reads it on every decision). */
  available(campaignId: string, now: number): number;
  /**
   * Personal callbacks (optional): the agents with one due now in the campaign. The engine dials such a contact only
   * for its owner, when the owner is ready, and reserves the owner for it. Called on every decision: keep it cheap.
   */
  ownersDue?(campaignId: string, now: number): readonly string[];
  /** The agent's next due personal callback in the campaign, claimed for the caller like `take`. */
  takeOwned?(campaignId: string, agentId: string, now: number): DialTarget | undefined;
}

/** Receives every engine event, synchronously and in order. The host persists and broadcasts them. */
export interface EngineSink {
  emit(event: EngineEvent): void;
  /**
   * Optional: whether this sink uses events of a type. Without it a sink gets everything. When no sink wants an
   * informational event (answered, AMD verdict, connected, disposition saved), the engine does not build it: the
   * pacing benchmark's sinks skip them, millions of times.
   */
  wants?(type: EngineEvent['type']): boolean;
}

export type PolicyFactory = (campaign: CampaignSettings) => PacingPolicy;

export interface EnginePorts {
  clock: Clock;
  driver: TelephonyDriver;
  gate: ComplianceGate;
  hopper: ContactSource;
  sink: EngineSink;
  /** The predictive policy for a campaign (asked when a predictive campaign is upserted or its policy changes). */
  policyFor: PolicyFactory;
  newId(): string;
}

export interface EngineOptions {
  /** Recorded on every attempt (which server placed it). */
  nodeId?: string;
  /** Decision tick when the policy has none (ms). Also picks up contacts the host refilled. Default 1000. */
  defaultTickMs?: number;
  /** How often `campaign.stats` is emitted per running campaign (ms); 0 = never. Default 2000. */
  statsIntervalMs?: number;
  /** AMD analysis budget asked of the driver (ms). Default 4000. */
  amdMaxMs?: number;
  /** Prompt played on abandonment when the campaign names none. Default `abandon-default`. */
  defaultAbandonPromptId?: string;
  /** Cap on dials placed by one decision (protects against a runaway policy). Default 500. */
  maxDialsPerDecision?: number;
  /** Simultaneous calls allowed across the engine; default the driver's `caps.maxConcurrent` (else unlimited). */
  maxConcurrentCalls?: number;
}

/** Per-campaign options that are not campaign settings (scenario overrides, counters carried over by the host). */
export interface CampaignRuntimeOptions {
  /** Overrides the regime's 2-second grace (ms). The exactly solvable benchmark scenarios use 0. */
  graceMs?: number;
  /** The current compliance window's counters (the host knows the window's history; the engine adds to them). */
  window?: { liveAnswers: number; abandoned: number };
}
