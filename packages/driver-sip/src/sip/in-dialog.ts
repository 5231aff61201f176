import type { SipRequest, SipResponse } from './message.ts';
import { header, makeResponse } from './message.ts';

/**
 * The 200 to a re-INVITE or UPDATE inside a dialog, caller or called side alike: a session refresh (RFC 4028) or
 * a media change (RFC 3311) is answered with our current session; a Session-Expires is echoed, the far end stays
 * the refresher unless it said otherwise.
 */
export function refreshAnswer(req: SipRequest, contact: string, currentSdp: () => string): SipResponse {
  const res = makeResponse(req, 200, 'OK');
  res.headers.push(['Contact', contact]);
  const se = header(req, 'session-expires');
  if (se) {
    res.headers.push(['Session-Expires', se.includes('refresher') ? se : `${se};refresher=uac`]);
    res.headers.push(['Require', 'timer']);
  }
  if (req.method === 'INVITE' || req.body.trim() !== '') {
    res.headers.push(['Content-Type', 'application/sdp']);
    res.body = currentSdp();
  }
  return res;
}

/** Contact for our side of a dialog. */
export function contactFor(local: { host: string; port: number; transport: string }): string {
  return `<sip:outdial@${local.host}:${local.port}${local.transport === 'tcp' ? ';transport=tcp' : ''}>`;
}
