import { openStore, migrate } from '@outdial/store/database';
import { dataDirFor, nationalRegistryPath } from '@outdial/contacts/dnc/data-dir';
import { DncLists, isoDay } from '@outdial/contacts/dnc/dnc-lists';
import { RegistryFormatError } from '@outdial/contacts/dnc/registry-file-parser';
import type { CliCommand } from '../command.ts';
import { parseFlags, storeUrl, UsageError, writeJson } from '../command.ts';

const KINDS = ['national', 'state', 'internal', 'tps'] as const;
type Kind = (typeof KINDS)[number];

const command: CliCommand = {
  summary: 'load do-not-call data',
  help: `outdial dnc load --kind national|state|internal|tps [--region XX] [--synced-at DATE] FILE... [--json] [--db URL]

Loads do-not-call data.
  --kind national   the FTC registry's per-area-code files: one 10-digit number per line (NPANXXXXXX,
                    NPA,NXXXXXX or NPA-NXX-XXXX). A full file replaces every area code it holds; a change file
                    (lines with an add/delete indicator: A,2122010123,2026-11-20) adds and removes numbers.
                    Kept in memory as a bitset per area code and saved as <data dir>/dnc-national.bin.
  --kind state      a state list (needs --region, e.g. TX); replaces the previous list of that state
  --kind internal   numbers added to the internal (company-specific) list; never replaced
  --kind tps        the UK TPS/CTPS register (UK numbers); replaces the previous one
  --synced-at DATE  the date of the data (YYYY-MM-DD), default today; kept per area code / list
  --json            print a summary as JSON
  --db URL          sqlite:PATH (default sqlite:./data/outdial.db) or postgres://...; OUTDIAL_DB does the same
The data directory is OUTDIAL_DATA_DIR, else the SQLite file's directory, else ./data.
A line that is not a number stops the load with the file and line named (exit 2); nothing is changed then.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      kind: { type: 'string' }, region: { type: 'string' }, 'synced-at': { type: 'string' }, json: { type: 'boolean' }, db: { type: 'string' },
      by: { type: 'string' },
    });
    const kind = values['kind'];
    if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind: expected one of ${KINDS.join(', ')}`);
    const region = typeof values['region'] === 'string' ? values['region'].toUpperCase() : null;
    if (kind === 'state' && (region === null || !/^[A-Z]{2}$/.test(region))) throw new UsageError('--region: a state list needs a two-letter state code, e.g. --region TX');
    const syncedFlag = values['synced-at'];
    if (syncedFlag !== undefined && (typeof syncedFlag !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(syncedFlag) || Number.isNaN(Date.parse(syncedFlag)))) {
      throw new UsageError(`--synced-at: expected a date YYYY-MM-DD, got "${String(syncedFlag)}"`);
    }
    if (positionals.length === 0) throw new UsageError('no FILE given');
    const { existsSync } = await import('node:fs');
    for (const file of positionals) if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
    const url = storeUrl(values['db'], io.env);
    const store = await openStore(url);
    try {
      await migrate(store.db);
      const now = Date.now();
      const syncedAt = typeof syncedFlag === 'string' ? syncedFlag : isoDay(now);
      const lists = DncLists.open(store.db, nationalRegistryPath(dataDirFor(url, io.env)));
      const by = typeof values['by'] === 'string' ? values['by'] : (io.env['USER'] ?? null);
      const summary = (kind as Kind) === 'national'
        ? await lists.loadNational(positionals, syncedAt, now)
        : await lists.loadList(kind as Exclude<Kind, 'national'>, region, positionals, syncedAt, by, now);
      if (values['json']) writeJson(io, summary);
      else io.stderr.write(`loaded ${summary.files.reduce((n, f) => n + f.added, 0)} additions, ${summary.files.reduce((n, f) => n + f.removed, 0)} removals; ${kind} list now holds ${summary.numbers} numbers${kind === 'national' ? ` in ${summary.areaCodes} area codes touched` : ''} (synced ${syncedAt})\n`);
      return 0;
    } catch (error) {
      if (error instanceof RegistryFormatError) throw new UsageError(error.message);
      throw error;
    } finally {
      await store.close();
    }
  },
};
export default command;
