import { Worker } from 'node:worker_threads';
import { BatchSourceError } from './batch-source.ts';
import type { BatchSpec, PackedBatch } from './batch-source.ts';
import type { WorkerMessage } from './import-worker.ts';

/**
 * Old-generation heap of the worker thread, in MB: a base for the code and the phone metadata plus ~4 KB per batch
 * row (a batch being built and two in flight, ~1 KB of cells each): 96 MB for 5000-row batches.
 */
function workerHeapMb(batchRows: number): number {
  return Math.max(96, 64 + Math.ceil((batchRows * 4) / 1000));
}

/**
 * The batches of buildBatches, built in a worker thread (import-worker.ts): the caller writes one batch to the store
 * while the worker parses the next ones. Each batch is acknowledged as it is taken, so the worker stays at most a few
 * batches ahead. Stopping early (an error while storing) terminates the worker.
 */
export async function* batchesInWorker(spec: BatchSpec): AsyncGenerator<PackedBatch> {
  // The worker's heap is capped: what it keeps is small (the phone metadata, two batches in flight), and an uncapped
  // old generation grew until the two threads together passed the 400 MB target (455 MB on 1 M rows).
  const worker = new Worker(new URL('./import-worker.mjs', import.meta.url), { workerData: spec, resourceLimits: { maxOldGenerationSizeMb: workerHeapMb(spec.batchRows) } });
  const queue: WorkerMessage[] = [];
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  const notify = (): void => { wake?.(); wake = undefined; };
  worker.on('message', (message: WorkerMessage) => { queue.push(message); notify(); });
  worker.on('error', (error) => { failure = error; notify(); });
  worker.on('exit', () => { exited = true; notify(); });
  try {
    while (true) {
      while (queue.length === 0) {
        if (failure !== undefined) throw failure;
        if (exited) throw new Error('the import worker thread stopped before the end of the file');
        await new Promise<void>((resolve) => { wake = resolve; });
      }
      const message = queue.shift() as WorkerMessage;
      if (message.type === 'end') return;
      if (message.type === 'error') throw message.csv ? new BatchSourceError(message.message) : new Error(message.message);
      worker.postMessage('ack');
      yield message.batch;
    }
  } finally {
    await worker.terminate();
  }
}
