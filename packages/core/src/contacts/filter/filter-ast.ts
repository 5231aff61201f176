/**
 * The segmentation filter language, e.g.
 *   homeOwner = true and income >= 50000 and lastPurchaseAt > now - 365d and region in ("TX", "FL")
 * Source text → tokens (filter-lexer) → AST (filter-parser) → typed filter (filter-typecheck, against the contact
 * fields and the list's typed custom attributes) → SQL with bound parameters (@outdial/store/filter) or the
 * in-memory evaluator (filter-evaluator). The two must agree; property tests hold them to it.
 */

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type LiteralNode =
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  /** `now`, `now - 365d`, `now + 2h`: resolved against an injected instant. */
  | { kind: 'now'; offsetMs: number; pos: number };

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; field: string; fieldPos: number; op: CompareOp; value: LiteralNode }
  | { kind: 'in'; field: string; fieldPos: number; negated: boolean; values: LiteralNode[] }
  | { kind: 'null'; field: string; fieldPos: number; negated: boolean };

export type ValueType = 'number' | 'boolean' | 'date' | 'text';

/** Where a field's value lives: a contacts column (with its encoding) or a key of attributes_json. */
export type FieldStorage =
  | { kind: 'column'; column: string; encoding: 'text' | 'number' | 'epoch_ms' | 'flag' }
  | { kind: 'attribute'; key: string };

export interface FieldRef {
  name: string;
  type: ValueType;
  storage: FieldStorage;
}

/**
 * A checked filter: fields resolved, literals converted to what storage holds (dates: epoch ms for columns, ISO
 * text for attributes; booleans stay booleans).
 */
export type TypedFilter =
  | { kind: 'and' | 'or'; left: TypedFilter; right: TypedFilter }
  | { kind: 'not'; operand: TypedFilter }
  | { kind: 'compare'; field: FieldRef; op: CompareOp; value: number | string | boolean }
  | { kind: 'in'; field: FieldRef; negated: boolean; values: (number | string | boolean)[] }
  | { kind: 'null'; field: FieldRef; negated: boolean };

/** A problem with the filter text, at a 1-based column. */
export interface FilterProblem {
  message: string;
  column: number;
}

export type FilterResult<T> = { ok: true; value: T } | { ok: false; problem: FilterProblem };
