import { parseInstant } from './engine/instant.ts';
import type { ComplianceRequest } from './types.ts';

/** Why an input line or body cannot be decided at all (the contract's line error). */
export interface RequestShapeError {
  id: unknown;
  error: { code: 'invalid_json' | 'not_an_object' | 'missing_field' | 'invalid_field'; message: string };
}

/**
 * Checks the fields the contract requires (`id`, `at`, `phone`) before deciding. Everything else has a conservative
 * default, and an unreadable phone is a decision (`invalid_number`), not a shape error.
 */
export function checkRequestShape(value: unknown): { ok: true; request: ComplianceRequest } | ({ ok: false } & RequestShapeError) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, id: null, error: { code: 'not_an_object', message: 'a request is a JSON object' } };
  }
  const record = value as Record<string, unknown>;
  const id = record['id'] ?? null;
  for (const field of ['id', 'at', 'phone'] as const) {
    if (record[field] === undefined || record[field] === null || record[field] === '') {
      return { ok: false, id, error: { code: 'missing_field', message: `"${field}" is required` } };
    }
  }
  if (typeof record['id'] !== 'string' && typeof record['id'] !== 'number') {
    return { ok: false, id, error: { code: 'invalid_field', message: '"id" must be a string' } };
  }
  if (parseInstant(record['at'], true) === null) {
    return { ok: false, id, error: { code: 'invalid_field', message: `"at" must be an ISO 8601 date-time with an offset or Z, got ${JSON.stringify(record['at'])}` } };
  }
  if (typeof record['phone'] !== 'string') {
    return { ok: false, id, error: { code: 'invalid_field', message: '"phone" must be a string' } };
  }
  return { ok: true, request: { ...(record as unknown as ComplianceRequest), id: String(record['id']) } };
}
