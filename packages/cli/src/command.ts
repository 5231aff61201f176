import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';

/** Standard streams, injected so commands are testable without a child process. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Readonly<Record<string, string | undefined>>;
}

export interface CliCommand {
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  /** Returns the exit status: 0 success, 1 the work failed, 2 the input or the arguments are wrong. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Wrong arguments or input: exit status 2, with a message naming the flag, line or field. */
export class UsageError extends Error {}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string; default?: string | boolean }>;

/** Parses flags strictly: an unknown flag or a missing value is a UsageError naming it. */
export function parseFlags<T extends FlagSpec>(argv: string[], spec: T): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: spec, allowPositionals: true, strict: true });
    return { values: values as Record<string, unknown>, positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** The store URL: `--db`, else OUTDIAL_DB, else the embedded SQLite file. */
export function storeUrl(flag: unknown, env: CliIo['env']): string {
  if (typeof flag === 'string' && flag !== '') return flag;
  return env['OUTDIAL_DB'] ?? 'sqlite:./data/outdial.db';
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value)}\n`);
}
