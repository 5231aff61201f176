/**
 * npm run bench:import [-- --rows 1000000] [--skip-pg]
 * Imports a synthetic list of messy contacts (generated once into /tmp/outdial-bench) through `outdial import` into a
 * fresh SQLite file and, when reachable, a fresh PostgreSQL database; prints wall time, peak RSS and the ratio to
 * `sqlite3 :memory: .import` of the same file (the raw-load reference).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { writeContactsFile } from '@outdial/contacts/generate/contacts-generator';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, 'skip-pg': { type: 'boolean' }, dir: { type: 'string', default: '/tmp/outdial-bench' } } });
const rows = Number(values.rows);
const dir = values.dir;
mkdirSync(dir, { recursive: true });
const file = join(dir, `contacts-${rows}.csv`);
if (!existsSync(file)) {
  const t = performance.now();
  await writeContactsFile(file, { rows, seed: 2026 });
  console.log(`generated ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
console.log(`file: ${file} (${rows} rows, ${(statSync(file).size / 1e6).toFixed(1)} MB); commit ${commit}; load average ${loadAverage()}`);

function timed<T>(work: () => T): { seconds: number; value: T } {
  const t = performance.now();
  const value = work();
  return { seconds: (performance.now() - t) / 1000, value };
}

// Raw-load reference: the sqlite3 shell's CSV import into an in-memory table.
const referenceTimes = join(dir, 'sqlite3.time');
const reference = timed(() => execFileSync('/usr/bin/time', ['-f', '%U %S', '-o', referenceTimes, 'sqlite3', ':memory:', '-cmd', '.mode csv', `.import ${file} t`, 'select count(*) from t;'], { encoding: 'utf8' }));
const [refUser = 0, refSystem = 0] = readFileSync(referenceTimes, 'utf8').trim().split(' ').map(Number);
console.log(`sqlite3 :memory: .import: ${reference.seconds.toFixed(2)} s wall, ${(refUser + refSystem).toFixed(2)} s CPU (${reference.value.trim()} rows)`);

const cli = join(import.meta.dirname, '../../../bin/outdial.mjs');
function runImport(db: string, label: string): void {
  const rssFile = join(dir, 'import.rss');
  const env = { ...process.env, OUTDIAL_DATA_DIR: join(dir, 'import-data') };
  const run = timed(() => spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, process.execPath, cli, 'import', file, '--list', 'bench', '--json', '--db', db], { env, encoding: 'utf8', maxBuffer: 1 << 24 }));
  if (run.value.status !== 0) {
    console.log(`${label}: failed (${run.value.status}): ${run.value.stderr.slice(-2000)}`);
    return;
  }
  const summary = JSON.parse(run.value.stdout) as { rows: number; imported: number; duplicates: number; rejected: number; seconds: number };
  const [rssKb = 0, user = 0, system = 0] = (readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
  console.log(`${label}: ${run.seconds.toFixed(2)} s wall (import ${summary.seconds} s), ${(user + system).toFixed(1)} s CPU (user+sys), peak RSS ${(rssKb / 1024).toFixed(0)} MB, `
    + `ratio to sqlite3 .import ${(run.seconds / reference.seconds).toFixed(2)}x; ${summary.imported} imported, ${summary.duplicates} duplicates, ${summary.rejected} rejected; `
    + `load average after ${loadAverage()}`);
}

const sqlitePath = join(dir, `import-bench-${process.pid}.db`);
runImport(`sqlite:${sqlitePath}`, 'outdial import → SQLite');
for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqlitePath}${suffix}`, { force: true });

if (!values['skip-pg']) {
  const admin = process.env['OUTDIAL_TEST_PG'] ?? 'postgres://127.0.0.1:5432/test';
  const name = `outdial_bench_${process.pid}`;
  const adminUrl = new URL(admin);
  if (adminUrl.username === '') adminUrl.username = process.env['PGUSER'] ?? process.env['USER'] ?? userInfo().username;
  const client = new pg.Client({ connectionString: adminUrl.toString(), connectionTimeoutMillis: 1500 });
  let reachable = true;
  try {
    await client.connect();
    await client.query(`create database ${name}`);
  } catch (error) {
    reachable = false;
    console.log(`PostgreSQL not reachable at ${admin}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (reachable) {
    const url = new URL(adminUrl.toString());
    url.pathname = `/${name}`;
    try {
      runImport(url.toString(), 'outdial import → PostgreSQL');
    } finally {
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    }
  }
}
