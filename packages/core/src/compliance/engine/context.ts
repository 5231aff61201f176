import type { CandidateLocation } from '../../geo/locate.ts';
import type {
  CampaignPurpose,
  ComplianceRequest,
  ConsentKind,
  ConsentScope,
  DialMode,
  HistoryOutcome,
} from '../types.ts';
import { parseCompactDate, parseInstant } from './instant.ts';

/**
 * The request with every default of the contract applied and every doubtful value read conservatively: an unknown
 * purpose is telemarketing, an unknown line type is wireless, an unreadable revocation date revokes, an unreadable
 * consent date gives no consent.
 */
export interface DecisionContext {
  request: ComplianceRequest;
  at: number;
  purpose: CampaignPurpose;
  dialMode: DialMode;
  prerecorded: boolean;
  seller: string;
  subject: string;
  agentGuaranteed: boolean;
  consumer: boolean;
  wireless: boolean;
  country: string;
  location: Extract<CandidateLocation, { ok: true }>;
  zones: readonly string[];
  jurisdictions: ReadonlySet<string>;
  /** `jurisdictions.has('US')`, asked by most rules of the US packs: looked up once per decision. */
  inUs: boolean;
  consents: readonly ContextConsent[];
  ebr: { transactionAt: number | null; inquiryAt: number | null };
  dncRequestAt: number | null;
  objectedAt: number | null;
  stopCallingAt: number | null;
  debtId: string | null;
  reassigned: 'yes' | 'no' | 'no_data' | null;
  lists: {
    nationalDnc: boolean;
    nationalDncSyncedDay: number | null;
    stateDnc: readonly string[];
    tps: boolean;
    internalDnc: boolean;
    litigator: boolean;
  };
  history: readonly ContextAttempt[];
  campaignWindow: { liveAnswers: number; abandoned: number; amdFalsePositiveEstimate: number } | null;
  revokeAll: boolean;
  tpsGraceDays: number;
  /** Per-decision memo of consent look-ups (several rules ask the same question), by kinds bitmask and revoke-all. */
  memo: Array<HeldConsent | null | undefined>;
  /** Per-decision memo of the earlier calls about this debt (two Reg F rules count them); null until asked. */
  debtAttempts: ContextAttempt[] | null;
}

export interface ContextConsent {
  index: number;
  kind: ConsentKind;
  at: number;
  scope: ConsentScope;
  revokedAt: number | null;
}

export interface ContextAttempt {
  id: string;
  at: number;
  seller: string;
  subject: string;
  debtId: string | null;
  dialMode: DialMode;
  prerecorded: boolean;
  outcome: HistoryOutcome;
  conversation: boolean;
}

const PORT_GRACE_MS = 15 * 86_400_000;
const PURPOSES: readonly CampaignPurpose[] = ['telemarketing', 'debt_collection', 'informational', 'survey'];
const DIAL_MODES: readonly DialMode[] = ['predictive', 'progressive', 'preview', 'manual'];
const KINDS: readonly ConsentKind[] = ['written', 'express', 'time'];
const SCOPES: readonly ConsentScope[] = ['telemarketing', 'informational', 'debt_collection', 'all'];
const OUTCOMES: readonly HistoryOutcome[] = ['no_answer', 'busy', 'failed', 'voicemail', 'machine', 'answered', 'abandoned', 'amd_hangup'];

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** A flag is off only when it says so: anything else that is present counts as on. */
function flag(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== 0;
}

/** An optional "this happened at" date: absent → null; present but unreadable → `whenUnreadable`. */
function eventDate(value: unknown, whenUnreadable: number | null): number | null {
  if (value === undefined || value === null) return null;
  return parseInstant(value) ?? whenUnreadable;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const jurisdictionSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** Location arrays are shared per area code (and per area code + postcode), so their sets can be too. */
function jurisdictionSet(jurisdictions: readonly string[]): ReadonlySet<string> {
  let set = jurisdictionSets.get(jurisdictions);
  if (!set) jurisdictionSets.set(jurisdictions, (set = new Set(jurisdictions)));
  return set;
}

const HISTORY_IDS = Array.from({ length: 64 }, (_, index) => `history[${index}]`);

/** The id of an attempt without one: its place in the request (the usual few are built once). */
function historyId(index: number): string {
  return HISTORY_IDS[index] ?? `history[${index}]`;
}

export function buildContext(request: ComplianceRequest, at: number, location: Extract<CandidateLocation, { ok: true }>): DecisionContext {
  const campaign = asRecord(request.campaign);
  const contact = asRecord(request.contact);
  const lists = asRecord(request.lists);
  const options = asRecord(request.options);
  const seller = text(campaign['seller'], 'default');
  const consents: ContextConsent[] = [];
  const rawConsents = Array.isArray(contact['consents']) ? (contact['consents'] as unknown[]) : [];
  for (let index = 0; index < rawConsents.length; index += 1) {
    const consent = asRecord(rawConsents[index]);
    const given = parseInstant(consent['at']);
    if (given === null || !KINDS.includes(consent['kind'] as ConsentKind)) continue;
    consents.push({
      index,
      kind: consent['kind'] as ConsentKind,
      at: given,
      // A consent without a scope is read as the narrowest: telemarketing consent does not cover other purposes.
      scope: pick(consent['scope'], SCOPES, 'telemarketing'),
      revokedAt: eventDate(consent['revokedAt'], Number.NEGATIVE_INFINITY),
    });
  }
  const ebr = asRecord(contact['ebr']);
  const history: ContextAttempt[] = [];
  const rawHistory = Array.isArray(request.history) ? (request.history as unknown[]) : [];
  for (let index = 0; index < rawHistory.length; index += 1) {
    const entry = asRecord(rawHistory[index]);
    const entrySeller = text(entry['seller'], seller);
    history.push({
      id: text(entry['attemptId'], historyId(index)),
      // An attempt whose time cannot be read is taken as the most recent one possible: the decision instant.
      at: parseInstant(entry['at']) ?? at,
      seller: entrySeller,
      subject: text(entry['subject'], entrySeller),
      debtId: typeof entry['debtId'] === 'string' ? entry['debtId'] : null,
      dialMode: pick(entry['dialMode'], DIAL_MODES, 'predictive'),
      prerecorded: flag(entry['prerecorded']),
      outcome: pick(entry['outcome'], OUTCOMES, 'answered'),
      conversation: flag(entry['conversation']) || entry['outcome'] === undefined,
    });
  }
  const window = asRecord(request.campaignWindow);
  const lineType = contact['lineType'];
  const portedAt = eventDate(contact['portedToWirelessAt'], Number.NEGATIVE_INFINITY);
  const synced = lists['nationalDncSyncedAt'];
  // A bare date (the usual form) is read directly; building `${date}T00:00:00Z` first cost a string per decision.
  const syncedAt = typeof synced !== 'string' ? null
    : synced.length === 10 ? (parseCompactDate(synced) ?? parseInstant(`${synced}T00:00:00Z`)) : parseInstant(synced);
  const graceDays = Number(options['tpsGraceDays'] ?? 0);
  const jurisdictions = jurisdictionSet(location.jurisdictions);
  return {
    request,
    at,
    purpose: pick(campaign['purpose'], PURPOSES, 'telemarketing'),
    dialMode: pick(campaign['dialMode'], DIAL_MODES, 'predictive'),
    prerecorded: flag(campaign['prerecorded']),
    seller,
    subject: text(campaign['subject'], seller),
    agentGuaranteed: campaign['agentGuaranteed'] === true,
    consumer: campaign['audience'] !== 'business',
    // 47 CFR 64.1200(a)(1)(iv): a number ported from wireline to wireless in the previous 15 days keeps its landline
    // treatment, unless it is on the national or the company's do-not-call list.
    wireless: lineType !== 'landline' || (portedAt !== null && portedAt <= at &&
      (portedAt <= at - PORT_GRACE_MS || flag(lists['nationalDnc']) || flag(lists['internalDnc']))),
    country: location.phone.country,
    location,
    zones: location.zones,
    jurisdictions,
    inUs: jurisdictions.has('US'),
    consents,
    ebr: { transactionAt: eventDate(ebr['lastTransactionAt'], null), inquiryAt: eventDate(ebr['lastInquiryAt'], null) },
    dncRequestAt: eventDate(contact['dncRequestAt'], Number.NEGATIVE_INFINITY),
    objectedAt: eventDate(contact['objectedAt'], Number.NEGATIVE_INFINITY),
    stopCallingAt: eventDate(contact['stopCallingAt'], Number.NEGATIVE_INFINITY),
    debtId: typeof contact['debtId'] === 'string' ? contact['debtId'] : null,
    reassigned: contact['reassigned'] === undefined || contact['reassigned'] === null ? null : pick(contact['reassigned'], ['yes', 'no', 'no_data'] as const, 'yes'),
    lists: {
      nationalDnc: flag(lists['nationalDnc']),
      nationalDncSyncedDay: syncedAt === null ? null : Math.floor(syncedAt / 86_400_000),
      stateDnc: Array.isArray(lists['stateDnc']) ? (lists['stateDnc'] as unknown[]).map((s) => String(s).toUpperCase().replace(/^US-/, '')) : [],
      tps: flag(lists['tps']),
      internalDnc: flag(lists['internalDnc']),
      litigator: flag(lists['litigator']),
    },
    history,
    campaignWindow: request.campaignWindow
      ? { liveAnswers: Number(window['liveAnswers']) || 0, abandoned: Number(window['abandoned']) || 0, amdFalsePositiveEstimate: Number(window['amdFalsePositiveEstimate']) || 0 }
      : null,
    revokeAll: options['revokeAll'] !== false,
    tpsGraceDays: Number.isFinite(graceDays) && graceDays > 0 ? graceDays : 0,
    memo: [],
    debtAttempts: null,
  };
}

/** Consent scopes that cover a purpose. */
export function scopesFor(purpose: CampaignPurpose): readonly ConsentScope[] {
  if (purpose === 'telemarketing') return ['telemarketing', 'all'];
  if (purpose === 'debt_collection') return ['debt_collection', 'all'];
  return ['informational', 'all'];
}

/** The consent that holds at the decision instant, and until when it holds (its revocation, if already known). */
export interface HeldConsent {
  consent: ContextConsent;
  validUntil: number;
}

/**
 * A consent of one of the kinds, for this purpose, given before the call and not revoked. With revoke-all (operator
 * option, and the FCC rule from its effective date) any revocation ends every consent given before it.
 */
export function heldConsent(ctx: DecisionContext, kinds: readonly ConsentKind[], revokeAllInForce: boolean): HeldConsent | null {
  if (ctx.consents.length === 0) return null;
  let key = revokeAllInForce ? 1 : 0;
  for (const kind of kinds) key |= kind === 'written' ? 2 : kind === 'express' ? 4 : 8;
  const memo = ctx.memo[key];
  if (memo !== undefined) return memo;
  const held = findConsent(ctx, kinds, revokeAllInForce);
  ctx.memo[key] = held;
  return held;
}

function findConsent(ctx: DecisionContext, kinds: readonly ConsentKind[], revokeAllInForce: boolean): HeldConsent | null {
  const scopes = scopesFor(ctx.purpose);
  const revokeAll = ctx.revokeAll || revokeAllInForce;
  let best: HeldConsent | null = null;
  for (const consent of ctx.consents) {
    if (!kinds.includes(consent.kind) || !scopes.includes(consent.scope) || consent.at > ctx.at) continue;
    let until = consent.revokedAt ?? Number.POSITIVE_INFINITY;
    if (revokeAll) {
      for (const other of ctx.consents) {
        if (other.revokedAt !== null && other.revokedAt >= consent.at && other.revokedAt < until) until = other.revokedAt;
      }
    }
    if (until <= ctx.at) continue;
    if (!best || until > best.validUntil) best = { consent, validUntil: until };
  }
  return best;
}
