#!/usr/bin/env node
/**
 * Runs every `*.test.ts` under packages/ and scripts/ with Node's built-in test runner (through tsx).
 * Node 20's `--test` takes no globs, so the files are listed here. Extra arguments are passed to
 * `node --test` (for example `--test-name-pattern`); a path argument narrows the run to that folder.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const roots = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = (roots.length ? roots : ['packages', 'scripts']).flatMap((r) =>
  statSync(r).isDirectory() ? collect(r, []) : [r],
);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...flags, ...files.sort()],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
