/**
 * The error-code catalog. Every code the API can answer with is listed here once, with its HTTP status and a
 * message; docs/errors.md documents each (a test fails when the two disagree). Retired codes are never reused.
 */
export const ERROR_CATALOG = {
  OUTDIAL_ERR_VALIDATION: { status: 400, message: 'The request is not valid: %s' },
  OUTDIAL_ERR_AUTH_REQUIRED: { status: 401, message: 'Sign in first.' },
  OUTDIAL_ERR_AUTH_INVALID: { status: 401, message: 'Wrong username or password.' },
  OUTDIAL_ERR_AUTH_RATE_LIMITED: { status: 429, message: 'Too many sign-in attempts; wait a minute and try again.' },
  OUTDIAL_ERR_CSRF: { status: 403, message: 'Missing or wrong x-csrf-token header.' },
  OUTDIAL_ERR_FORBIDDEN: { status: 403, message: 'Your role may not do this: %s' },
  OUTDIAL_ERR_NOT_FOUND: { status: 404, message: '%s not found.' },
  OUTDIAL_ERR_CONFLICT: { status: 409, message: '%s' },
  OUTDIAL_ERR_AGENT_STATE: { status: 409, message: 'Not possible in the agent state %s.' },
  OUTDIAL_ERR_CAMPAIGN_INVALID: { status: 422, message: 'The campaign settings are not valid: %s' },
  OUTDIAL_ERR_COMPLIANCE_REFUSED: { status: 422, message: 'The compliance check refused the call: %s' },
  OUTDIAL_ERR_IMPORT_INVALID: { status: 422, message: 'The import file is not valid: %s' },
  OUTDIAL_ERR_INTERNAL: { status: 500, message: 'Something went wrong on the server; the log has details.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** A domain error at the HTTP edge: turned into `{ error: { code, message, details? } }` with the catalog status. */
export class OutdialError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, detail?: string, details?: unknown) {
    const entry = ERROR_CATALOG[code];
    super(entry.message.replace('%s', detail ?? ''));
    this.code = code;
    this.status = entry.status;
    this.details = details;
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}
