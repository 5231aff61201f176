import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

export interface RunningServer {
  url: string;
  port: number;
  dbPath: string;
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts the real server as a child process (`outdial start --demo`) on a free loopback port with a fresh SQLite
 * database, and resolves once it says it is listening. The web app must be built (npm run build:web).
 */
/** The simulated carrier of the fast scenario: calls are answered within a second and last about 1.5 s. */
export const FAST_SCENARIO = join(REPO_ROOT, 'test', 'fixtures', 'fast-scenario.json');

export async function startDemoServer(options: { timeoutMs?: number; fast?: boolean } = {}): Promise<RunningServer> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  if (!existsSync(join(REPO_ROOT, 'packages', 'web', 'dist', 'index.html'))) {
    throw new Error('packages/web/dist is missing: run `npm run build:web` first (npm run test:e2e does)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'outdial-e2e-'));
  const dbPath = join(dir, 'outdial.db');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['bin/outdial.mjs', 'start', '--demo', '--port', String(port), '--db', `sqlite:${dbPath}`, ...(options.fast ? ['--sim-scenario', FAST_SCENARIO] : [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, OUTDIAL_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { log += chunk.toString(); });

  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const check = setInterval(() => {
      if (/running on/i.test(log)) {
        clearTimeout(timer);
        clearInterval(check);
        resolveReady();
      }
    }, 100);
    child.once('exit', (code) => {
      clearTimeout(timer);
      clearInterval(check);
      reject(new Error(`the server exited with ${code}:\n${log}`));
    });
  });

  return {
    url,
    port,
    dbPath,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
