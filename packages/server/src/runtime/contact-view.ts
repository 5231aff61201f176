import type { ContactView } from './dialer-runtime.ts';

/** The screen-pop contact from the display fields the hopper attached to a dial target (typed, nulls for gaps). */
export function contactView(display: Readonly<Record<string, unknown>> | null | undefined, contactId: string): ContactView {
  const d = display ?? {};
  const str = (k: string): string | null => (typeof d[k] === 'string' ? (d[k] as string) : null);
  return {
    id: contactId,
    phone: str('phone') ?? '',
    firstName: str('firstName'),
    lastName: str('lastName'),
    city: str('city'),
    region: str('region'),
    postalCode: str('postalCode'),
    timezone: str('timezone'),
    attributes: (typeof d['attributes'] === 'object' && d['attributes'] !== null ? d['attributes'] : {}) as Record<string, unknown>,
  };
}
