import type { MessageKey } from '../i18n/en.ts';

/** The server's pause reasons are English words; the known ones have catalog entries, others show as sent. */
const KNOWN: Record<string, MessageKey> = {
  Break: 'pauseReason.Break',
  Lunch: 'pauseReason.Lunch',
  Meeting: 'pauseReason.Meeting',
  Training: 'pauseReason.Training',
  'Technical problem': 'pauseReason.Technical_problem',
  Personal: 'pauseReason.Personal',
};

export function pauseReasonLabel(reason: string, t: (key: MessageKey) => string): string {
  const key = KNOWN[reason];
  return key === undefined ? reason : t(key);
}
