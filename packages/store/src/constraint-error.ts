/**
 * Recognises constraint violations from either driver, so a repository can turn "this name is taken" or "that list
 * does not exist" into a typed result. better-sqlite3 reports `SQLITE_CONSTRAINT_*` codes, pg reports SQLSTATE.
 */
export type ConstraintKind = 'unique' | 'foreign_key' | 'not_null' | 'check';

export function constraintKind(error: unknown): ConstraintKind | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  const code = (error as { code: unknown }).code;
  switch (code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
    case '23505':
      return 'unique';
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
    case '23503':
      return 'foreign_key';
    case 'SQLITE_CONSTRAINT_NOTNULL':
    case '23502':
      return 'not_null';
    case 'SQLITE_CONSTRAINT_CHECK':
    case '23514':
      return 'check';
    default:
      return null;
  }
}

/** The constraint or index a pg error names (SQLite only puts it in the message), for telling two uniques apart. */
export function constraintDetail(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const e = error as { constraint?: unknown; message?: unknown; detail?: unknown };
  return [e.constraint, e.message, e.detail].filter((v): v is string => typeof v === 'string').join(' ');
}
