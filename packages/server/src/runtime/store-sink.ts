import type { EngineEvent } from '@outdial/core/dialer/events';
import type { EngineSink } from '@outdial/core/dialer/ports';
import type { Db } from '@outdial/store/database';
import { AttemptsRepository } from '@outdial/store/repositories/attempts.repository';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import { DispositionsRepository } from '@outdial/store/repositories/dispositions.repository';
import { CallbacksRepository } from '@outdial/store/repositories/callbacks.repository';
import { inTransaction } from '@outdial/store/transaction';
import type { EventBus } from '../events/event-bus.ts';

/** Manual dials of numbers that are no stored contact carry this prefix; they have no contact row to update. */
const UNSTORED_CONTACT = 'manual:';

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
    this.queue.push(event);
    this.emitted += 1;
    this.running ??= this.drain();
  }

  /** Resolves when every event emitted so far is stored and published (later events do not delay it). */
  flush(): Promise<void> {
    const mark = this.emitted;
    if (this.done >= mark) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ mark, resolve }));
  }

  private settle(): void {
    this.done += 1;
    while (this.waiters.length > 0 && (this.waiters[0]?.mark ?? Infinity) <= this.done) this.waiters.shift()?.resolve();
  }

  private async drain(): Promise<void> {
    try {
      for (let event = this.queue.shift(); event; event = this.queue.shift()) {
        try {
          await this.store(event);
        } catch (error) {
          this.onError(error, event);
        }
        await this.bus.publish(event.type, streamPayload(event), campaignOf(event)).catch((error: unknown) => this.onError(error, event));
        this.settle();
      }
    } finally {
      this.running = null;
    }
  }

  private async store(event: EngineEvent): Promise<void> {
    switch (event.type) {
      case 'attempt.dialed': {
        const a = event.attempt;
        await this.attempts.insert({
          id: a.attemptId, campaignId: a.campaignId, contactId: a.contactId, phone: a.phone, attemptNo: a.attemptNo,
          nodeId: a.nodeId, dialedAt: a.dialedAt, decisionVerdict: a.decision.verdict, decision: a.decision, training: a.training,
        });
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
        await this.contacts.updateAfterAttempt({
          contactId: u.contactId, status: u.status, nextDialAt: u.nextDialAt ?? event.at, attempts: u.attempts,
          lastOutcome: u.lastOutcome, lastAttemptAt: u.lastAttemptAt ?? event.at, now: event.at,
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
          await new DispositionsRepository(trx).insert({
            attemptId: event.attemptId, contactId: event.contactId, campaignId: event.campaignId, agentId: event.agentId,
            code: event.code, notes: event.notes, callbackAt: event.callbackAt, now: event.at,
          });
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
    const d = event.display ?? {};
    return {
      ...rest,
      contact: {
        id: event.contactId,
        phone: d['phone'] ?? null,
        firstName: d['firstName'] ?? null,
        lastName: d['lastName'] ?? null,
        region: d['region'] ?? null,
        postalCode: d['postalCode'] ?? null,
        timezone: d['timezone'] ?? null,
        attributes: d['attributes'] ?? {},
      },
    };
  }
  if (event.type === 'attempt.dialed') {
    const { decision, ...attempt } = event.attempt;
    return { ...attempt, agentId: event.attempt.agentId ?? undefined, verdict: decision.verdict };
  }
  return rest;
}
