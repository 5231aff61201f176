import { migrate, openStore } from '@outdial/store/database';
import type { CliCommand } from '../command.ts';
import { parseFlags, storeUrl, writeJson } from '../command.ts';

const command: CliCommand = {
  summary: "bring the store's schema up to date",
  help: `outdial migrate [--db URL] [--json]

Brings the store's schema up to date (outdial start does this too).
  --db URL   sqlite:PATH (default sqlite:./data/outdial.db) or postgres://...; OUTDIAL_DB does the same
  --json     print {"applied": [...]} on standard output`,
  async run(argv, io) {
    const { values } = parseFlags(argv, { db: { type: 'string' }, json: { type: 'boolean' } });
    const store = await openStore(storeUrl(values['db'], io.env));
    try {
      const applied = await migrate(store.db);
      if (values['json']) writeJson(io, { applied });
      else io.stderr.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the schema is up to date\n');
      return 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
