/**
 * npm run bench:import [-- --rows 1000000] [--skip-pg] [--store-only [--transaction-rows 5000]]
 * Imports a synthetic list of messy contacts (generated once into /tmp/outdial-bench) through `outdial import` into a
 * fresh SQLite file and, when reachable, a fresh PostgreSQL database; prints wall time, peak RSS and the ratio to
 * `sqlite3 :memory: .import` of the same file (the raw-load reference), and each thread's CPU: the main thread, the busiest
 * other one (the parse worker, for a large file) and the rest, with the wall time they allow on two idle cores. `--store-only` measures instead what the store
 * alone costs: `--rows` synthetic contacts of the import's shape (random phones and import keys) written through
 * ContactImportRepository in 5000-row transactions (`--transaction-rows`) into a fresh, migrated SQLite file, no CSV and no row building.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { writeContactsFile } from '@outdial/contacts/generate/contacts-generator';
import { migrate, openStore } from '@outdial/store/database';
import { ContactImportRepository, CONTACT_COLUMNS } from '@outdial/store/repositories/contact-import.repository';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { inTransaction } from '@outdial/store/transaction';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, 'skip-pg': { type: 'boolean' }, 'store-only': { type: 'boolean' }, 'transaction-rows': { type: 'string', default: '5000' }, dir: { type: 'string', default: '/tmp/outdial-bench' } } });
const rows = Number(values.rows);
const dir = values.dir;
mkdirSync(dir, { recursive: true });
if (values['store-only']) {
  await storeOnly(join(dir, `store-only-${process.pid}.db`), rows, Number(values['transaction-rows']));
  process.exit(0);
}
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

/** CPU seconds (user + system) of each thread of a process, by thread id; the main thread's id is the process id. */
function threadCpu(pid: number): Map<number, { name: string; seconds: number }> {
  const threads = new Map<number, { name: string; seconds: number }>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(Number(tid), { name, seconds: (Number(fields[11]) + Number(fields[12])) / clockTicks });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * Where the import's CPU went, thread by thread (sampled every 200 ms, so a thread's last 200 ms may be missed): the
 * main thread (store, de-duplication), the busiest other thread (the parse worker when there is one; Node 20 names
 * every thread "node") and the rest (V8's garbage collection and compiler threads, libuv). On two idle cores the wall
 * time is at least the largest of the main thread, the busiest other thread and half the total.
 */
function describeThreads(pid: number, seen: Map<number, { name: string; seconds: number }>, total: number): string {
  const main = seen.get(pid)?.seconds ?? 0;
  const others = [...seen].filter(([tid]) => tid !== pid).map(([, t]) => t.seconds).sort((a, b) => b - a);
  const busiest = others[0] ?? 0;
  const rest = others.slice(1).reduce((sum, t) => sum + t, 0);
  const floor = Math.max(main, busiest, total / 2);
  return `threads: main ${main.toFixed(1)} s, busiest other ${busiest.toFixed(1)} s, the ${others.length - 1} others ${rest.toFixed(1)} s of CPU; `
    + `on two idle cores ≥ ${floor.toFixed(1)} s wall`;
}

async function runImport(db: string, label: string): Promise<void> {
  const rssFile = join(dir, 'import.rss');
  const env = { ...process.env, OUTDIAL_DATA_DIR: join(dir, 'import-data') };
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, process.execPath, cli, 'import', file, '--list', 'bench', '--json', '--db', db], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
  // The node process is /usr/bin/time's child: sample its threads' CPU while it runs.
  const seen = new Map<number, { name: string; seconds: number }>();
  let importPid: number | undefined;
  const sampler = setInterval(() => {
    if (importPid === undefined && child.pid !== undefined) {
      try {
        importPid = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0]) || undefined;
      } catch {
        // Not started yet, or already gone.
      }
    }
    if (importPid !== undefined) for (const [tid, t] of threadCpu(importPid)) seen.set(tid, t);
  }, 200);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (status !== 0) {
    console.log(`${label}: failed (${status}): ${stderr.slice(-2000)}`);
    return;
  }
  const summary = JSON.parse(stdout) as { rows: number; imported: number; duplicates: number; rejected: number; seconds: number };
  const [rssKb = 0, user = 0, system = 0] = (readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
  console.log(`${label}: ${seconds.toFixed(2)} s wall (import ${summary.seconds} s), ${(user + system).toFixed(1)} s CPU (user ${user.toFixed(1)}, sys ${system.toFixed(1)}), peak RSS ${(rssKb / 1024).toFixed(0)} MB, `
    + `ratio to sqlite3 .import ${(seconds / reference.seconds).toFixed(2)}x; ${summary.imported} imported, ${summary.duplicates} duplicates, ${summary.rejected} rejected; `
    + `load average after ${loadAverage()}`);
  if (importPid !== undefined) console.log(`  ${describeThreads(importPid, seen, user + system)}`);
}

const sqlitePath = join(dir, `import-bench-${process.pid}.db`);
await runImport(`sqlite:${sqlitePath}`, 'outdial import → SQLite');
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
      await runImport(url.toString(), 'outdial import → PostgreSQL');
    } finally {
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    }
  }
}

/** The store's share: synthetic contacts through the import's repository, timed by this process's CPU. */
async function storeOnly(path: string, count: number, batchRows: number): Promise<void> {
  const store = await openStore(`sqlite:${path}`);
  await migrate(store.db);
  const list = await new ListsRepository(store.db).create({ name: 'bench', now: Date.now() });
  if (!list.ok) throw new Error(list.message);
  const listId = list.value.id;
  let state = 0x2545f491;
  const next = (): number => { state ^= state << 13; state ^= state >>> 17; state ^= state << 5; return state >>> 0; };
  const at = (column: (typeof CONTACT_COLUMNS)[number]): number => CONTACT_COLUMNS.indexOf(column);
  const now = Date.now();
  const prefix = `${now.toString(36)}bench`;
  // The import's settings: a 48 MB page cache and fewer WAL checkpoints while it runs.
  const restoreCache = await new ContactImportRepository(store.db).enlargeCache(48);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let start = 0; start < count; start += batchRows) {
    const size = Math.min(batchRows, count - start);
    await inTransaction(store.db, (trx) => new ContactImportRepository(trx).insertContactValues(size, (index, row) => {
      const n = start + index;
      const phone = `+1${2_000_000_000 + (next() % 7_999_999_999)}`;
      const h1 = next();
      const h2 = next();
      row.fill(null);
      row[at('id')] = `${prefix}${n.toString(36).padStart(8, '0')}`;
      row[at('list_id')] = listId;
      row[at('phone')] = phone;
      row[at('phones_json')] = `[{"phone":"${phone}","ext":null,"kind":"phone"}]`;
      row[at('first_name')] = 'Firstname';
      row[at('last_name')] = `Lastname-${h1 % 1000}`;
      row[at('address')] = `${h2 % 9999} Main Street`;
      row[at('city')] = 'Springfield';
      row[at('region')] = 'TX';
      row[at('postal_code')] = String(10_000 + (h1 % 89_999));
      row[at('country')] = 'US';
      row[at('timezones_json')] = '["America/Chicago"]';
      row[at('jurisdictions_json')] = '["US","US-TX"]';
      row[at('line_type')] = 'unknown';
      row[at('attributes_json')] = `{"homeOwner":true,"income":${h2 % 100_000},"lastPurchaseAt":"2025-03-01T00:00:00.000Z"}`;
      row[at('status')] = 'dialable';
      row[at('dnc_flag')] = 0;
      row[at('import_key')] = h1.toString(36).padStart(7, '0') + h2.toString(36).padStart(7, '0');
      row[at('source_row')] = n + 2;
      row[at('next_dial_at')] = now;
      row[at('created_at')] = now;
      row[at('updated_at')] = now;
    }));
  }
  const used = process.cpuUsage(cpu);
  console.log(`store only: ${count} synthetic contacts → SQLite in ${batchRows}-row transactions: ${((performance.now() - started) / 1000).toFixed(2)} s wall, `
    + `${((used.user + used.system) / 1e6).toFixed(2)} s CPU (user ${(used.user / 1e6).toFixed(2)}, sys ${(used.system / 1e6).toFixed(2)}); load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  await restoreCache();
  await store.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
