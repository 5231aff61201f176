import type { ReasonCategory } from '../types.ts';
import type { DecisionContext } from './context.ts';
import type { TimeConstraint } from './time-constraints.ts';

/** What a rule that does not depend on the clock says: pass (possibly only until some instant) or fail. */
export type StaticOutcome =
  | { pass: true; validUntil?: number; detail?: Record<string, unknown> }
  | { pass: false; detail?: Record<string, unknown> };

/**
 * One rule of a rule pack: data (id, citation, jurisdiction, effective dates) plus code. A rule is either static
 * (`check`: a fail blocks) or timed (`constraints`: a fail defers until every constraint allows).
 */
export interface RuleDef {
  /** Stable id, e.g. `US-FL-HOURS`. */
  id: string;
  /** Human-readable citation, e.g. `Fla. Stat. 501.616(6)(a)`. */
  citation: string;
  /** ISO country or subdivision, or `EU`. */
  jurisdiction: string;
  category: ReasonCategory;
  /** ISO dates: the rule is in force on [effectiveFrom, effectiveTo). */
  effectiveFrom?: string;
  effectiveTo?: string;
  /** Whether the rule governs this call at all (scope, purpose, jurisdiction, exemptions). */
  applies(ctx: DecisionContext): boolean;
  check?(ctx: DecisionContext): StaticOutcome;
  constraints?(ctx: DecisionContext): readonly TimeConstraint[];
}

/** A versioned set of rules for one jurisdiction family. */
export interface RulePack {
  id: string;
  version: string;
  /** Whether any of the pack's rules can concern a call located in these jurisdictions. */
  covers(jurisdictions: ReadonlySet<string>): boolean;
  rules: readonly RuleDef[];
}
