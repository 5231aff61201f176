/**
 * Expected outcomes of a store call (a duplicate name, an unknown id) are values, not exceptions: the server maps
 * each `error` code to its own error catalog at the HTTP edge. Unexpected failures still throw.
 */
export type StoreResult<T, E extends string> =
  | { ok: true; value: T }
  | { ok: false; error: E; message: string };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<E extends string>(error: E, message: string): { ok: false; error: E; message: string } {
  return { ok: false, error, message };
}
