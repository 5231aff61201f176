/**
 * SIP messages (RFC 3261 §7) as plain typed values: parse from the wire, serialise back. Headers keep their order
 * and repeated fields; lookups are case-insensitive and understand the compact forms (RFC 3261 §7.3.3).
 */

export type Header = [name: string, value: string];

export interface SipRequest {
  kind: 'request';
  method: string;
  uri: string;
  headers: Header[];
  body: string;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  headers: Header[];
  body: string;
}

export type SipMessage = SipRequest | SipResponse;

const COMPACT: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  f: 'from',
  t: 'to',
  v: 'via',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
  o: 'event',
  r: 'refer-to',
  x: 'session-expires',
};

/** Headers whose comma-separated values are separate entries (RFC 3261 §7.3.1). */
const MULTI_VALUE = new Set(['via', 'route', 'record-route', 'contact', 'allow', 'supported', 'require']);

function canonical(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
}

/** Splits on commas outside quotes and angle brackets. */
export function splitList(value: string): string[] {
  const parts: string[] = [];
  let depthAngle = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && ch === '<') depthAngle++;
    else if (!quoted && ch === '>') depthAngle--;
    else if (!quoted && depthAngle === 0 && ch === ',') {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((p) => p !== '');
}

/** Parses one message; returns undefined for anything that is not SIP (keep-alives, garbage). */
export function parseMessage(data: string): SipMessage | undefined {
  const headEnd = data.indexOf('\r\n\r\n');
  const head = headEnd >= 0 ? data.slice(0, headEnd) : data;
  let body = headEnd >= 0 ? data.slice(headEnd + 4) : '';
  // Header folding (RFC 3261 §7.3.1): a line starting with whitespace continues the previous one.
  const lines = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  const startLine = lines.shift();
  if (!startLine) return undefined;
  const headers: Header[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (MULTI_VALUE.has(canonical(name))) for (const part of splitList(value)) headers.push([name, part]);
    else headers.push([name, value]);
  }
  const lengthValue = headers.find(([n]) => canonical(n) === 'content-length')?.[1];
  if (lengthValue !== undefined) {
    const length = Number.parseInt(lengthValue, 10);
    if (Number.isFinite(length) && length >= 0) body = body.slice(0, length);
  }
  const status = /^SIP\/2\.0\s+(\d{3})\s*(.*)$/.exec(startLine);
  if (status) {
    return { kind: 'response', status: Number(status[1]), reason: status[2] ?? '', headers, body };
  }
  const request = /^([A-Za-z]+)\s+(\S+)\s+SIP\/2\.0$/.exec(startLine);
  if (request?.[1] && request[2]) return { kind: 'request', method: request[1].toUpperCase(), uri: request[2], headers, body };
  return undefined;
}

export function serialize(msg: SipMessage): string {
  const start = msg.kind === 'request' ? `${msg.method} ${msg.uri} SIP/2.0` : `SIP/2.0 ${msg.status} ${msg.reason}`;
  const lines = [start];
  for (const [name, value] of msg.headers) {
    if (canonical(name) === 'content-length') continue;
    lines.push(`${name}: ${value}`);
  }
  lines.push(`Content-Length: ${Buffer.byteLength(msg.body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${msg.body}`;
}

export function header(msg: SipMessage, name: string): string | undefined {
  const wanted = canonical(name);
  return msg.headers.find(([n]) => canonical(n) === wanted)?.[1];
}

export function headers(msg: SipMessage, name: string): string[] {
  const wanted = canonical(name);
  return msg.headers.filter(([n]) => canonical(n) === wanted).map(([, v]) => v);
}

export function setHeader(msg: SipMessage, name: string, value: string): void {
  removeHeader(msg, name);
  msg.headers.push([name, value]);
}

export function removeHeader(msg: SipMessage, name: string): void {
  const wanted = canonical(name);
  msg.headers = msg.headers.filter(([n]) => canonical(n) !== wanted);
}

/** A `;name=value` parameter of a header value (outside its `<...>` URI part). */
export function param(value: string, name: string): string | undefined {
  const afterUri = value.lastIndexOf('>') >= 0 ? value.slice(value.lastIndexOf('>') + 1) : value;
  const re = new RegExp(`;\\s*${name}(?:=("[^"]*"|[^;,\\s]*))?`, 'i');
  const m = re.exec(afterUri);
  if (!m) return undefined;
  return (m[1] ?? '').replace(/^"|"$/g, '');
}

export function tagOf(nameAddr: string | undefined): string | undefined {
  return nameAddr === undefined ? undefined : param(nameAddr, 'tag');
}

/** The URI inside a name-addr (`"Bob" <sip:bob@host>;tag=x` → `sip:bob@host`). */
export function uriOf(nameAddr: string): string {
  const lt = nameAddr.indexOf('<');
  if (lt >= 0) return nameAddr.slice(lt + 1, nameAddr.indexOf('>', lt));
  return nameAddr.split(';')[0]?.trim() ?? nameAddr;
}

export interface CSeq {
  seq: number;
  method: string;
}

export function cseqOf(msg: SipMessage): CSeq {
  const [seq, method] = (header(msg, 'cseq') ?? '0 UNKNOWN').split(/\s+/);
  return { seq: Number(seq), method: (method ?? '').toUpperCase() };
}

export interface Via {
  transport: string;
  host: string;
  port: number | undefined;
  branch: string | undefined;
  raw: string;
}

export function parseVia(raw: string): Via {
  const m = /^SIP\/2\.0\/(\S+)\s+([^;:\s]+|\[[^\]]+\])(?::(\d+))?/i.exec(raw);
  return {
    transport: (m?.[1] ?? 'UDP').toUpperCase(),
    host: m?.[2] ?? '',
    port: m?.[3] ? Number(m[3]) : undefined,
    branch: param(raw, 'branch'),
    raw,
  };
}

export function topVia(msg: SipMessage): Via | undefined {
  const v = header(msg, 'via');
  return v === undefined ? undefined : parseVia(v);
}

export interface SipUri {
  scheme: string;
  user: string | undefined;
  host: string;
  port: number | undefined;
  params: Record<string, string>;
}

export function parseUri(uri: string): SipUri | undefined {
  const m = /^(sips?):(?:([^@]+)@)?([^;:?>]+|\[[^\]]+\])(?::(\d+))?([^?>]*)/i.exec(uri.trim());
  if (!m?.[1] || !m[3]) return undefined;
  const params: Record<string, string> = {};
  for (const p of (m[5] ?? '').split(';')) {
    if (p === '') continue;
    const [k, v] = p.split('=');
    if (k) params[k.toLowerCase()] = v ?? '';
  }
  return { scheme: m[1].toLowerCase(), user: m[2], host: m[3], port: m[4] ? Number(m[4]) : undefined, params };
}

/** Builds a response to a request, copying Via, From, To, Call-ID and CSeq (RFC 3261 §8.2.6). */
export function makeResponse(req: SipRequest, status: number, reason: string, toTag?: string): SipResponse {
  const out: Header[] = [];
  for (const [name, value] of req.headers) {
    const c = canonical(name);
    if (c === 'via' || c === 'from' || c === 'call-id' || c === 'cseq') out.push([name, value]);
    else if (c === 'to') out.push([name, toTag && tagOf(value) === undefined ? `${value};tag=${toTag}` : value]);
  }
  return { kind: 'response', status, reason, headers: out, body: '' };
}
