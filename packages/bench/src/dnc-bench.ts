/**
 * npm run bench:dnc [-- --numbers 250000000 --area-codes 300]
 * Generates a synthetic national registry in the FTC layout (once, into /tmp/outdial-bench), loads it with
 * `outdial dnc load --kind national` (wall time, peak RSS), then measures a restart (reading the binary form),
 * lookups per second, and scrubbing 1 M contacts' numbers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NationalRegistry } from '@outdial/contacts/dnc/national-registry';
import { PhoneNormaliser } from '@outdial/contacts/phone/phone-normaliser';
import { writeRegistryFiles } from '@outdial/contacts/generate/registry-generator';
import { seededRandom } from '@outdial/core/random/seeded-random';

const { values } = parseArgs({ options: {
  numbers: { type: 'string', default: '250000000' }, 'area-codes': { type: 'string', default: '300' }, dir: { type: 'string', default: '/tmp/outdial-bench' },
  'skip-load': { type: 'boolean' },
} });
const numbers = Number(values.numbers);
const areaCodes = Number(values['area-codes']);
const dir = values.dir;
const registryDir = join(dir, `registry-${numbers}`);
if (!existsSync(registryDir) || readdirSync(registryDir).length < areaCodes) {
  const t = performance.now();
  writeRegistryFiles(registryDir, numbers, areaCodes, 2026);
  console.log(`generated ${registryDir} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const files = readdirSync(registryDir).filter((f) => f.endsWith('.txt')).sort().map((f) => join(registryDir, f));
console.log(`registry: ${files.length} area-code files in ${registryDir}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

// 1. Load through the CLI, in its own process, for an honest peak RSS (--skip-load reuses the last binary file).
const dataDir = join(dir, 'dnc-data');
if (!values['skip-load']) loadThroughCli();
function loadThroughCli(): void {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const rssFile = join(dir, 'dnc.rss');
  const cli = join(import.meta.dirname, '../../../bin/outdial.mjs');
  const t0 = performance.now();
  const load = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, process.execPath, cli, 'dnc', 'load', '--kind', 'national', '--synced-at', '2026-11-20', '--json', '--db', `sqlite:${join(dataDir, 'dnc.db')}`, ...files], {
    env: { ...process.env, OUTDIAL_DATA_DIR: dataDir }, encoding: 'utf8', maxBuffer: 1 << 26,
  });
  const loadSeconds = (performance.now() - t0) / 1000;
  if (load.status !== 0) throw new Error(`dnc load failed: ${load.stderr.slice(-2000)}`);
  const summary = JSON.parse(load.stdout) as { numbers: number; areaCodes: number };
  const [rssKb = 0, user = 0, system = 0] = (readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
  console.log(`dnc load: ${summary.numbers} numbers in ${summary.areaCodes} area codes: ${loadSeconds.toFixed(1)} s wall, ${(user + system).toFixed(1)} s CPU (user+sys), peak RSS ${(rssKb / 1024).toFixed(0)} MB`);
}

// 2. Restart: read the binary form.
const t1 = performance.now();
const registry = NationalRegistry.load(join(dataDir, 'dnc-national.bin'));
console.log(`restart (read dnc-national.bin): ${((performance.now() - t1) / 1000).toFixed(2)} s, ${registry.size()} numbers`);

// 3. Lookups: random 10-digit numbers over the loaded area codes (about 10 % listed).
const codes = registry.areaCodes().map((a) => a.npa);
const random = seededRandom(7);
const probes = new Float64Array(10_000_000);
for (let i = 0; i < probes.length; i++) probes[i] = (codes[Math.floor(random.next() * codes.length)] as number) * 10_000_000 + 2_000_000 + Math.floor(random.next() * 8_000_000);
let hits = 0;
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const t2 = performance.now();
const c2 = cpu();
for (let i = 0; i < probes.length; i++) if (registry.hasNumber(probes[i] as number)) hits++;
const lookupSeconds = (performance.now() - t2) / 1000;
const lookupCpu = cpu() - c2;
console.log(`lookups: ${(probes.length / lookupSeconds / 1e6).toFixed(1)} M/s wall, ${(probes.length / lookupCpu / 1e6).toFixed(1)} M/s per CPU second (${probes.length} numbers, ${hits} listed)`);

// 4. Scrub 1 M contacts: E.164 strings checked against the registry, then the same numbers written messily
// (normalise + check).
const e164s: string[] = [];
const messy: string[] = [];
const spell = (ten: string, k: number): string => {
  const [a, b, c] = [ten.slice(0, 3), ten.slice(3, 6), ten.slice(6)];
  return [`(${a}) ${b}-${c}`, `${a}.${b}.${c}`, `+1 ${a} ${b}${c}`, `001${ten}`, `1-${a}-${b}-${c} x12`, ten][k % 6] as string;
};
for (let i = 0; i < 1_000_000; i++) {
  const ten = String(probes[i] as number);
  e164s.push(`+1${ten}`);
  messy.push(spell(ten, i));
}
const t3 = performance.now();
const c3 = cpu();
let flagged = 0;
for (const phone of e164s) if (registry.has(phone)) flagged++;
const scrubSeconds = (performance.now() - t3) / 1000;
const scrubCpu = cpu() - c3;
const normaliser = new PhoneNormaliser('US');
const t4 = performance.now();
const c4 = cpu();
let flaggedMessy = 0;
for (const text of messy) {
  const result = normaliser.normalise(text);
  if (result.ok && registry.has(result.e164)) flaggedMessy++;
}
const scrubMessySeconds = (performance.now() - t4) / 1000;
const scrubMessyCpu = cpu() - c4;
console.log(`scrub 1 M contacts (E.164): ${scrubSeconds.toFixed(3)} s wall, ${scrubCpu.toFixed(3)} s CPU, ${flagged} flagged; `
  + `from messy text (normalise + check): ${scrubMessySeconds.toFixed(2)} s wall, ${scrubMessyCpu.toFixed(2)} s CPU, ${flaggedMessy} flagged`);
