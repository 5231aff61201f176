import { existsSync } from 'node:fs';
import { parseUri } from '@outdial/driver-sip/sip/message';
import { placeTestCall } from '@outdial/driver-sip/test-call';
import type { CliCommand } from '../command.ts';
import { UsageError, parseFlags, writeJson } from '../command.ts';

const command: CliCommand = {
  summary: 'place one real test call through a SIP trunk',
  help: `outdial call test --trunk SIP-URI --to PHONE [--from CALLER-ID] [--amd] [--play FILE.wav] [--json]

Places one real call through the SIP driver and reports what happened: the operator's first test of a new trunk.
This is a diagnostic tool for your own test numbers. It dials --to exactly as given (E.164, plain digits or a
sip: URI; no plausibility checks) and it applies NO compliance checks (calling windows, do-not-call, caller-ID
rules): never use it to call anyone who has not agreed to a test call.

  --trunk SIP-URI      the trunk, e.g. sip:trunk.example.net:5060 or sip:10.0.0.5;transport=tcp
  --to PHONE           the number (or sip: URI) to call
  --from CALLER-ID     caller ID for From and P-Asserted-Identity (default: outdial)
  --amd                run answering-machine detection after the answer and report its verdict
  --play FILE.wav      play this WAV after the answer (after the verdict with --amd), then hang up
  --user NAME          digest user for 401/407 challenges (or OUTDIAL_SIP_USER)
  --password SECRET    digest password (or OUTDIAL_SIP_PASSWORD)
  --local HOST[:PORT]  our SIP address (default: the address toward the trunk, a free port)
  --ring-timeout S     seconds to let it ring before cancelling (default 30)
  --json               print {"outcome", "sipCode", "q850", "setupMs", "answerMs", "amd"} on standard output

Outcomes: human, machine, busy, no_answer, rejected, invalid, congestion, failed. An answered call without --amd
is reported as human. Exit status: 0 when the call produced an outcome, 1 when it failed (outcome "failed"),
2 for wrong arguments.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      trunk: { type: 'string' },
      to: { type: 'string' },
      from: { type: 'string' },
      amd: { type: 'boolean' },
      play: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      local: { type: 'string' },
      'ring-timeout': { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const trunk = typeof values['trunk'] === 'string' ? values['trunk'] : '';
    if (!parseUri(trunk)) throw new UsageError(`--trunk: expected a SIP URI such as sip:trunk.example.net:5060, got "${trunk}"`);
    const to = typeof values['to'] === 'string' ? values['to'].trim() : '';
    if (!/^\+?[0-9*#]{1,32}$/.test(to) && !parseUri(to)) throw new UsageError(`--to: expected a phone number (digits, optional +) or a sip: URI, got "${to}"`);
    const from = typeof values['from'] === 'string' ? values['from'] : 'outdial';
    if (!/^[+A-Za-z0-9._-]{1,64}$/.test(from)) throw new UsageError(`--from: expected a caller ID (digits, optional +), got "${from}"`);
    const play = typeof values['play'] === 'string' ? values['play'] : undefined;
    if (play !== undefined && !existsSync(play)) throw new UsageError(`--play: no such file "${play}"`);
    const ringS = values['ring-timeout'] === undefined ? 30 : Number(values['ring-timeout']);
    if (!Number.isFinite(ringS) || ringS <= 0 || ringS > 300) throw new UsageError(`--ring-timeout: expected seconds between 1 and 300, got "${String(values['ring-timeout'])}"`);
    let localHost: string | undefined;
    let localPort: number | undefined;
    if (typeof values['local'] === 'string') {
      const m = /^([^:]+)(?::(\d{1,5}))?$/.exec(values['local']);
      if (!m?.[1]) throw new UsageError(`--local: expected HOST or HOST:PORT, got "${values['local']}"`);
      localHost = m[1];
      localPort = m[2] ? Number(m[2]) : undefined;
    }
    const user = typeof values['user'] === 'string' ? values['user'] : io.env['OUTDIAL_SIP_USER'];
    const password = typeof values['password'] === 'string' ? values['password'] : io.env['OUTDIAL_SIP_PASSWORD'];
    const result = await placeTestCall({
      trunk,
      to,
      from,
      amd: values['amd'] === true,
      ...(play !== undefined ? { playFile: play } : {}),
      ...(user ? { username: user, password: password ?? '' } : {}),
      ...(localHost !== undefined ? { localHost } : {}),
      ...(localPort !== undefined ? { localPort } : {}),
      ringTimeoutMs: ringS * 1000,
      maxCallMs: ringS * 1000 + 60_000,
      log: (line) => io.stderr.write(`${line}\n`),
    });
    if (values['json']) writeJson(io, result);
    else {
      io.stdout.write(`outcome: ${result.outcome}\nSIP code: ${result.sipCode ?? '-'}   Q.850: ${result.q850 ?? '-'}\n`);
      io.stdout.write(`setup: ${result.setupMs ?? '-'} ms   answer: ${result.answerMs ?? '-'} ms\n`);
      if (result.amd) io.stdout.write(`AMD: ${result.amd.verdict} after ${result.amd.ms} ms\n`);
    }
    return result.outcome === 'failed' ? 1 : 0;
  },
};
export default command;
