import { existsSync } from 'node:fs';
import { openStore, migrate } from '@outdial/store/database';
import { dataDirFor, nationalRegistryPath } from '@outdial/contacts/dnc/data-dir';
import { DncLists } from '@outdial/contacts/dnc/dnc-lists';
import { importContacts, ImportInputError } from '@outdial/contacts/import/import-pipeline';
import type { ImportProgressEvent } from '@outdial/contacts/import/import-pipeline';
import type { CliCommand, CliIo } from '../command.ts';
import { parseFlags, storeUrl, UsageError, writeJson } from '../command.ts';

const command: CliCommand = {
  summary: 'load a CSV of contacts into a list',
  help: `outdial import FILE --list NAME [--campaign NAME] [--map CSVCOL=field ...] [--type NAME=TYPE ...]
               [--rejects FILE.csv] [--country CC] [--delimiter ,|;|tab] [--encoding utf-8|windows-1252] [--json] [--db URL]

Loads a CSV (or .csv.gz) of contacts into a list (created when missing), streaming it.
  --list NAME        the list
  --campaign NAME    also attach the list to this campaign and skip numbers already in its other lists
  --map COL=field    map a column (header name or 1-based number) to phone, phone2, …, firstName, lastName, email,
                     address, city, region, postalCode, country, timezone, lineType, consentAt, consentKind, source,
                     a custom attribute (any other name, optionally name:number|boolean|date|text), or - to ignore.
                     The mapping is saved with the list and reused by the next import.
  --type NAME=TYPE   override the inferred type of a custom attribute (number, boolean, date, text)
  --rejects FILE     write rejected rows (original columns + reason + detail) to fix and re-import
  --country CC       country for numbers without a country code (default: the list's, else US)
  --delimiter D      force the delimiter (default: sniffed among comma, semicolon and tab)
  --encoding E       force the encoding (default: UTF-8 with or without BOM, else Windows-1252)
  --json             print {"rows", "imported", "duplicates", "rejected", "rejectReasons", "dncFlagged", "seconds"}
  --db URL           sqlite:PATH (default sqlite:./data/outdial.db) or postgres://...; OUTDIAL_DB does the same
Every row ends imported, duplicate or rejected with a reason. A re-run of the same file changes nothing; an
interrupted import resumes after its last committed batch. Progress goes to standard error.
Exit status 2 when the file or a flag is wrong (the message names the row, column or flag).`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      list: { type: 'string' }, campaign: { type: 'string' }, map: { type: 'string', multiple: true }, type: { type: 'string', multiple: true },
      rejects: { type: 'string' }, country: { type: 'string' }, delimiter: { type: 'string' }, encoding: { type: 'string' },
      json: { type: 'boolean' }, db: { type: 'string' }, progress: { type: 'boolean' },
    });
    const file = positionals[0];
    if (file === undefined) throw new UsageError('no FILE given');
    if (positionals.length > 1) throw new UsageError(`one FILE at a time (got ${positionals.join(', ')})`);
    if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
    if (typeof values['list'] !== 'string' || values['list'] === '') throw new UsageError('--list NAME is required');
    const delimiterFlag = values['delimiter'];
    const delimiter = delimiterFlag === undefined ? undefined : delimiterFlag === 'tab' || delimiterFlag === '\t' ? '\t' : delimiterFlag;
    if (delimiter !== undefined && delimiter !== ',' && delimiter !== ';' && delimiter !== '\t') throw new UsageError('--delimiter: expected , ; or tab');
    const encoding = values['encoding'];
    if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'windows-1252') throw new UsageError('--encoding: expected utf-8 or windows-1252');
    const url = storeUrl(values['db'], io.env);
    const store = await openStore(url);
    const progress = progressBar(io, values['progress'] !== false);
    try {
      await migrate(store.db);
      const dnc = DncLists.open(store.db, nationalRegistryPath(dataDirFor(url, io.env)));
      const result = await importContacts({
        db: store.db, file, listName: values['list'], campaignName: values['campaign'] as string | undefined,
        mappings: (values['map'] as string[] | undefined) ?? [], types: (values['type'] as string[] | undefined) ?? [],
        rejectsFile: values['rejects'] as string | undefined, defaultCountry: values['country'] as string | undefined, dnc, now: () => Date.now(), storeUrl: url,
        csv: { delimiter, encoding },
        onProgress: progress.update,
      });
      progress.done(result);
      const { importId: _importId, listId: _listId, ...summary } = result;
      if (values['json']) writeJson(io, summary);
      else io.stderr.write(`${summary.rows} rows: ${summary.imported} imported, ${summary.duplicates} duplicates, ${summary.rejected} rejected${summary.rejected > 0 ? ` (${Object.entries(summary.rejectReasons).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}; ${summary.dncFlagged} on a do-not-call list; ${summary.seconds} s\n`);
      return 0;
    } catch (error) {
      progress.done();
      if (error instanceof ImportInputError) throw new UsageError(`${file}: ${error.message}`);
      throw error;
    } finally {
      await store.close();
    }
  },
};
export default command;

/** A progress bar on standard error, redrawn at most every 200 ms, and once more at 100 % with the final counts. */
function progressBar(io: CliIo, enabled: boolean): {
  update: (e: ImportProgressEvent) => void;
  done: (final?: { rows: number; imported: number; duplicates: number; rejected: number }) => void;
} {
  let last = 0;
  let drawn = false;
  const draw = (share: number, e: { rows: number; imported: number; duplicates: number; rejected: number }): void => {
    const width = 30;
    const filled = Math.round(share * width);
    io.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.round(share * 100)}% ${e.rows} rows (${e.imported} imported, ${e.duplicates} duplicates, ${e.rejected} rejected)`);
    drawn = true;
  };
  return {
    update(e) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      draw(e.totalBytes > 0 ? Math.min(1, e.bytesRead / e.totalBytes) : 0, e);
    },
    done(final) {
      if (enabled && final !== undefined) draw(1, final);
      if (drawn) io.stderr.write('\n');
      drawn = false;
    },
  };
}
