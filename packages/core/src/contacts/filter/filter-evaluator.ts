import type { CompareOp, FieldRef, TypedFilter } from './filter-ast.ts';

/** A contact as the evaluator sees it: its columns by SQL name, and its parsed custom attributes. */
export interface FilterSubject {
  columns: Readonly<Record<string, unknown>>;
  attributes: Readonly<Record<string, unknown>>;
}

/** SQL's three-valued logic: a test on a missing value is unknown, and `not unknown` stays unknown. */
export type Truth = true | false | null;

type Scalar = number | string | boolean;

function valueOf(field: FieldRef, subject: FilterSubject): Scalar | null {
  if (field.storage.kind === 'column') {
    const raw = subject.columns[field.storage.column];
    if (raw === null || raw === undefined) return null;
    if (field.storage.encoding === 'flag') return raw !== 0 && raw !== false;
    return raw as Scalar;
  }
  const raw = subject.attributes[field.storage.key];
  if (raw === null || raw === undefined) return null;
  switch (field.type) {
    case 'number': return typeof raw === 'number' ? raw : null;
    case 'boolean': return typeof raw === 'boolean' ? raw : null;
    default: return typeof raw === 'string' ? raw : null;
  }
}

/** Text compares by code point (UTF-8 byte order), as SQLite's BINARY and PostgreSQL's "C" collation do. */
function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const ia = a[Symbol.iterator]();
    const ib = b[Symbol.iterator]();
    while (true) {
      const x = ia.next();
      const y = ib.next();
      if (x.done === true) return y.done === true ? 0 : -1;
      if (y.done === true) return 1;
      const cx = (x.value as string).codePointAt(0) as number;
      const cy = (y.value as string).codePointAt(0) as number;
      if (cx !== cy) return cx < cy ? -1 : 1;
    }
  }
  const na = typeof a === 'boolean' ? Number(a) : (a as number);
  const nb = typeof b === 'boolean' ? Number(b) : (b as number);
  return na < nb ? -1 : na > nb ? 1 : 0;
}

function holds(op: CompareOp, order: number): boolean {
  switch (op) {
    case '=': return order === 0;
    case '!=': return order !== 0;
    case '<': return order < 0;
    case '<=': return order <= 0;
    case '>': return order > 0;
    case '>=': return order >= 0;
  }
}

/** Evaluates a checked filter on one contact, with SQL's semantics (so it agrees with the compiled SQL). */
export function evaluateFilter(filter: TypedFilter, subject: FilterSubject): Truth {
  switch (filter.kind) {
    case 'and': {
      const a = evaluateFilter(filter.left, subject);
      if (a === false) return false;
      const b = evaluateFilter(filter.right, subject);
      if (b === false) return false;
      return a === null || b === null ? null : true;
    }
    case 'or': {
      const a = evaluateFilter(filter.left, subject);
      if (a === true) return true;
      const b = evaluateFilter(filter.right, subject);
      if (b === true) return true;
      return a === null || b === null ? null : false;
    }
    case 'not': {
      const a = evaluateFilter(filter.operand, subject);
      return a === null ? null : !a;
    }
    case 'null': {
      const isNull = valueOf(filter.field, subject) === null;
      return filter.negated ? !isNull : isNull;
    }
    case 'compare': {
      const v = valueOf(filter.field, subject);
      if (v === null) return null;
      return holds(filter.op, compareScalars(v, filter.value));
    }
    case 'in': {
      const v = valueOf(filter.field, subject);
      if (v === null) return null;
      const found = filter.values.some((x) => compareScalars(v, x) === 0);
      return filter.negated ? !found : found;
    }
  }
}

/** Whether the contact is selected (unknown counts as not selected, as in a SQL WHERE clause). */
export function matchesFilter(filter: TypedFilter, subject: FilterSubject): boolean {
  return evaluateFilter(filter, subject) === true;
}
