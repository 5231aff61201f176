import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess } from './peers.ts';
import type { Peer } from './peers.ts';

const TEMPLATE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'kamailio', 'carrier-edge.cfg');

export interface KamailioOptions {
  listen: string;
  target: string;
  realm: string;
  user: string;
  password: string;
  dir: string;
  timeoutMs: number;
}

/** kamailio's module directory: KAMAILIO_MODULES, else the multiarch one under /usr/lib. */
function modulesDir(): string {
  const fromEnv = process.env['KAMAILIO_MODULES'];
  if (fromEnv) return fromEnv;
  for (const arch of readdirSync('/usr/lib')) {
    const dir = path.join('/usr/lib', arch, 'kamailio', 'modules');
    if (existsSync(path.join(dir, 'tm.so'))) return `${dir}/`;
  }
  return '/usr/lib/x86_64-linux-gnu/kamailio/modules/';
}

/** Starts kamailio in the foreground on its own loopback address as the digest-challenging carrier edge. */
export async function startKamailio(o: KamailioOptions): Promise<Peer> {
  const cfg = readFileSync(TEMPLATE, 'utf8')
    .replaceAll('__LISTEN__', o.listen)
    .replaceAll('__TARGET__', o.target)
    .replaceAll('__REALM__', o.realm)
    .replaceAll('__USER__', o.user)
    .replaceAll('__PASSWORD__', o.password)
    .replaceAll('__MPATH__', modulesDir());
  const run = path.join(o.dir, `kamailio-${o.listen}`);
  mkdirSync(run, { recursive: true });
  const file = path.join(run, 'kamailio.cfg');
  writeFileSync(file, cfg);
  // `timeout` bounds kamailio even if this test process dies; its SIGTERM makes kamailio end its own workers.
  const seconds = String(Math.ceil(o.timeoutMs / 1000));
  return startProcess('timeout', ['-k', '5', seconds, 'kamailio', '-f', file, '-DD', '-E', '-Y', run, '-P', path.join(run, 'kamailio.pid'), '-w', run, '-m', '32', '-M', '4'], run, o.listen, 5060, o.timeoutMs);
}
