/**
 * npx tsx packages/bench/src/import-rows-bench.ts [--rows 1000000] [--runs 1] [--digest] [--no-pack | --packed] [--file F]
 *
 * The row building of `outdial import` alone, in one thread, without a store: reading and decoding the CSV, the
 * header, mapping and attribute types from the first 1000 rows (as the pipeline does), then every row through the
 * batch source (phones, location, typed attributes, import key) and each batch packed into the one string the worker
 * thread posts. Prints rows/s and the CPU of this process (user + system) per run, and the counts per verdict.
 * `--packed` has the batch source write each batch's packed text directly (`buildBatches(spec, true)`:
 * RowBuilder.buildPacked into a PackedWriter, what the worker thread does) instead of cells joined by packBatch.
 * `--digest` also prints a SHA-256 of every batch's packed cells and rejects (row, reason, detail), so two versions
 * of the code can be shown to build exactly the same output (the hashing is timed apart from the build).
 * The file is the one `npm run bench:import` generates (generated here when missing, same seed).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readCsvFile } from '@outdial/contacts/csv/csv-file-reader';
import type { CsvRecord } from '@outdial/contacts/csv/csv-parser';
import { writeContactsFile } from '@outdial/contacts/generate/contacts-generator';
import { inferType } from '@outdial/contacts/import/attribute-values';
import { buildBatches, packBatch } from '@outdial/contacts/import/batch-source';
import type { BatchSpec } from '@outdial/contacts/import/batch-source';
import { resolveMapping } from '@outdial/contacts/import/column-mapping';
import { prepareColumns } from '@outdial/contacts/import/row-builder';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '1' }, digest: { type: 'boolean' },
    'no-pack': { type: 'boolean' }, packed: { type: 'boolean' }, file: { type: 'string' }, dir: { type: 'string', default: '/tmp/outdial-bench' },
  },
});
const rows = Number(values.rows);
const file = values.file ?? join(values.dir, `contacts-${rows}.csv`);
if (!existsSync(file)) await writeContactsFile(file, { rows, seed: 2026 });
const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** The pipeline's preparation (header, default mapping, inferred types), on a US list with no saved mapping. */
async function prepare(): Promise<ReturnType<typeof prepareColumns>> {
  const head: CsvRecord[] = [];
  for await (const records of readCsvFile(file)) {
    head.push(...records);
    if (head.length > 1000) break;
  }
  const first = head[0];
  if (first === undefined) throw new Error(`${file} is empty`);
  const headers = first.fields.map((f) => f.trim());
  const uses = resolveMapping(headers, null, [], true);
  uses.forEach((use, i) => {
    if (use.kind === 'attribute' && use.type === null) use.type = inferType(head.slice(1).map((r) => r.fields[i] ?? ''));
  });
  return prepareColumns(uses, headers);
}

const runs = Number(values.runs);
for (let run = 1; run <= runs; run++) {
  const loadBefore = loadAverage();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const columns = await prepare();
  const digest = values.digest === true ? createHash('sha256') : undefined;
  let hashing = 0;
  let dataRows = 0;
  let contacts = 0;
  let packedChars = 0;
  const reasons: Record<string, number> = {};
  const spec: BatchSpec = { file, csv: {}, hasHeader: true, columns, defaultCountry: 'US', resumeAfter: 0, rowsBefore: 0, batchRows: 5000 };
  for await (const built of buildBatches(spec, values.packed === true)) {
    const batch = values['no-pack'] === true || values.packed === true ? built : packBatch(built);
    dataRows += batch.rows;
    contacts += batch.count;
    packedChars += batch.packed.length;
    for (const reject of batch.rejects) reasons[reject.reason] = (reasons[reject.reason] ?? 0) + 1;
    if (digest !== undefined) {
      const t = process.cpuUsage();
      digest.update(batch.packed !== '' ? batch.packed : (batch.cells ?? []).join('\u0001'));
      for (const reject of batch.rejects) digest.update(`\n${reject.row}\u0001${reject.reason}\u0001${reject.detail}\u0001${reject.fields.join('\u0001')}`);
      const used = process.cpuUsage(t);
      hashing += used.user + used.system;
    }
  }
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = (used.user + used.system - hashing) / 1e6;
  const rejected = Object.values(reasons).reduce((a, b) => a + b, 0);
  console.log(`run ${run}: ${dataRows} rows in ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU (user ${(used.user / 1e6).toFixed(2)}, sys ${(used.system / 1e6).toFixed(2)}`
    + `${digest !== undefined ? `, hashing ${(hashing / 1e6).toFixed(2)} s not counted` : ''}), ${Math.round(dataRows / cpuSeconds).toLocaleString('en-US')} rows per CPU second; `
    + `${contacts} contacts, ${rejected} rejected ${JSON.stringify(reasons)}${values['no-pack'] === true ? '' : `, ${(packedChars / 1e6).toFixed(1)} M packed chars`}; `
    + `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; load average ${loadBefore} → ${loadAverage()}`);
  if (digest !== undefined) console.log(`digest ${digest.digest('hex')}`);
}

