import type { EngineEvent } from '@outdial/core/dialer/events';
import type { EngineSink } from '@outdial/core/dialer/ports';
import type { Db } from '@outdial/store/database';
import { AttemptsRepository } from '@outdial/store/repositories/attempts.repository';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import { DispositionsRepository } from '@outdial/store/repositories/dispositions.repository';
import { CallbacksRepository } from '@outdial/store/repositories/callbacks.repository';
import { inTransaction } from '@outdial/store/transaction';
import type { EventBus } from '../events/event-bus.ts';
import { contactView } from './contact-view.ts';

/** Manual dials of numbers that are no stored contact carry this prefix; they have no contact row to update. */
const UNSTORED_CONTACT = 'manual:';
/** Contact states nobody dials again: their pending callbacks are cancelled. */
const CLOSED_CONTACT: ReadonlySet<string> = new Set(['done', 'dnc', 'invalid']);

/**
 * Receives the engine's events synchronously and, in order, writes what they mean to the store and then publishes
 * them on the event stream. A route that must not answer before its effect is durable (a disposition) awaits
 * `flush()`.
 */
export class StoreSink implements EngineSink {
  private readonly queue: EngineEvent[] = [];
  private running: Promise<void> | null = null;
  private emitted = 0;
  private done = 0;
  private readonly waiters: Array<{ mark: number; resolve: () => void }> = [];
  /** Events whose store write failed, by their emit index (kept until a flush reports them). */
  private readonly failures = new Map<number, unknown>();
  /** Attempts whose row is being written: the durable-dial driver dials only once its row is stored. */
  private readonly pendingAttempts = new Map<string, { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void }>();
  private readonly attempts: AttemptsRepository;
  private readonly contacts: ContactsRepository;
  /** Extra listeners in process (the host's call views). They run synchronously at emit time. */
  private readonly taps: Array<(event: EngineEvent) => void> = [];

  constructor(
    private readonly db: Db,
    private readonly nodeId: string,
    private readonly bus: EventBus,
    private readonly onError: (error: unknown, event: EngineEvent) => void,
  ) {
    this.attempts = new AttemptsRepository(db);
    this.contacts = new ContactsRepository(db);
  }

  tap(listener: (event: EngineEvent) => void): void {
    this.taps.push(listener);
  }

  emit(event: EngineEvent): void {
    for (const tap of this.taps) tap(event);
    if (event.type === 'attempt.dialed') {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
      promise.catch(() => undefined);
      this.pendingAttempts.set(event.attempt.attemptId, { promise, resolve, reject });
    }
    this.queue.push(event);
    this.emitted += 1;
    this.running ??= this.drain();
  }

  /** How many events have been emitted so far (a mark for `flush`). */
  mark(): number {
    return this.emitted;
  }

  /**
   * Resolves when every event emitted so far is stored and published (later events do not delay it); rejects if the
   * store write of any event emitted after `since` failed.
   */
  async flush(since = 0): Promise<void> {
    const mark = this.emitted;
    if (this.done < mark) await new Promise<void>((resolve) => this.waiters.push({ mark, resolve }));
    const failed = [...this.failures.entries()].filter(([index]) => index > since && index <= mark);
    for (const [index] of failed) this.failures.delete(index);
    if (failed.length > 0) throw new Error(`storing ${failed.length} dialer event(s) failed: ${String(failed[0]?.[1])}`);
  }

  /** Resolves once the attempt's row (with its compliance decision) is stored; rejects if it could not be. */
  attemptStored(attemptId: string): Promise<void> {
    return this.pendingAttempts.get(attemptId)?.promise ?? Promise.reject(new Error(`attempt ${attemptId} was never recorded`));
  }

  private settle(): void {
    this.done += 1;
    while (this.waiters.length > 0 && (this.waiters[0]?.mark ?? Infinity) <= this.done) this.waiters.shift()?.resolve();
  }

  private async drain(): Promise<void> {
    try {
      for (let event = this.queue.shift(); event; event = this.queue.shift()) {
        const index = this.done + 1;
        try {
          await this.store(event);
          if (event.type === 'attempt.dialed') this.settleAttempt(event.attempt.attemptId, null);
        } catch (error) {
          this.onError(error, event);
          this.failures.set(index, error instanceof Error ? error.message : error);
          // Keep the map bounded when nobody flushes (background dials): a dial learns of its failure directly.
          if (this.failures.size > 1000) this.failures.delete(this.failures.keys().next().value as number);
          if (event.type === 'attempt.dialed') this.settleAttempt(event.attempt.attemptId, error);
        }
        await this.bus.publish(event.type, streamPayload(event), campaignOf(event)).catch((error: unknown) => this.onError(error, event));
        this.settle();
      }
    } finally {
      this.running = null;
    }
  }

  private settleAttempt(attemptId: string, error: unknown): void {
    const pending = this.pendingAttempts.get(attemptId);
    this.pendingAttempts.delete(attemptId);
    if (!pending) return;
    if (error === null) pending.resolve();
    else pending.reject(error);
  }

  private async store(event: EngineEvent): Promise<void> {
    switch (event.type) {
      case 'attempt.dialed': {
        const a = event.attempt;
        const inserted = await this.attempts.insert({
          id: a.attemptId, campaignId: a.campaignId, contactId: a.contactId, phone: a.phone, attemptNo: a.attemptNo,
          nodeId: a.nodeId, dialedAt: a.dialedAt, decisionVerdict: a.decision.verdict, decision: a.decision, training: a.training,
        });
        if (!inserted.ok) throw new Error(`attempt ${a.attemptId} not stored: ${inserted.message}`);
        return;
      }
      case 'attempt.answered':
        await this.attempts.markAnswered(event.attemptId, event.at);
        return;
      case 'attempt.amd':
        await this.attempts.markAnswered(event.attemptId, event.at - event.decisionMs, { verdict: event.result, ms: event.decisionMs });
        return;
      case 'attempt.connected':
        await this.attempts.markConnected(event.attemptId, event.at, event.agentId);
        return;
      case 'attempt.ended':
        await this.attempts.markEnded(event.attemptId, {
          at: event.at, outcome: event.outcome, sipCode: event.sipCode, q850: event.q850, amdVerdict: event.amd, amdMs: event.amdMs,
          agentId: event.agentId, abandoned: event.abandoned, abandonMessagePlayed: event.abandonMessagePlayed,
        });
        return;
      case 'contact.updated': {
        const u = event.update;
        if (u.contactId.startsWith(UNSTORED_CONTACT)) return;
        // A contact closed for good (attempt limit, final outcome) closes its pending callbacks with it: nobody
        // would dial them, and a supervisor's list should not keep showing them.
        await inTransaction(this.db, async (trx) => {
          await new ContactsRepository(trx).updateAfterAttempt({
            contactId: u.contactId, status: u.status, nextDialAt: u.nextDialAt ?? event.at, attempts: u.attempts,
            lastOutcome: u.lastOutcome, lastAttemptAt: u.lastAttemptAt ?? event.at, now: event.at,
          });
          if (CLOSED_CONTACT.has(u.status)) await new CallbacksRepository(trx).cancelForContact(u.contactId);
        });
        return;
      }
      case 'contact.deferred':
        if (event.contactId.startsWith(UNSTORED_CONTACT)) return;
        await this.contacts.setStatus(event.contactId, 'dialable', event.at, event.notBefore);
        await this.contacts.releaseClaim([event.contactId], this.nodeId);
        return;
      case 'disposition.saved':
        // The disposition, its callback and the contact change it implies are stored together or not at all.
        await inTransaction(this.db, async (trx) => {
          const saved = await new DispositionsRepository(trx).insert({
            attemptId: event.attemptId, contactId: event.contactId, campaignId: event.campaignId, agentId: event.agentId,
            code: event.code, notes: event.notes, callbackAt: event.callbackAt, now: event.at,
          });
          if (!saved.ok) throw new Error(`disposition of attempt ${event.attemptId} not stored: ${saved.message}`);
          if (event.machine) await new AttemptsRepository(trx).markMachineByAgent(event.attemptId);
          if (event.contactId.startsWith(UNSTORED_CONTACT)) return;
          if (event.callbackAt !== null) {
            await new CallbacksRepository(trx).create({
              contactId: event.contactId, campaignId: event.campaignId, agentId: event.callbackScope === 'agent' ? event.agentId : null,
              dueAt: event.callbackAt, now: event.at,
            });
          }
          const u = event.contact;
          await new ContactsRepository(trx).updateAfterAttempt({
            contactId: u.contactId, status: u.status, nextDialAt: u.nextDialAt ?? event.at, attempts: u.attempts,
            lastOutcome: u.lastOutcome, lastAttemptAt: u.lastAttemptAt ?? event.at, now: event.at,
          });
          // A closing disposition (a sale, not interested, the attempt limit) ends the contact's older callbacks; one
          // set by this same disposition is kept.
          if (event.callbackAt === null && CLOSED_CONTACT.has(u.status)) await new CallbacksRepository(trx).cancelForContact(u.contactId);
        });
        return;
      default:
        return;
    }
  }
}

function campaignOf(event: EngineEvent): string | null {
  if ('campaignId' in event) return event.campaignId;
  if (event.type === 'attempt.dialed') return event.attempt.campaignId;
  if (event.type === 'contact.updated') return event.update.campaignId;
  return null;
}

/** What clients see: the event without its type and time (those are on the envelope), the contact for a screen pop. */
export function streamPayload(event: EngineEvent): Record<string, unknown> {
  const { type: _type, at: _at, ...rest } = event;
  if (event.type === 'attempt.connected') {
    return { ...rest, contact: contactView(event.display, event.contactId) };
  }
  if (event.type === 'attempt.dialed') {
    const { decision, ...attempt } = event.attempt;
    return { ...attempt, agentId: event.attempt.agentId ?? undefined, verdict: decision.verdict };
  }
  return rest;
}
