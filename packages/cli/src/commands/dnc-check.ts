import { createInterface } from 'node:readline';
import { openStore, migrate } from '@outdial/store/database';
import { dataDirFor, nationalRegistryPath } from '@outdial/contacts/dnc/data-dir';
import { DncLists } from '@outdial/contacts/dnc/dnc-lists';
import { PhoneNormaliser } from '@outdial/contacts/phone/phone-normaliser';
import type { CliCommand } from '../command.ts';
import { parseFlags, storeUrl, UsageError, writeJson } from '../command.ts';

const command: CliCommand = {
  summary: 'which do-not-call lists hold each number',
  help: `outdial dnc check PHONE... [--json] [--country US] [--db URL]

Which do-not-call lists hold each number, and since when. "-" reads numbers from standard input, one a line.
Numbers may be written in any usual form: (212) 201-0123, 212.201.0123, +1 212 201 0123, 001 212 201 0123.
  --json          JSON Lines, one per number in input order:
                  {"input": "(212) 201-0123", "phone": "+12122010123", "lists": [{"kind": "national", "region": null, "syncedAt": "2026-11-20"}]}
                  an unparseable number gets "phone": null and an "error"
  --country CC    country assumed for numbers without a country code (default US)
  --db URL        sqlite:PATH (default sqlite:./data/outdial.db) or postgres://...; OUTDIAL_DB does the same
Exit status 0 once every number is answered (unreadable ones included, with their error).`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' }, db: { type: 'string' }, country: { type: 'string' } });
    if (positionals.length === 0) throw new UsageError('no PHONE given (use - to read numbers from standard input)');
    const inputs: string[] = [];
    for (const p of positionals) {
      if (p !== '-') { inputs.push(p); continue; }
      for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) if (line.trim() !== '') inputs.push(line.trim());
    }
    const normaliser = new PhoneNormaliser(typeof values['country'] === 'string' ? values['country'] : 'US');
    const parsed = inputs.map((input) => ({ input, result: normaliser.normalise(input) }));
    const url = storeUrl(values['db'], io.env);
    const store = await openStore(url);
    try {
      await migrate(store.db);
      const lists = DncLists.open(store.db, nationalRegistryPath(dataDirFor(url, io.env)));
      const phones = parsed.flatMap((p) => (p.result.ok ? [p.result.e164] : []));
      const hits = await lists.check([...new Set(phones)]);
      let bad = 0;
      for (const { input, result } of parsed) {
        if (!result.ok) {
          bad++;
          if (values['json']) writeJson(io, { input, phone: null, lists: [], error: result.detail });
          else io.stdout.write(`${input}\tinvalid: ${result.detail}\n`);
          continue;
        }
        const found = hits.get(result.e164) ?? [];
        if (values['json']) writeJson(io, { input, phone: result.e164, lists: found });
        else io.stdout.write(`${input}\t${result.e164}\t${found.length === 0 ? 'not listed' : found.map((h) => `${h.kind}${h.region ? `:${h.region}` : ''} since ${h.syncedAt ?? '?'}`).join(', ')}\n`);
      }
      if (bad > 0) io.stderr.write(`${bad} number(s) could not be read as phone numbers\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
