import { randomUUID } from 'node:crypto';
import type { Clock } from '@outdial/core/clock';
import type { CampaignSettings } from '@outdial/core/campaign/types';
import type { ComplianceGate } from '@outdial/core/compliance/types';
import { DialerEngine } from '@outdial/core/dialer/engine';
import type { CommandResult as EngineResult } from '@outdial/core/dialer/commands';
import type { EngineEvent } from '@outdial/core/dialer/events';
import type { PolicyFactory } from '@outdial/core/dialer/ports';
import type { TelephonyDriver } from '@outdial/core/telephony/driver';
import type { Db, DialectName } from '@outdial/store/database';
import { AttemptsRepository } from '@outdial/store/repositories/attempts.repository';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import { EventsRepository } from '@outdial/store/repositories/events.repository';
import { UsersRepository } from '@outdial/store/repositories/users.repository';
import type { EventBus } from '../events/event-bus.ts';
import type { AgentCommand, AgentView, CallView, CommandResult, ContactView, DialerRuntime, FloorView } from './dialer-runtime.ts';
import { StoreHopper, displayOf } from './store-hopper.ts';
import type { ListLookup } from './store-hopper.ts';
import { StoreSink } from './store-sink.ts';
import { RecordingStore } from './recording-store.ts';
import { DoNotCallRecorder } from './do-not-call.ts';
import { DurableDialDriver } from './durable-dial-driver.ts';
import { TrainingRouterDriver } from './training-router-driver.ts';
import { PhoneNormaliser } from '@outdial/contacts/phone/phone-normaliser';
import { contactView } from './contact-view.ts';

export interface EngineHostDeps {
  db: Db;
  dialect: DialectName;
  nodeId: string;
  clock: Clock;
  driver: TelephonyDriver;
  gate: ComplianceGate;
  bus: EventBus;
  policyFor: PolicyFactory;
  lists: ListLookup;
  leaseMs: number;
  /** With real telephony: the simulated carrier practice (training) campaigns dial instead of the network. */
  trainingDriver?: TelephonyDriver;
  /** Where a signed-in agent's audio leg goes (sim: for the simulated carrier, a SIP URI for a phone). */
  agentLegTarget(userId: string): string;
  log: { error(obj: unknown, msg?: string): void; info(obj: unknown, msg?: string): void };
}

const DAY_MS = 24 * 3_600_000;
const EVENT_RETENTION_MS = 7 * DAY_MS;
/** How long an agent's "Save" during a call waits for the call to end (the hang-up is immediate; this is a bound). */
const PENDING_DISPOSITION_MS = 10_000;
/** How long a stopping node waits for calls in progress to end before hanging up what is left. */
const STOP_DRAIN_MS = 3_000;

/**
 * Runs the core's DialerEngine inside the server: store-backed hopper and sink, campaign leases for scale-out,
 * and the views and commands the HTTP routes need. All durable state is in the store; this process keeps only what
 * it can rebuild (buffers, the engine's live calls) and reconciles at start.
 */
export class EngineHost implements DialerRuntime {
  readonly engine: DialerEngine;
  readonly sink: StoreSink;
  private readonly hopper: StoreHopper;
  private readonly campaigns: CampaignsRepository;
  private readonly users: UsersRepository;
  private readonly contacts: ContactsRepository;
  /** How long a contact claim lasts without renewal (the hopper renews those it buffers or has in a call). */
  private readonly claimLeaseMs: number;
  private readonly dnc: DoNotCallRecorder;
  private readonly known = new Map<string, CampaignSettings>();
  private readonly leased = new Set<string>();
  private readonly leaseUntil = new Map<string, number>();
  private syncTail: Promise<unknown> = Promise.resolve();
  private readonly names = new Map<string, { username: string; displayName: string }>();
  private readonly calls = new Map<string, CallView>();
  private readonly previews = new Map<string, { campaignId: string; contact: ContactView }>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private readonly trainingCalls = new Set<string>();
  private readonly dispositionWaiters = new Map<string, Array<() => void>>();
  private readonly driver: TelephonyDriver;
  private readonly recordings: RecordingStore;

  private constructor(private readonly deps: EngineHostDeps) {
    this.campaigns = new CampaignsRepository(deps.db);
    this.users = new UsersRepository(deps.db);
    this.contacts = new ContactsRepository(deps.db);
    this.dnc = new DoNotCallRecorder(deps.db, deps.clock);
    this.claimLeaseMs = Math.max(deps.leaseMs * 4, 60_000);
    this.hopper = new StoreHopper(deps.db, deps.dialect, deps.nodeId, deps.lists, { leaseMs: this.claimLeaseMs, batch: 40 });
    this.sink = new StoreSink(deps.db, deps.nodeId, deps.bus, (error, event) => deps.log.error({ err: error, event: event.type }, 'storing an engine event failed'));
    this.sink.tap((event) => this.track(event));
    const routed = deps.trainingDriver ? new TrainingRouterDriver(deps.driver, deps.trainingDriver, (callId) => this.trainingCalls.has(callId)) : deps.driver;
    this.driver = routed;
    const driver = new DurableDialDriver(routed, (callId) => this.sink.attemptStored(callId), deps.clock);
    this.recordings = new RecordingStore(routed, deps.db, () => this.sink.flush(), (error, attemptId) => deps.log.error({ err: error, attemptId }, 'storing a recording failed'));
    this.engine = new DialerEngine(
      { clock: deps.clock, driver, gate: deps.gate, hopper: this.hopper, sink: this.sink, policyFor: deps.policyFor, newId: randomUUID },
      { nodeId: deps.nodeId },
    );
  }

  /**
   * Reconciles what a previous run of this node left open (attempts in progress, claimed contacts), loads the
   * campaigns, takes the leases it can, and starts the background refills.
   */
  static async start(deps: EngineHostDeps): Promise<EngineHost> {
    const attempts = new AttemptsRepository(deps.db);
    const closed = await attempts.reconcileOpen({ nodeId: deps.nodeId, now: deps.clock.now() });
    if (closed.length > 0) deps.log.info({ attempts: closed.length }, 'closed attempts left open by a previous run');
    await new ContactsRepository(deps.db).releaseClaimsOf(deps.nodeId);
    const host = new EngineHost(deps);
    for (const u of await host.users.list({ includeDisabled: true })) host.names.set(u.id, { username: u.username, displayName: u.displayName });
    await host.driver.start();
    await host.syncCampaigns();
    host.every(Math.max(1000, Math.floor(deps.leaseMs / 3)), () => host.syncCampaigns());
    host.every(500, () => host.refill());
    // The stream is for live clients and reconnects, not an archive (attempts and the audit log are): keep a week.
    host.every(3_600_000, async () => {
      await new EventsRepository(deps.db).pruneOlderThan(deps.clock.now() - EVENT_RETENTION_MS);
    });
    return host;
  }

  private every(ms: number, fn: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      const task = fn().catch((error: unknown) => this.deps.log.error({ err: error }, 'dialer background task failed')).finally(() => {
        busy = false;
        this.running.delete(task);
      });
      this.running.add(task);
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  /** Brings the engine in line with the store; syncs never overlap (the timer and edits both ask for one). */
  private syncCampaigns(): Promise<void> {
    const next = this.syncTail.then(() => this.syncOnce());
    this.syncTail = next.catch(() => undefined);
    return next;
  }

  /** Every campaign known to the engine; running ones only where this node holds the lease. */
  private async syncOnce(): Promise<void> {
    const now = this.deps.clock.now();
    for (const campaign of await this.campaigns.list()) {
      try {
        await this.syncCampaign(campaign, now);
      } catch (error) {
        // One campaign's trouble must not stop the others' lease renewals.
        this.deps.log.error({ err: error, campaign: campaign.name }, 'campaign sync failed');
      }
    }
    await this.hopper.maintain(now);
  }

  private async syncCampaign(campaign: CampaignSettings, now: number): Promise<void> {
    let effective = campaign;
    if (campaign.status === 'running') {
      const lease = this.leased.has(campaign.id)
        ? await this.campaigns.renewLease(campaign.id, this.deps.nodeId, now, this.deps.leaseMs)
        : await this.campaigns.acquireLease(campaign.id, this.deps.nodeId, now, this.deps.leaseMs);
      if (lease.acquired) {
        this.leaseUntil.set(campaign.id, lease.expiresAt);
        if (!this.leased.has(campaign.id)) {
          this.leased.add(campaign.id);
          this.engine.upsertCampaign(campaign, { window: await this.windowOf(campaign, now) });
          this.known.set(campaign.id, campaign);
          return;
        }
      } else {
        await this.loseLease(campaign.id);
        effective = { ...campaign, status: 'paused' };
      }
    } else if (this.leased.has(campaign.id)) {
      await this.loseLease(campaign.id);
      await this.campaigns.releaseLease(campaign.id, this.deps.nodeId);
    }
    const before = this.known.get(campaign.id);
    if (!sameSettings(before, effective)) {
      // A new segment or new lists: contacts already buffered may no longer belong to the campaign.
      if (before && (before.filter !== effective.filter || before.listIds.join() !== effective.listIds.join())) await this.hopper.drain(campaign.id);
      this.engine.upsertCampaign(effective);
      this.known.set(campaign.id, effective);
    }
  }

  /** This node no longer runs the campaign: no new dials here, buffered contacts go back to the store. */
  private async loseLease(campaignId: string): Promise<void> {
    this.leased.delete(campaignId);
    this.leaseUntil.delete(campaignId);
    const known = this.known.get(campaignId);
    if (known && known.status === 'running') {
      const paused = { ...known, status: 'paused' as const };
      this.engine.upsertCampaign(paused);
      this.known.set(campaignId, paused);
    }
    await this.hopper.drain(campaignId);
  }

  private async windowOf(campaign: CampaignSettings, now: number): Promise<{ liveAnswers: number; abandoned: number }> {
    const from = campaign.regime === 'uk24h' ? now - (now % DAY_MS) : now - 30 * DAY_MS;
    const counts = await new AttemptsRepository(this.deps.db).windowCounts(campaign.id, from, now + 1);
    return { liveAnswers: counts.liveAnswers, abandoned: counts.abandoned };
  }

  private async refill(): Promise<void> {
    const now = this.deps.clock.now();
    // A lease this node could not renew in time is lost, even if the store was unreachable to say so.
    for (const [id, until] of this.leaseUntil) if (now >= until) await this.loseLease(id);
    for (const id of this.leased) {
      const campaign = this.known.get(id);
      if (!campaign || campaign.status !== 'running') continue;
      const added = await this.hopper.refill(campaign, now);
      if (added > 0) this.engine.poke(id);
    }
  }

  /** Keeps the per-call views the agent desktop needs (the screen pop's contact). */
  private track(event: EngineEvent): void {
    switch (event.type) {
      case 'contact.updated':
        this.hopper.settled(event.update.contactId, event.update.lastOutcome, event.update.reason === 'preview_skip' ? event.at : undefined);
        return;
      case 'contact.deferred':
        this.hopper.settled(event.contactId);
        return;
      case 'agent.state':
        // A preview ends when the agent is free again (dialed, skipped, or refused by the compliance gate).
        if (event.to === 'ready' || event.to === 'paused' || event.to === 'signed_out') this.previews.delete(event.agentId);
        return;
      case 'attempt.connected':
        this.calls.set(event.attemptId, {
          attemptId: event.attemptId, campaignId: event.campaignId, contact: contactView(event.display, event.contactId), state: 'connected', connectedAt: event.at,
        });
        return;
      case 'attempt.dialed':
        this.hopper.dialed(event.attempt.contactId, event.at);
        if (event.attempt.training) this.trainingCalls.add(event.attempt.attemptId);
        if (event.attempt.agentId !== null) {
          const preview = this.previews.get(event.attempt.agentId);
          this.calls.set(event.attempt.attemptId, {
            attemptId: event.attempt.attemptId, campaignId: event.attempt.campaignId,
            contact: preview?.contact ?? contactView({ phone: event.attempt.phone }, event.attempt.contactId), state: 'ringing', connectedAt: null,
          });
          this.previews.delete(event.attempt.agentId);
        }
        return;
      case 'preview.offered':
        this.previews.set(event.agentId, { campaignId: event.campaignId, contact: contactView(event.display ?? { phone: event.phone }, event.contactId) });
        return;
      case 'disposition.saved': {
        this.calls.delete(event.attemptId);
        const waiters = this.dispositionWaiters.get(event.agentId) ?? [];
        this.dispositionWaiters.delete(event.agentId);
        for (const done of waiters) done();
        return;
      }
      case 'attempt.ended': {
        this.trainingCalls.delete(event.attemptId);
        const call = this.calls.get(event.attemptId);
        if (call && event.agentId === null) this.calls.delete(event.attemptId);
        else if (call) call.state = 'wrap_up';
        return;
      }
      default:
        return;
    }
  }

  floor(): FloorView {
    const snapshot = this.engine.snapshot();
    return {
      agents: snapshot.agents.map((a) => this.viewOf(a)),
      campaigns: snapshot.campaigns.map((c) => {
        const settings = this.known.get(c.campaignId);
        return {
          id: c.campaignId, name: settings?.name ?? c.campaignId, status: c.status, dialMode: c.mode, dialLevel: c.dialLevel,
          abandonTarget: settings?.abandonTarget ?? 0.03, abandonRate: c.abandonRate, calls: c.dialed, answered: c.liveAnswers,
          abandoned: c.abandoned, ringing: c.ringing, waiting: c.waiting,
        };
      }),
    };
  }

  private viewOf(a: ReturnType<DialerEngine['snapshot']>['agents'][number]): AgentView {
    const name = this.names.get(a.agentId);
    return {
      agentId: a.agentId,
      username: name?.username ?? a.agentId,
      displayName: name?.displayName ?? a.agentId,
      state: a.state,
      since: a.since,
      reason: a.state === 'paused' ? a.reason : null,
      campaignIds: [...a.campaignIds],
      call: a.callId ? (this.calls.get(a.callId) ?? null) : null,
      preview: this.previews.get(a.agentId) ?? null,
    };
  }

  async agentView(userId: string): Promise<AgentView> {
    const found = this.engine.snapshot().agents.find((a) => a.agentId === userId);
    if (found) return this.viewOf(found);
    if (!this.names.has(userId)) {
      const user = await this.users.findById(userId);
      if (user) this.names.set(user.id, { username: user.username, displayName: user.displayName });
    }
    const name = this.names.get(userId);
    return {
      agentId: userId, username: name?.username ?? userId, displayName: name?.displayName ?? userId, state: 'signed_out',
      since: this.deps.clock.now(), reason: null, campaignIds: [], call: null, preview: null,
    };
  }

  async agentCommand(userId: string, command: AgentCommand): Promise<CommandResult> {
    const e = this.engine;
    const mark = this.sink.mark();
    let result: EngineResult<unknown>;
    switch (command.type) {
      case 'ready': {
        const signedIn = e.snapshot().agents.some((a) => a.agentId === userId && a.state !== 'signed_out');
        if (!signedIn) {
          const assigned = (await this.campaigns.listForAgent(userId)).map((c) => c.id).filter((id) => this.known.has(id));
          if (assigned.length === 0) return { ok: false, code: 'invalid', message: 'you are not assigned to any campaign' };
          const signIn = e.agentSignIn(userId, assigned, this.deps.agentLegTarget(userId));
          if (!signIn.ok) return this.refused(userId, signIn);
        }
        result = e.agentReady(userId);
        break;
      }
      case 'pause': result = e.agentPause(userId, command.reason); break;
      case 'sign-out': result = e.agentSignOut(userId); break;
      case 'hangup': result = e.agentHangup(userId); break;
      case 'disposition':
        result = e.agentDisposition(userId, {
          code: command.code,
          ...(command.notes === undefined ? {} : { notes: command.notes }),
          ...(command.callbackAt === undefined ? {} : { callbackAt: command.callbackAt }),
          ...(command.callbackScope === undefined ? {} : { callbackScope: command.callbackScope === 'personal' ? 'agent' : 'campaign' }),
        });
        break;
      case 'do-not-call':
        result = await this.doNotCall(userId);
        break;
      case 'preview-next': result = e.previewNext(userId); break;
      case 'preview-dial': result = e.previewDial(userId); break;
      case 'preview-skip': result = e.previewSkip(userId); if (result.ok) this.previews.delete(userId); break;
      case 'manual-dial': {
        const prepared = await this.prepareManualDial(userId, command.phone);
        if (!prepared.ok) return prepared;
        result = e.manualDial(userId, prepared.phone, prepared.options);
        // Not dialed (refused by the gate, wrong state): a claim taken for this dial goes back at once.
        if (!result.ok && prepared.freshClaim !== null) await this.contacts.releaseClaim([prepared.freshClaim], this.deps.nodeId);
        break;
      }
    }
    if (!result.ok) return this.refused(userId, result);
    // A disposition chosen during the call is applied when the call ends: answer once it is stored, not before.
    if ((command.type === 'disposition' || command.type === 'do-not-call') && isPending(result)) await this.dispositionSaved(userId);
    // What the agent did is durable before the answer (a disposition must never be lost); a failed write is an error.
    await this.sink.flush(mark);
    return { ok: true, view: await this.agentView(userId) };
  }

  /**
   * A number an agent typed: normalised to E.164, linked to the stored contact with that number (if any), and checked
   * with the same facts as a dialer-selected contact (do-not-call lists, consents, the number's history).
   */
  private async prepareManualDial(userId: string, typed: string): Promise<
    | { ok: true; phone: string; options: Parameters<DialerEngine['manualDial']>[2]; freshClaim: string | null }
    | { ok: false; code: 'invalid' | 'agent_state' | 'conflict'; message: string }
  > {
    const agent = this.engine.snapshot().agents.find((a) => a.agentId === userId);
    if (!agent) return { ok: false, code: 'agent_state', message: `signed_out (${userId} is not on the floor: press Ready)` };
    const campaign = this.known.get(agent.campaignIds[0] ?? '');
    if (!campaign) return { ok: false, code: 'invalid', message: 'you are not in a campaign' };
    const normalised = new PhoneNormaliser('US').normalise(typed);
    if (!normalised.ok) return { ok: false, code: 'invalid', message: normalised.detail };
    const phone = normalised.e164;
    const stored = (await this.contacts.findByPhone(phone))[0] ?? null;
    // The stored contact is claimed like the dialer's own picks, so no node's dialer calls the person meanwhile.
    let freshClaim: string | null = null;
    if (stored) {
      if (this.hopper.handedOut(stored.id)) return { ok: false, code: 'conflict', message: `${phone} is being dialed or previewed on this node right now` };
      const claim = await this.contacts.claimForAgentDial(stored.id, this.deps.nodeId, this.deps.clock.now(), this.claimLeaseMs);
      if (!claim.claimed) return { ok: false, code: 'conflict', message: `${phone} is held by another node's dialer (it may be calling it now); try again in a minute` };
      if (claim.fresh) freshClaim = stored.id;
    }
    let compliance: Awaited<ReturnType<StoreHopper['compliance']>>;
    try {
      compliance = await this.hopper.compliance(phone, stored, campaign, this.deps.clock.now());
    } catch (error) {
      if (freshClaim !== null) await this.contacts.releaseClaim([freshClaim], this.deps.nodeId);
      throw error;
    }
    return {
      ok: true,
      phone,
      freshClaim,
      options: {
        campaignId: campaign.id,
        compliance,
        ...(stored ? { contactId: stored.id, attemptNo: stored.attempts + 1 } : {}),
      },
    };
  }

  /** Resolves when the agent's pending disposition has been emitted (the call ended), or after a bound. */
  private dispositionSaved(agentId: string): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, PENDING_DISPOSITION_MS);
      const waiters = this.dispositionWaiters.get(agentId) ?? [];
      waiters.push(done);
      this.dispositionWaiters.set(agentId, waiters);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  /** The person asked not to be called again: internal do-not-call entry, the call ended, the campaign's DNC disposition. */
  private async doNotCall(userId: string): Promise<EngineResult<unknown>> {
    const agent = this.engine.snapshot().agents.find((a) => a.agentId === userId);
    if (!agent || !agent.callId) return { ok: false, error: 'no_call' };
    const call = this.calls.get(agent.callId);
    const campaign = this.known.get(call?.campaignId ?? agent.campaignIds[0] ?? '');
    const code = campaign?.dispositions.find((d) => d.action === 'dnc')?.code;
    if (!call || !campaign || !code) return { ok: false, error: 'unknown_disposition', detail: 'the campaign has no do-not-call disposition' };
    await this.dnc.record({ phone: call.contact.phone, contactId: call.contact.id, seller: campaign.seller, userId, reason: 'asked not to be called (agent)' });
    await this.hopper.dropPhone(call.contact.phone);
    // During a call the engine hangs up and applies the disposition when the driver reports the end.
    return this.engine.agentDisposition(userId, { code, notes: 'Do not call: the person asked not to be called again.' });
  }

  private refused(userId: string, result: Extract<EngineResult<unknown>, { ok: false }>): CommandResult {
    const message = `${result.error}${result.detail ? `: ${result.detail}` : ''}`;
    switch (result.error) {
      case 'wrong_state':
      case 'no_call':
        return { ok: false, code: 'agent_state', message: `${result.state ?? 'current'} (${message})` };
      case 'unknown_agent':
        return { ok: false, code: 'agent_state', message: `signed_out (${userId} is not on the floor: press Ready)` };
      case 'compliance_refused':
        return { ok: false, code: 'compliance_refused', message: (result.decision?.reasons ?? []).map((r) => `${r.category} (${r.rule})`).join(', ') || message, detail: { decision: result.decision } };
      case 'unknown_campaign':
      case 'no_contact':
        return { ok: false, code: 'not_found', message };
      default:
        return { ok: false, code: 'invalid', message };
    }
  }

  async campaignChanged(_campaignId: string): Promise<void> {
    await this.syncCampaigns();
  }


  /**
   * Stops dialing, lets calls in progress end (briefly), then records what happened before giving the campaigns up:
   * leases are released last, so no other node dials a contact this one is still talking to.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.all([...this.running]);
    for (const id of [...this.leased]) {
      const known = this.known.get(id);
      if (known) this.engine.upsertCampaign({ ...known, status: 'paused' });
    }
    const deadline = Date.now() + STOP_DRAIN_MS;
    while (this.driver.health().inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    this.engine.shutdown();
    await this.sink.flush().catch((error: unknown) => this.deps.log.error({ err: error }, 'storing the last events failed'));
    await this.driver.stop();
    await this.recordings.settled();
    this.recordings.stop();
    await this.hopper.drainAll();
    for (const id of this.leased) await this.campaigns.releaseLease(id, this.deps.nodeId);
    await this.sink.flush().catch(() => undefined);
  }

  /** For the demo: the display data of a stored contact. */
  static display = displayOf;
}

function isPending(result: EngineResult<unknown>): boolean {
  return result.ok && typeof result.value === 'object' && result.value !== null && (result.value as { pending?: unknown }).pending === true;
}

function sameSettings(a: CampaignSettings | undefined, b: CampaignSettings): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
