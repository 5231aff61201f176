import type { SessionEnd } from './invite-session.ts';

/** The `cause` of an agent leg's `down` event: `closed` when we hung up on request, else what ended it. */
export function agentLegCause(end: SessionEnd): string {
  if (end.by === 'local' && end.failure === undefined) return 'closed';
  if (end.status !== undefined) return `SIP ${end.status}`;
  if (end.by === 'remote') return 'the phone hung up';
  return end.detail ?? end.by;
}
