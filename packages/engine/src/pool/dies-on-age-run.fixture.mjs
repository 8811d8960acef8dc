// Test fixture (engine-pool.test.ts): an engine worker that exits as soon as the pool asks it to run
// another worker's age model, as a worker that crashes mid-request does.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (message) => {
  if (message?.type === 'age-run') process.exit(7);
});
await import('./engine-worker.entry.mjs');
