// Worker entry: registers tsx in the worker thread (the parent's loader is not inherited), then runs the TS worker.
import { register } from 'tsx/esm/api';

register();
await import('./pacing-worker.ts');
