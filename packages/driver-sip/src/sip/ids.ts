import { randomBytes } from 'node:crypto';

/** RFC 3261 magic cookie plus randomness: unique per transaction (§8.1.1.7). */
export function newBranch(): string {
  return `z9hG4bK${randomBytes(8).toString('hex')}`;
}

export function newTag(): string {
  return randomBytes(6).toString('hex');
}

export function newCallId(host: string): string {
  return `${randomBytes(10).toString('hex')}@${host}`;
}
