import { parentPort, workerData } from 'node:worker_threads';
import { CsvFormatError } from '../csv/csv-parser.ts';
import { buildBatches } from './batch-source.ts';
import type { BatchSpec, PackedBatch } from './batch-source.ts';

/** Messages from the worker: batches in file order, then `end`, or `error` (after the batches before it). */
export type WorkerMessage =
  | { type: 'batch'; batch: PackedBatch }
  | { type: 'end' }
  | { type: 'error'; message: string; csv: boolean };

/** Batches sent but not yet acknowledged by the main thread: bounds the memory when the store writes slower. */
const MAX_IN_FLIGHT = 2;

/**
 * The worker thread of a large import: reads, parses and normalises the file (one core) while the main thread
 * de-duplicates and writes to the store (the other core). Started by import-worker.mjs (which loads tsx first).
 */
async function run(port: NonNullable<typeof parentPort>, spec: BatchSpec): Promise<void> {
  let inFlight = 0;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    inFlight--;
    wake?.();
    wake = undefined;
  });
  try {
    for await (const batch of buildBatches(spec, true)) {
      while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => { wake = resolve; });
      inFlight++;
      port.postMessage({ type: 'batch', batch } satisfies WorkerMessage);
    }
    port.postMessage({ type: 'end' } satisfies WorkerMessage);
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error), csv: error instanceof CsvFormatError } satisfies WorkerMessage);
  }
}

if (parentPort !== null) await run(parentPort, workerData as BatchSpec);
