import { sql } from 'kysely';
import type { RawBuilder, SqlBool } from 'kysely';
import type { CompareOp, FieldRef, TypedFilter } from '@outdial/core/contacts/filter/filter-ast';
import type { DialectName } from '../database.ts';

/**
 * A checked segmentation filter as a Kysely expression over `contacts`. Every value is a bound parameter; the only
 * text put into the SQL is fixed by this file (operators from a closed set, column names from the core's field
 * table). Custom attributes are read from attributes_json by one function per dialect.
 */
export function filterToSql(filter: TypedFilter, dialect: DialectName): RawBuilder<SqlBool> {
  switch (filter.kind) {
    case 'and':
      return sql<SqlBool>`(${filterToSql(filter.left, dialect)} and ${filterToSql(filter.right, dialect)})`;
    case 'or':
      return sql<SqlBool>`(${filterToSql(filter.left, dialect)} or ${filterToSql(filter.right, dialect)})`;
    case 'not':
      return sql<SqlBool>`(not ${filterToSql(filter.operand, dialect)})`;
    case 'null':
      return filter.negated ? sql<SqlBool>`(${operand(filter.field, dialect)} is not null)` : sql<SqlBool>`(${operand(filter.field, dialect)} is null)`;
    case 'compare':
      return sql<SqlBool>`(${operand(filter.field, dialect)} ${sql.raw(OPERATORS[filter.op])} ${parameter(filter.field, filter.value, dialect)})`;
    case 'in': {
      const values = sql.join(filter.values.map((v) => parameter(filter.field, v, dialect)));
      return filter.negated
        ? sql<SqlBool>`(${operand(filter.field, dialect)} not in (${values}))`
        : sql<SqlBool>`(${operand(filter.field, dialect)} in (${values}))`;
    }
  }
}

const OPERATORS: Record<CompareOp, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** Column names come from the core's fixed field table; anything else is refused rather than put into SQL. */
const SAFE_COLUMN = /^[a-z_]+$/;

function operand(field: FieldRef, dialect: DialectName): RawBuilder<unknown> {
  if (field.storage.kind === 'column') {
    if (!SAFE_COLUMN.test(field.storage.column)) throw new Error(`unexpected column name ${field.storage.column}`);
    const ref = sql.ref(`contacts.${field.storage.column}`);
    // PostgreSQL compares text by the database collation unless told: "C" is byte order, as SQLite's BINARY.
    return dialect === 'postgres' && field.type === 'text' ? sql`(${ref} collate "C")` : sql`${ref}`;
  }
  return dialect === 'postgres' ? postgresAttribute(field) : sqliteAttribute(field);
}

/** SQLite: json_extract gives numbers as numbers, booleans as 1/0, strings as text, a missing key as NULL. */
function sqliteAttribute(field: FieldRef): RawBuilder<unknown> {
  const key = field.storage.kind === 'attribute' ? field.storage.key : '';
  return sql`json_extract(contacts.attributes_json, ${`$."${key.replace(/"/g, '')}"`})`;
}

/** PostgreSQL: ->> gives text (NULL when missing), cast to the attribute's type. */
function postgresAttribute(field: FieldRef): RawBuilder<unknown> {
  const key = field.storage.kind === 'attribute' ? field.storage.key : '';
  const text = sql`(contacts.attributes_json::jsonb ->> ${key}::text)`;
  switch (field.type) {
    case 'number': return sql`(${text})::double precision`;
    case 'boolean': return sql`(${text})::boolean`;
    default: return sql`(${text} collate "C")`;
  }
}

function parameter(field: FieldRef, value: number | string | boolean, dialect: DialectName): RawBuilder<unknown> {
  if (typeof value === 'boolean') {
    // Flag columns hold 0/1 in both dialects; SQLite's json_extract turns JSON booleans into 1/0 too.
    if (field.storage.kind === 'column' || dialect === 'sqlite') return sql`${value ? 1 : 0}`;
    return sql`${value}::boolean`;
  }
  if (typeof value === 'number') return dialect === 'postgres' ? sql`${value}::double precision` : sql`${value}`;
  return dialect === 'postgres' ? sql`${value}::text` : sql`${value}`;
}
