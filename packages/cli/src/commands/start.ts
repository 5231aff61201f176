import { readFileSync } from 'node:fs';
import { ConfigError } from '@outdial/server/config';
import { startServer } from '@outdial/server/server';
import { DEMO_PASSWORD, DEMO_USERS } from '@outdial/server/demo/demo-seed';
import type { CliCommand } from '../command.ts';
import { UsageError, parseFlags, storeUrl } from '../command.ts';

function sipFlags(values: Record<string, unknown>): Record<string, unknown> {
  const sip: Record<string, unknown> = {};
  const text = (flag: string): string | undefined => (typeof values[flag] === 'string' ? (values[flag] as string) : undefined);
  if (text('sip-trunk') !== undefined) sip['trunk'] = text('sip-trunk');
  if (text('sip-user') !== undefined) sip['username'] = text('sip-user');
  if (text('sip-password') !== undefined) sip['password'] = text('sip-password');
  if (text('sip-agent-uri') !== undefined) sip['agentUri'] = text('sip-agent-uri');
  const phones = text('sip-agent-phones');
  if (phones !== undefined) {
    // A file, not a flag value: the passwords stay out of the process list.
    try {
      sip['agentExtensions'] = JSON.parse(readFileSync(phones, 'utf8')) as unknown;
    } catch (error) {
      throw new UsageError(`--sip-agent-phones: ${phones} is not a readable JSON file of {"extension": "password"}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (text('sip-call-in') !== undefined) sip['agentCallInNumber'] = text('sip-call-in');
  if (values['record-calls'] === true) sip['recordCalls'] = true;
  const listen = text('sip-listen');
  if (listen !== undefined) {
    const m = /^(.+):(\d+)$/.exec(listen);
    if (!m) throw new UsageError(`--sip-listen: expected HOST:PORT, got "${listen}"`);
    sip['host'] = m[1];
    sip['port'] = Number(m[2]);
  }
  const ports = text('media-ports');
  if (ports !== undefined) {
    const m = /^(\d+)-(\d+)$/.exec(ports);
    if (!m) throw new UsageError(`--media-ports: expected MIN-MAX, got "${ports}"`);
    sip['mediaPortMin'] = Number(m[1]);
    sip['mediaPortMax'] = Number(m[2]);
  }
  return sip;
}

const command: CliCommand = {
  summary: 'run the server: API, web app and dialer',
  help: `outdial start [--port 8080] [--host 0.0.0.0] [--telephony sim|sip] [--demo] [--db URL] [--node ID]

Runs Outdial: the HTTP API (OpenAPI at /api/docs), the web app, the event stream and the dialer.
  --port N          HTTP port (default 8080)
  --host ADDR       address to listen on (default 0.0.0.0)
  --telephony NAME  sim (the simulated carrier, default) or sip
  --demo            seed demo data (a campaign, a list, users admin, supervisor, agent1..agent3 with password
                    "demo" — demo only, never in a real deployment) and run simulated agents agent2, agent3
  --db URL          sqlite:PATH (default sqlite:./data/outdial.db) or postgres://...; OUTDIAL_DB does the same
  --node ID         this dialer node's name; nodes sharing one PostgreSQL need distinct names (default: the host name)
  --sim-scenario F  a scenario file (the pacing benchmark's format) for the simulated carrier: your own answer
                    rates, ring, talk and wrap times; default the demo's human-paced scenario
  --log-level L     fatal, error, warn (default), info, debug or silent
SIP (with --telephony sip):
  --sip-trunk URI   the trunk: sip:HOST[:PORT][;transport=tcp] (required)
  --sip-listen H:P  our SIP address (default 127.0.0.1:5060)
  --sip-user U --sip-password P   digest credentials for the trunk (otherwise IP authentication)
  --sip-agent-uri T each agent's phone, called when they go Ready; {username} is replaced
                    (default sip:{username}@127.0.0.1:5070); agent:{username} = the phone registers with
                    Outdial or calls in, with the extension's password from --sip-agent-phones
  --sip-agent-phones F  a JSON file {"username": "phone password", ...}: phones that may register or call in
  --sip-call-in N   the number agents' phones dial to reach Outdial (default: any)
  --record-calls    record every answered call (stereo WAV, stored with its attempt)
  --media-ports A-B RTP port range (default 20000-29999)
Stops cleanly on SIGINT or SIGTERM.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      port: { type: 'string' }, host: { type: 'string' }, telephony: { type: 'string' }, demo: { type: 'boolean' },
      db: { type: 'string' }, node: { type: 'string' }, 'log-level': { type: 'string' }, 'sim-scenario': { type: 'string' },
      'sip-trunk': { type: 'string' }, 'sip-listen': { type: 'string' }, 'sip-user': { type: 'string' }, 'sip-password': { type: 'string' },
      'sip-agent-uri': { type: 'string' }, 'media-ports': { type: 'string' },
      'sip-agent-phones': { type: 'string' }, 'sip-call-in': { type: 'string' }, 'record-calls': { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const input: Record<string, unknown> = { db: storeUrl(values['db'], io.env), demo: values['demo'] === true };
    if (values['port'] !== undefined) {
      const port = Number(values['port']);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected a port number 0-65535, got "${String(values['port'])}"`);
      input['port'] = port;
    }
    if (values['host'] !== undefined) input['host'] = values['host'];
    if (values['telephony'] !== undefined) {
      if (values['telephony'] !== 'sim' && values['telephony'] !== 'sip') throw new UsageError(`--telephony: expected sim or sip, got "${String(values['telephony'])}"`);
      input['telephony'] = values['telephony'];
    }
    if (values['node'] !== undefined) input['nodeId'] = values['node'];
    if (values['sim-scenario'] !== undefined) input['simScenario'] = values['sim-scenario'];
    input['sip'] = sipFlags(values);
    if (values['log-level'] !== undefined) input['logLevel'] = values['log-level'];
    else input['logLevel'] = 'warn';

    const log = {
      info: (msg: string) => io.stderr.write(`${msg}\n`),
      error: (msg: string, error?: unknown) => io.stderr.write(`error: ${msg}${error ? ` ${error instanceof Error ? error.message : JSON.stringify(error)}` : ''}\n`),
    };
    let server;
    try {
      server = await startServer(input, log);
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw error;
    }
    io.stderr.write(`Outdial is running on ${server.url} (store ${server.config.db.replace(/\/\/[^@]*@/, '//***@')}, telephony ${server.config.telephony})\n`);
    if (server.config.demo) {
      io.stderr.write(`Demo sign-ins (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => `${u.username} (${u.role})`).join(', ')}\n`);
      io.stderr.write('agent2 and agent3 are simulated; sign in as agent1 to take calls, as supervisor to watch the floor.\n');
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    io.stderr.write('stopping...\n');
    await server.close();
    return 0;
  },
};
export default command;
