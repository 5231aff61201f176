import type { Clock } from '@outdial/core/clock';
import type { Db } from '@outdial/store/database';
import { CallbacksRepository } from '@outdial/store/repositories/callbacks.repository';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import { DncRepository } from '@outdial/store/repositories/dnc.repository';

/**
 * A person asked not to be called again: the number goes on the seller's internal list (who, when, why), every copy of
 * the contact is closed, and their pending callbacks are cancelled. Idempotent.
 */
export class DoNotCallRecorder {
  private readonly dnc: DncRepository;
  private readonly contacts: ContactsRepository;
  private readonly callbacks: CallbacksRepository;

  constructor(db: Db, private readonly clock: Clock) {
    this.dnc = new DncRepository(db);
    this.contacts = new ContactsRepository(db);
    this.callbacks = new CallbacksRepository(db);
  }

  async record(input: { phone: string; contactId: string | null; seller: string; userId: string | null; reason: string }): Promise<void> {
    const now = this.clock.now();
    await this.dnc.add({ kind: 'internal', region: input.seller, phone: input.phone, by: input.userId, reason: input.reason, now });
    for (const contact of await this.contacts.findByPhone(input.phone)) {
      await this.contacts.setStatus(contact.id, 'dnc', now);
      await this.callbacks.cancelForContact(contact.id);
    }
  }
}
