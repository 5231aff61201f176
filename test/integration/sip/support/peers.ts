import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DriverEvent, TelephonyDriver } from '@outdial/core/telephony/driver';

export const SCENARIOS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');

export function hasTool(name: string): boolean {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Every SIP peer gets its own loopback address (reference telephony.md §3.1). The third octet comes from the
 * process id so two test runs on one machine do not collide.
 */
const subnet = `127.77.${(process.pid % 200) + 20}`;
export function loopback(host: number): string {
  return `${subnet}.${host}`;
}

/** Resolves once something holds the UDP port (we can no longer bind it). */
async function waitForUdpPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const taken = await new Promise<boolean>((resolve) => {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(true));
      s.bind(port, host, () => s.close(() => resolve(false)));
    });
    if (taken) return;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
}

export interface Peer {
  host: string;
  port: number;
  process: ChildProcess;
  /** Exit status once the process ends (SIPp: 0 = every call succeeded). */
  exited: Promise<number | null>;
  output(): string;
  stop(): void;
}

export interface SippOptions {
  scenario: string;
  host: string;
  port?: number;
  /** Directory with the audio files the scenario names (rtp_stream); also SIPp's working directory. */
  cwd: string;
  calls?: number;
  timeoutS?: number;
  extraArgs?: string[];
}

/**
 * Starts SIPp as a UAS on its own address, bounded by -m and -timeout, and waits until it listens. SIPp that dies
 * while starting (seen once in CI: exit 254 before binding) is started again, on another media port, up to 3 times.
 */
export async function startSipp(o: SippOptions): Promise<Peer> {
  const port = o.port ?? 5060;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const args = [
      '-sf', path.join(SCENARIOS, `${o.scenario}.xml`),
      '-i', o.host, '-p', String(port), '-mi', o.host, '-mp', String(6000 + attempt * 10),
      '-m', String(o.calls ?? 1), '-timeout', `${o.timeoutS ?? 30}s`, '-timeout_error',
      '-nostdin', '-trace_err', '-error_file', path.join(o.cwd, `${o.scenario}-${o.host}-errors.log`),
      ...(process.env['OUTDIAL_SIP_TRACE'] === '1' ? ['-trace_msg', '-message_file', path.join(o.cwd, `${o.scenario}-${o.host}-messages.log`)] : []),
      ...(o.extraArgs ?? []),
    ];
    try {
      return await startProcess('sipp', args, o.cwd, o.host, port, (o.timeoutS ?? 30) * 1000 + 5000);
    } catch (error) {
      lastError = error;
      if (!(error instanceof Error) || !error.message.includes('exited early')) throw error;
    }
  }
  throw lastError;
}

export async function startProcess(cmd: string, args: string[], cwd: string, host: string, port: number, killAfterMs: number): Promise<Peer> {
  // A process group of its own, so that stopping it also ends the workers it forks (kamailio's children).
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killGroup = (): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  });
  child.stderr?.on('data', (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  });
  const killer = setTimeout(killGroup, killAfterMs);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve(code);
    });
  });
  try {
    await Promise.race([waitForUdpPort(host, port, 5000), exited.then((code) => { throw new Error(`${cmd} exited early (${code}): ${out}`); })]);
  } catch (error) {
    killGroup();
    throw error;
  }
  return {
    host,
    port,
    process: child,
    exited,
    output: () => out,
    stop: killGroup,
  };
}

/** Collects a driver's events and waits for the ones a test expects. */
export class EventLog {
  readonly events: DriverEvent[] = [];
  private waiters: Array<{ match: (e: DriverEvent) => boolean; resolve: (e: DriverEvent) => void }> = [];

  constructor(driver: TelephonyDriver) {
    driver.onEvent((e) => {
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(e)) return true;
        w.resolve(e);
        return false;
      });
    });
  }

  of(callId: string): DriverEvent[] {
    return this.events.filter((e) => 'callId' in e && e.callId === callId);
  }

  /** The first event (past or future) matching, or a rejection after `timeoutMs`. */
  waitFor<T extends DriverEvent>(match: (e: DriverEvent) => e is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (e: DriverEvent) => boolean, timeoutMs?: number): Promise<DriverEvent>;
  waitFor(match: (e: DriverEvent) => boolean, timeoutMs = 20_000): Promise<DriverEvent> {
    const past = this.events.find(match);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms; events: ${JSON.stringify(this.events)}`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  ended(callId: string, timeoutMs?: number): Promise<Extract<DriverEvent, { type: 'ended' }>> {
    return this.waitFor((e): e is Extract<DriverEvent, { type: 'ended' }> => e.type === 'ended' && e.callId === callId, timeoutMs);
  }
}
