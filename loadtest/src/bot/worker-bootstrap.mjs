// Worker threads do not inherit tsx's loader from `node --import tsx` on Node 20 (an entry ending
// in .ts fails with ERR_UNKNOWN_FILE_EXTENSION even with execArgv ['--import', 'tsx']), so each
// worker registers tsx itself, then loads the TypeScript entry named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
