#!/usr/bin/env node
// Entry point of the `skinscope` command. `analyze` runs from a precompiled bundle of its sources
// (analyze-bundle.mjs; rebuilt when a source changed, skipped with SKINSCOPE_CLI_BUNDLE=0); the other
// commands register tsx so that the TypeScript sources run as they are. `serve` starts itself again
// with glibc's malloc arenas limited (serve-process.js).
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);

async function run() {
  if (argv[0] === 'serve') {
    const { needsArenaLimit, serveWithArenaLimit, followParent } = await import('./serve-process.js');
    if (needsArenaLimit()) return serveWithArenaLimit(argv.slice(1));
    followParent();
  }
  if (argv[0] === 'analyze' && process.env.SKINSCOPE_CLI_BUNDLE !== '0') {
    const { analyzeBundle } = await import('./analyze-bundle.mjs');
    const bundle = await analyzeBundle();
    if (bundle) {
      const { runAnalyze } = await import(pathToFileURL(bundle).href);
      return runAnalyze(argv.slice(1));
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/main.ts');
  return main(argv);
}

process.exitCode = await run();
