// Worker-thread entry of AgeModelThread: Node 20 workers ignore `--import` in execArgv, so tsx is
// registered here before the TypeScript worker module is loaded.
import { register } from 'tsx/esm/api';

register();
await import('./age-worker.ts');
