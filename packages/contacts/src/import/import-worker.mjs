// Entry of the import worker thread: Node 20 does not run TypeScript, and loader hooks registered on the main thread
// do not reach worker threads, so the worker registers tsx itself before loading the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
