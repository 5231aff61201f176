import type { FieldRef, FilterNode, FilterResult, LiteralNode, TypedFilter, ValueType } from './filter-ast.ts';
import { parseFilter } from './filter-parser.ts';

/** The contact fields a filter may use, with their columns. */
export const CONTACT_FILTER_FIELDS: readonly FieldRef[] = [
  { name: 'phone', type: 'text', storage: { kind: 'column', column: 'phone', encoding: 'text' } },
  { name: 'firstName', type: 'text', storage: { kind: 'column', column: 'first_name', encoding: 'text' } },
  { name: 'lastName', type: 'text', storage: { kind: 'column', column: 'last_name', encoding: 'text' } },
  { name: 'email', type: 'text', storage: { kind: 'column', column: 'email', encoding: 'text' } },
  { name: 'address', type: 'text', storage: { kind: 'column', column: 'address', encoding: 'text' } },
  { name: 'city', type: 'text', storage: { kind: 'column', column: 'city', encoding: 'text' } },
  { name: 'region', type: 'text', storage: { kind: 'column', column: 'region', encoding: 'text' } },
  { name: 'postalCode', type: 'text', storage: { kind: 'column', column: 'postal_code', encoding: 'text' } },
  { name: 'country', type: 'text', storage: { kind: 'column', column: 'country', encoding: 'text' } },
  { name: 'lineType', type: 'text', storage: { kind: 'column', column: 'line_type', encoding: 'text' } },
  { name: 'status', type: 'text', storage: { kind: 'column', column: 'status', encoding: 'text' } },
  { name: 'lastOutcome', type: 'text', storage: { kind: 'column', column: 'last_outcome', encoding: 'text' } },
  { name: 'listId', type: 'text', storage: { kind: 'column', column: 'list_id', encoding: 'text' } },
  { name: 'attempts', type: 'number', storage: { kind: 'column', column: 'attempts', encoding: 'number' } },
  { name: 'priority', type: 'number', storage: { kind: 'column', column: 'priority', encoding: 'number' } },
  { name: 'dncFlag', type: 'boolean', storage: { kind: 'column', column: 'dnc_flag', encoding: 'flag' } },
  { name: 'createdAt', type: 'date', storage: { kind: 'column', column: 'created_at', encoding: 'epoch_ms' } },
  { name: 'updatedAt', type: 'date', storage: { kind: 'column', column: 'updated_at', encoding: 'epoch_ms' } },
  { name: 'lastAttemptAt', type: 'date', storage: { kind: 'column', column: 'last_attempt_at', encoding: 'epoch_ms' } },
  { name: 'nextDialAt', type: 'date', storage: { kind: 'column', column: 'next_dial_at', encoding: 'epoch_ms' } },
];

export interface FilterSchema {
  /** Typed custom attributes (from the lists' saved mappings): name → type. */
  attributes: Readonly<Record<string, ValueType>>;
  /** The instant `now` means, epoch ms (injected: the core reads no clock). */
  now: number;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A date literal ("2026-01-31" or an ISO instant) as epoch ms, or null. */
function dateMs(text: string): number | null {
  if (ISO_DAY.test(text)) {
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    const ms = Date.UTC(y, m - 1, d);
    return new Date(ms).getUTCDate() === d ? ms : null;
  }
  if (ISO_INSTANT.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

class CheckError extends Error {
  constructor(message: string, readonly column: number) {
    super(message);
  }
}

function resolveField(name: string, pos: number, schema: FilterSchema): FieldRef {
  const builtin = CONTACT_FILTER_FIELDS.find((f) => f.name === name);
  if (builtin !== undefined) return builtin;
  const type = schema.attributes[name];
  if (type !== undefined && Object.prototype.hasOwnProperty.call(schema.attributes, name)) return { name, type, storage: { kind: 'attribute', key: name } };
  const known = [...CONTACT_FILTER_FIELDS.map((f) => f.name), ...Object.keys(schema.attributes)];
  throw new CheckError(`unknown field "${name}" (known: ${known.join(', ')})`, pos);
}

/** Converts a literal to the field's type and storage form, or explains why it does not fit. */
function literalFor(field: FieldRef, literal: LiteralNode, schema: FilterSchema): number | string | boolean {
  const mismatch = (what: string): CheckError => new CheckError(`${field.name} is a ${field.type}; ${what} does not fit`, literal.pos);
  switch (field.type) {
    case 'number':
      if (literal.kind !== 'number') throw mismatch(describeLiteral(literal));
      return literal.value;
    case 'boolean':
      if (literal.kind !== 'boolean') throw mismatch(describeLiteral(literal));
      return literal.value;
    case 'text':
      if (literal.kind !== 'string') throw mismatch(describeLiteral(literal));
      return literal.value;
    case 'date': {
      let ms: number | null = null;
      if (literal.kind === 'now') ms = schema.now + literal.offsetMs;
      else if (literal.kind === 'string') ms = dateMs(literal.value);
      if (ms === null) throw mismatch(`${describeLiteral(literal)} (use now - 30d or "2026-01-31")`);
      if (ms < -62_135_596_800_000 || ms > 253_402_300_799_999) throw new CheckError('date out of range (years 1 to 9999)', literal.pos);
      return field.storage.kind === 'column' ? ms : new Date(ms).toISOString();
    }
  }
}

function describeLiteral(literal: LiteralNode): string {
  switch (literal.kind) {
    case 'number': return `the number ${literal.value}`;
    case 'string': return `the text "${literal.value}"`;
    case 'boolean': return String(literal.value);
    case 'now': return 'now';
  }
}

function check(node: FilterNode, schema: FilterSchema): TypedFilter {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, left: check(node.left, schema), right: check(node.right, schema) };
    case 'not':
      return { kind: 'not', operand: check(node.operand, schema) };
    case 'null':
      return { kind: 'null', field: resolveField(node.field, node.fieldPos, schema), negated: node.negated };
    case 'compare': {
      const field = resolveField(node.field, node.fieldPos, schema);
      if (field.type === 'boolean' && node.op !== '=' && node.op !== '!=') {
        throw new CheckError(`${field.name} is a boolean: only = and != apply`, node.fieldPos);
      }
      if (node.value.kind === 'number' && !Number.isFinite(node.value.value)) throw new CheckError('number out of range', node.value.pos);
      return { kind: 'compare', field, op: node.op, value: literalFor(field, node.value, schema) };
    }
    case 'in': {
      const field = resolveField(node.field, node.fieldPos, schema);
      return { kind: 'in', field, negated: node.negated, values: node.values.map((v) => literalFor(field, v, schema)) };
    }
  }
}

/** Type-checks a parsed filter against the contact fields and the typed custom attributes. */
export function typecheckFilter(ast: FilterNode, schema: FilterSchema): FilterResult<TypedFilter> {
  try {
    return { ok: true, value: check(ast, schema) };
  } catch (error) {
    if (error instanceof CheckError) return { ok: false, problem: { message: error.message, column: error.column } };
    throw error;
  }
}

/** Parses and type-checks filter text in one step. */
export function compileFilterText(source: string, schema: FilterSchema): FilterResult<TypedFilter> {
  const parsed = parseFilter(source);
  if (!parsed.ok) return parsed;
  return typecheckFilter(parsed.value, schema);
}
