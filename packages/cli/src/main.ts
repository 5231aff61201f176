import type { CliCommand, CliIo } from './command.ts';
import { UsageError } from './command.ts';

/**
 * Command words → module. Modules load lazily so `outdial compliance check` does not pay for the server.
 * Each module's default export is a CliCommand.
 */
const COMMANDS: Record<string, { file: string; summary: string }> = {
  start: { file: './commands/start.ts', summary: 'run the server: API, web app and dialer' },
  migrate: { file: './commands/migrate.ts', summary: "bring the store's schema up to date" },
  import: { file: './commands/import.ts', summary: 'load a CSV of contacts into a list' },
  'dnc load': { file: './commands/dnc-load.ts', summary: 'load do-not-call data' },
  'dnc check': { file: './commands/dnc-check.ts', summary: 'which do-not-call lists hold each number' },
  'compliance check': { file: './commands/compliance-check.ts', summary: 'decide compliance requests (JSON Lines)' },
  'bench pacing': { file: './commands/bench-pacing.ts', summary: 'the pacing benchmark' },
  'call test': { file: './commands/call-test.ts', summary: 'place one real test call through a SIP trunk' },
  'report abandonment': { file: './commands/report-abandonment.ts', summary: "a campaign's abandonment per window" },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  outdial ${name.padEnd(20)} ${c.summary}`);
  return `Usage: outdial <command> [flags]   (outdial <command> --help for details)\n\nCommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[], io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const two = argv.slice(0, 2).join(' ');
  const name = COMMANDS[two] ? two : argv[0] ?? '';
  const entry = COMMANDS[name];
  if (!entry) {
    if (name === '' || name === '--help' || name === 'help') {
      io.stdout.write(usage());
      return name === '' ? 2 : 0;
    }
    io.stderr.write(`outdial: unknown command "${argv.slice(0, 2).join(' ')}"\n\n${usage()}`);
    return 2;
  }
  const rest = argv.slice(name.split(' ').length);
  try {
    const mod = (await import(entry.file)) as { default: CliCommand };
    const command = mod.default;
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${command.help.trimEnd()}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`outdial ${name}: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`outdial ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
