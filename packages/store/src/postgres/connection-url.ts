import { userInfo } from 'node:os';

/** A URL without a user (postgres://127.0.0.1:5432/test) means the OS user, as psql does; pg would need $USER. */
export function withDefaultUser(url: string): string {
  const parsed = new URL(url);
  if (parsed.username === '') parsed.username = process.env['PGUSER'] ?? process.env['USER'] ?? userInfo().username;
  return parsed.toString();
}
