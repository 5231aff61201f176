import { Worker } from 'node:worker_threads';
import { BatchSourceError } from './batch-source.ts';
import type { BatchSpec, PackedBatch } from './batch-source.ts';
import type { WorkerMessage } from './import-worker.ts';

/**
 * The batches of buildBatches, built in a worker thread (import-worker.ts): the caller writes one batch to the store
 * while the worker parses the next ones. Each batch is acknowledged as it is taken, so the worker stays at most a few
 * batches ahead. Stopping early (an error while storing) terminates the worker.
 */
export async function* batchesInWorker(spec: BatchSpec): AsyncGenerator<PackedBatch> {
  const worker = new Worker(new URL('./import-worker.mjs', import.meta.url), { workerData: spec });
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
