import { locateContactShared } from '../geo/locate.ts';
import type { DecisionContext } from './engine/context.ts';
import { buildContext } from './engine/context.ts';
import { parseInstant } from './engine/instant.ts';
import type { RuleDef, RulePack } from './engine/rule.ts';
import type { TimeConstraint } from './engine/time-constraints.ts';
import { firstAllowedInstant } from './engine/time-constraints.ts';
import type { ComplianceData } from './rule-packs.ts';
import { DEFAULT_COMPLIANCE_DATA } from './rule-packs.ts';
import { formatLocalIso, formatUtcIso, localTime } from './time/local-time.ts';
import type { ComplianceDecision, ComplianceRequest, DecisionReason, ReasonCategory } from './types.ts';

type Evaluated = ComplianceDecision['evaluated'][number];

/** A rule with what the hot path needs precomputed: its display name and effective range in epoch ms. */
interface CompiledRule {
  rule: RuleDef;
  name: string;
  from: number;
  to: number;
  /** Shared `evaluated` entries for the outcomes without detail (never mutated). */
  notApplicable: Evaluated;
  passed: Evaluated;
}

const compiledPacks = new WeakMap<RulePack, CompiledRule[]>();

function compiled(pack: RulePack): CompiledRule[] {
  let rules = compiledPacks.get(pack);
  if (!rules) {
    rules = pack.rules.map((rule) => ({
      rule,
      name: ruleName(rule),
      notApplicable: { rule: ruleName(rule), outcome: 'not_applicable' as const },
      passed: { rule: ruleName(rule), outcome: 'pass' as const },
      from: rule.effectiveFrom ? Date.parse(`${rule.effectiveFrom}T00:00:00Z`) : Number.NEGATIVE_INFINITY,
      to: rule.effectiveTo ? Date.parse(`${rule.effectiveTo}T00:00:00Z`) : Number.POSITIVE_INFINITY,
    }));
    compiledPacks.set(pack, rules);
  }
  return rules;
}

/**
 * The rules that concern a set of jurisdictions, in pack order: packs that cover them, and of those the rules of
 * the call's own jurisdictions (a state rule of another state is not looked at). Cached per data and jurisdiction
 * set: the same few sets (one per area code, mostly) come back all the time.
 */
const rulesByJurisdictions = new WeakMap<ComplianceData, Map<string, CompiledRule[]>>();
const rulesBySharedArray = new WeakMap<ComplianceData, WeakMap<readonly string[], CompiledRule[]>>();

/** The last answer of rulesFor: a campaign's calls mostly share one location array in a row (one area code). */
let lastRules: { data: ComplianceData; jurisdictions: readonly string[]; rules: CompiledRule[] } | null = null;

function rulesFor(data: ComplianceData, jurisdictions: readonly string[], set: ReadonlySet<string>): CompiledRule[] {
  if (lastRules && lastRules.data === data && lastRules.jurisdictions === jurisdictions) return lastRules.rules;
  const rules = lookUpRules(data, jurisdictions, set);
  lastRules = { data, jurisdictions, rules };
  return rules;
}

function lookUpRules(data: ComplianceData, jurisdictions: readonly string[], set: ReadonlySet<string>): CompiledRule[] {
  let byArray = rulesBySharedArray.get(data);
  if (!byArray) rulesBySharedArray.set(data, (byArray = new WeakMap()));
  const shared = byArray.get(jurisdictions);
  if (shared) return shared;
  let byKey = rulesByJurisdictions.get(data);
  if (!byKey) rulesByJurisdictions.set(data, (byKey = new Map()));
  const key = [...jurisdictions].sort().join('|');
  let rules = byKey.get(key);
  if (!rules) {
    rules = [];
    for (const pack of data.packs) {
      if (!pack.covers(set)) continue;
      for (const entry of compiled(pack)) if (entry.rule.jurisdiction === '*' || set.has(entry.rule.jurisdiction)) rules.push(entry);
    }
    if (byKey.size > 10_000) byKey.clear();
    byKey.set(key, rules);
  }
  byArray.set(jurisdictions, rules);
  return rules;
}

function ruleName(rule: RuleDef): string {
  return `${rule.id} ${rule.citation}`;
}

function jurisdictionOf(rule: RuleDef, ctx: DecisionContext, detail?: Record<string, unknown>): string {
  const override = detail?.['jurisdiction'];
  if (typeof override === 'string') return override;
  return rule.jurisdiction === '*' ? ctx.country : rule.jurisdiction;
}

function invalid(id: string, rule: string, message: string, rulesVersion: string): ComplianceDecision {
  return {
    id,
    verdict: 'block',
    notBefore: null,
    reasons: [{ category: 'invalid_number', rule, jurisdiction: 'ZZ', detail: { message } }],
    evaluated: [{ rule, outcome: 'fail', detail: { message } }],
    evidence: { rulesVersion, zones: [], jurisdictions: [] },
  };
}

function isObjectOrAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value));
}

function isArrayOrAbsent(value: unknown): boolean {
  return value === undefined || value === null || Array.isArray(value);
}

/**
 * A present section of the wrong type would silently drop facts (a list flag, a call): refuse to guess. Direct
 * property reads (not a loop over key names): this runs on every decision.
 */
function malformedSection(request: ComplianceRequest): string | null {
  const record = request as unknown as Record<string, unknown>;
  if (!isObjectOrAbsent(record['campaign'])) return '"campaign" must be an object';
  const contact = record['contact'];
  if (!isObjectOrAbsent(contact)) return '"contact" must be an object';
  const lists = record['lists'];
  if (!isObjectOrAbsent(lists)) return '"lists" must be an object';
  if (!isObjectOrAbsent(record['options'])) return '"options" must be an object';
  if (!isObjectOrAbsent(record['campaignWindow'])) return '"campaignWindow" must be an object';
  if (!isArrayOrAbsent(record['history'])) return '"history" must be an array';
  if (lists && !isArrayOrAbsent((lists as Record<string, unknown>)['stateDnc'])) return '"lists.stateDnc" must be an array of state codes';
  if (contact && !isArrayOrAbsent((contact as Record<string, unknown>)['consents'])) return '"contact.consents" must be an array';
  return null;
}

/**
 * The compliance decision: allow, defer (only time stands in the way; `notBefore` is the first instant, to the
 * second, at which every rule allows) or block. Pure: the same request and data always give the same decision.
 * Never throws: a request it cannot read is blocked as `invalid_number`.
 */
export function decide(request: ComplianceRequest, data: ComplianceData = DEFAULT_COMPLIANCE_DATA): ComplianceDecision {
  const id = typeof request?.id === 'string' ? request.id : String(request?.id ?? '');
  try {
    return decideChecked(request, id, data);
  } catch (error) {
    return invalid(id, 'ENGINE-ERROR', `the request could not be decided: ${error instanceof Error ? error.message : String(error)}`, data.rulesVersion);
  }
}

function decideChecked(request: ComplianceRequest, id: string, data: ComplianceData): ComplianceDecision {
  const at = parseInstant(request.at, true);
  if (at === null) return invalid(id, 'REQUEST-AT', `"at" is not an ISO 8601 instant with an offset: ${JSON.stringify(request.at)}`, data.rulesVersion);
  const malformed = malformedSection(request);
  if (malformed) return invalid(id, 'REQUEST-FIELDS', malformed, data.rulesVersion);
  const contact = request.contact ?? {};
  const location = locateContactShared({ phone: request.phone, country: request.country ?? 'US', postalCode: contact.postalCode, region: contact.region });
  if (!location.ok) return invalid(id, 'PHONE-LOCATION', location.reason, data.rulesVersion);
  const ctx = buildContext(request, at, location);

  const evaluated: Evaluated[] = [];
  const blockReasons: DecisionReason[] = [];
  const timeReasons: DecisionReason[] = [];
  const constraints: TimeConstraint[] = [];
  const counters: Array<{ rule: string; detail: Record<string, unknown> }> = [];
  const deadlines: Array<{ rule: RuleDef; until: number }> = [];

  {
    for (const { rule, name, from, to, notApplicable, passed } of rulesFor(data, location.jurisdictions, ctx.jurisdictions)) {
      if (at < from || at >= to || !rule.applies(ctx)) {
        evaluated.push(notApplicable);
        continue;
      }
      if (rule.check) {
        const outcome = rule.check(ctx);
        if (outcome.pass) {
          if (outcome.validUntil !== undefined && Number.isFinite(outcome.validUntil)) deadlines.push({ rule, until: outcome.validUntil });
          evaluated.push(outcome.detail ? { rule: name, outcome: 'pass', detail: outcome.detail } : passed);
        } else {
          const detail = outcome.detail ?? {};
          blockReasons.push({ category: rule.category, rule: name, jurisdiction: jurisdictionOf(rule, ctx, detail), detail });
          evaluated.push({ rule: name, outcome: 'fail', detail });
        }
      }
      if (rule.constraints) {
        const ruleConstraints = rule.constraints(ctx);
        let failing: TimeConstraint | undefined;
        for (const constraint of ruleConstraints) {
          constraints.push(constraint);
          if (!failing && !constraint.allowedAt(at)) failing = constraint;
        }
        const shown = failing ?? ruleConstraints.find((constraint) => constraint.counts);
        const detail = shown ? shown.detail(at) : undefined;
        if (shown?.counts && detail) counters.push({ rule: rule.id, detail });
        if (failing && detail) {
          const category: ReasonCategory = rule.category === 'calling_hours' && ('holiday' in detail || 'dayBanned' in detail) ? 'day_ban' : rule.category;
          timeReasons.push({ category, rule: name, jurisdiction: jurisdictionOf(rule, ctx), detail });
          evaluated.push({ rule: name, outcome: 'fail', detail });
        } else {
          evaluated.push(detail ? { rule: name, outcome: 'pass', detail } : passed);
        }
      }
    }
  }

  const evidence: ComplianceDecision['evidence'] = {
    rulesVersion: data.rulesVersion,
    dataVersions: data.dataVersions,
    phone: ctx.location.phone.e164,
    zones: ctx.zones.slice(),
    localTimes: ctx.zones.map((zone) => ({ zone, localTime: formatLocalIso(localTime(zone, at)) })),
    jurisdictions: location.jurisdictions.slice(),
    locationSources: ctx.location.sources.map((source) => ({ source: source.source, value: source.value, zones: source.zones })),
    counters,
  };

  if (blockReasons.length > 0) {
    return { id, verdict: 'block', notBefore: null, reasons: [...blockReasons, ...timeReasons], evaluated, evidence };
  }
  if (timeReasons.length === 0) return { id, verdict: 'allow', notBefore: null, reasons: [], evaluated, evidence };

  const first = firstAllowedInstant(constraints, at);
  const notBefore = Number.isFinite(first) ? Math.ceil(first / 1000) * 1000 : first;
  const expiring = deadlines.filter((deadline) => deadline.until <= notBefore);
  if (Number.isFinite(notBefore) && expiring.length === 0) {
    return { id, verdict: 'defer', notBefore: formatUtcIso(notBefore), reasons: timeReasons, evaluated, evidence };
  }
  // Waiting does not help: no lawful instant within the horizon, or what allows the call now ends first.
  const lapsing: DecisionReason[] = expiring.map(({ rule, until }) => ({
    category: rule.category,
    rule: ruleName(rule),
    jurisdiction: jurisdictionOf(rule, ctx),
    detail: { lapsesAt: formatUtcIso(until), message: 'lapses before the first instant the other rules allow' },
  }));
  const noWindow = Number.isFinite(notBefore) ? {} : { message: 'no instant within the search horizon satisfies every rule' };
  return {
    id,
    verdict: 'block',
    notBefore: null,
    reasons: [...timeReasons.map((reason) => ({ ...reason, detail: { ...reason.detail, ...noWindow } })), ...lapsing],
    evaluated,
    evidence,
  };
}
