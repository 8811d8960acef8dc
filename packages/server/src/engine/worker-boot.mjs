// Worker-thread entry: Node 20 ignores `--import tsx` in a worker's execArgv, so register tsx here
// and then load the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./engine.worker.ts');
