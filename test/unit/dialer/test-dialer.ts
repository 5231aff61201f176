import { expect } from 'vitest';
import { firstInvalidStep, type AgentState } from '@outdial/core/agent/agent-state';
import type { CampaignSettings } from '@outdial/core/campaign/types';
import type { ComplianceDecision, ComplianceGate, ComplianceRequest } from '@outdial/core/compliance/types';
import type { CommandResult, DispositionInput } from '@outdial/core/dialer/commands';
import { DialerEngine } from '@outdial/core/dialer/engine';
import type { EngineEvent } from '@outdial/core/dialer/events';
import { FanoutSink } from '@outdial/core/dialer/fanout-sink';
import { MemoryContactSource } from '@outdial/core/dialer/memory-contact-source';
import type { CampaignRuntimeOptions, DialTarget, PolicyFactory } from '@outdial/core/dialer/ports';
import { progressivePolicy } from '@outdial/core/dialer/progressive-policy';
import { VirtualClock } from '@outdial/core/virtual-clock';
import type { FarEndBehaviour } from '@outdial/telephony/conformance/far-end';
import { quietScenario } from '@outdial/telephony/sim/quiet-scenario';
import { simCampaignSettings } from '@outdial/telephony/sim/sim-campaign';
import { SimDriver } from '@outdial/telephony/sim/sim-driver';

export const T0 = Date.UTC(2026, 0, 5, 15, 0, 0);


export function decision(verdict: ComplianceDecision['verdict'], extra: Partial<ComplianceDecision> = {}): ComplianceDecision {
  return {
    id: 'd',
    verdict,
    notBefore: null,
    reasons: [],
    evaluated: [],
    evidence: { rulesVersion: 'test', zones: [], jurisdictions: [] },
    ...extra,
  };
}

/** A test gate: blocks listed numbers, defers others until an instant, allows the rest; records every request. */
export class TestGate implements ComplianceGate {
  readonly requests: ComplianceRequest[] = [];
  readonly blocked = new Set<string>();
  readonly deferredUntil = new Map<string, number>();
  check(request: ComplianceRequest): ComplianceDecision {
    this.requests.push(request);
    if (this.blocked.has(request.phone)) {
      return decision('block', {
        id: request.id,
        reasons: [{ category: 'dnc_internal', rule: 'TEST-DNC', jurisdiction: 'US' }],
      });
    }
    const until = this.deferredUntil.get(request.phone);
    if (until !== undefined && Date.parse(request.at) < until) {
      return decision('defer', {
        id: request.id,
        notBefore: new Date(until).toISOString(),
        reasons: [{ category: 'calling_hours', rule: 'TEST-HOURS', jurisdiction: 'US' }],
      });
    }
    return decision('allow', { id: request.id });
  }
}

/**
 * A fluent driver for the engine in virtual time with the sim driver as carrier, after tldraw's TestEditor:
 * `.campaign({...}).contact('k1', {...}).signIn('a1').agentReady('a1').tick(1000).expectAgent('a1', 'on_call')`.
 */
export class TestDialer {
  readonly clock = new VirtualClock(T0);
  readonly driver: SimDriver;
  readonly gate = new TestGate();
  readonly hopper = new MemoryContactSource();
  readonly events: EngineEvent[] = [];
  readonly engine: DialerEngine;
  settings: CampaignSettings;
  lastResult: CommandResult<unknown> | null = null;
  private phoneSeq = 0;

  constructor(options: { policyFor?: PolicyFactory; bridgeLatencyMs?: number; trunks?: number } = {}) {
    const scenario = quietScenario();
    if (options.trunks !== undefined) scenario.trunks = options.trunks;
    this.driver = new SimDriver({ clock: this.clock, scenario, seed: 1, dayOrigin: T0, bridgeLatencyMs: options.bridgeLatencyMs ?? 20 });
    this.settings = simCampaignSettings(scenario, { id: 'c1', ringTimeoutSeconds: 25, maxAttempts: 3 });
    let id = 0;
    const record = { emit: (e: EngineEvent) => this.events.push(e) };
    this.engine = new DialerEngine(
      {
        clock: this.clock,
        driver: this.driver,
        gate: this.gate,
        hopper: this.hopper,
        sink: new FanoutSink([this.hopper, record]),
        policyFor: options.policyFor ?? (() => progressivePolicy()),
        newId: () => `id${++id}`,
      },
      { statsIntervalMs: 0 },
    );
  }

  campaign(overrides: Partial<CampaignSettings> = {}, options: CampaignRuntimeOptions = {}): this {
    this.settings = { ...this.settings, ...overrides };
    this.lastResult = this.engine.upsertCampaign(this.settings, options);
    return this;
  }

  /** Adds a contact to the hopper (due now) and scripts what its phone does on the next call. */
  contact(contactId: string, behaviour: FarEndBehaviour, options: { phone?: string; dueAt?: number; attemptNo?: number } = {}): this {
    const phone = options.phone ?? `+1202555${String(1000 + ++this.phoneSeq)}`;
    this.driver.scriptNext(phone, behaviour);
    const target: DialTarget = { contactId, phone, attemptNo: options.attemptNo ?? 1, priority: 0, compliance: {} };
    this.hopper.add(this.settings.id, target, options.dueAt ?? this.clock.now());
    return this;
  }

  /** Scripts the next call to a phone (for contacts already in the hopper or manual dials). */
  script(phone: string, behaviour: FarEndBehaviour): this {
    this.driver.scriptNext(phone, behaviour);
    return this;
  }

  phoneOf(contactId: string): string {
    const dialed = this.events.find((e) => e.type === 'attempt.dialed' && e.attempt.contactId === contactId);
    if (dialed?.type !== 'attempt.dialed') throw new Error(`${contactId} was not dialed`);
    return dialed.attempt.phone;
  }

  signIn(agentId: string, campaignIds: string[] = [this.settings.id]): this {
    this.lastResult = this.engine.agentSignIn(agentId, campaignIds, `sim:${agentId}`);
    this.clock.advanceBy(0);
    return this;
  }

  agentReady(agentId: string): this {
    if (this.stateOf(agentId) === 'signed_out') this.signIn(agentId);
    this.lastResult = this.engine.agentReady(agentId);
    return this;
  }

  agentPause(agentId: string, reason = 'break'): this {
    this.lastResult = this.engine.agentPause(agentId, reason);
    return this;
  }

  agentHangup(agentId: string): this {
    this.lastResult = this.engine.agentHangup(agentId);
    return this;
  }

  disposition(agentId: string, input: DispositionInput | string): this {
    this.lastResult = this.engine.agentDisposition(agentId, typeof input === 'string' ? { code: input } : input);
    return this;
  }

  signOut(agentId: string): this {
    this.lastResult = this.engine.agentSignOut(agentId);
    return this;
  }

  tick(ms: number): this {
    this.clock.advanceBy(ms);
    return this;
  }

  /** Advances to an absolute offset from T0. */
  at(msFromStart: number): this {
    this.clock.advanceTo(T0 + msFromStart);
    return this;
  }

  stateOf(agentId: string): AgentState {
    return this.engine.snapshot().agents.find((a) => a.agentId === agentId)?.state ?? 'signed_out';
  }

  expectAgent(agentId: string, state: AgentState): this {
    expect(this.stateOf(agentId), `agent ${agentId}`).toBe(state);
    return this;
  }

  expectOk(): this {
    expect(this.lastResult).toMatchObject({ ok: true });
    return this;
  }

  expectRefused(error: string): this {
    expect(this.lastResult).toMatchObject({ ok: false, error });
    return this;
  }

  /** The agent's states, in order, from its `agent.state` events. */
  path(agentId: string): AgentState[] {
    return this.agentEvents(agentId).map((e) => e.to);
  }

  agentEvents(agentId: string): Array<Extract<EngineEvent, { type: 'agent.state' }>> {
    return this.events.filter((e): e is Extract<EngineEvent, { type: 'agent.state' }> => e.type === 'agent.state' && e.agentId === agentId);
  }

  expectPath(agentId: string, states: AgentState[]): this {
    expect(this.path(agentId)).toEqual(states);
    expect(firstInvalidStep(this.agentEvents(agentId))).toBeNull();
    return this;
  }

  of<K extends EngineEvent['type']>(type: K): Array<Extract<EngineEvent, { type: K }>> {
    return this.events.filter((e): e is Extract<EngineEvent, { type: K }> => e.type === type);
  }

  /** Attempt ids in dial order. */
  attemptOf(contactId: string): string {
    const d = this.of('attempt.dialed').find((e) => e.attempt.contactId === contactId);
    if (d === undefined) throw new Error(`${contactId} was not dialed`);
    return d.attempt.attemptId;
  }
}
