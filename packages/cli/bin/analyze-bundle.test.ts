import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ageWorkerBundle, buildBundle, isFresh } from './analyze-bundle.mjs';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

describe('the analyze bundle', () => {
  it('is fresh only while every source it lists exists and is not newer than it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skinscope-bundle-'));
    try {
      const source = join(dir, 'source.ts');
      const bundle = join(dir, 'bundle.mjs');
      writeFileSync(source, 'export {};\n');
      assert.equal(isFresh(bundle), false, 'missing bundle');
      writeFileSync(bundle, `// skinscope-bundle-inputs ${JSON.stringify([source])}\nexport {};\n`);
      const past = new Date(Date.now() - 60_000);
      utimesSync(source, past, past);
      assert.equal(isFresh(bundle), true);
      const future = new Date(Date.now() + 60_000);
      utimesSync(source, future, future);
      assert.equal(isFresh(bundle), false, 'a source changed after the build');
      rmSync(source);
      assert.equal(isFresh(bundle), false, 'a source went away');
      writeFileSync(bundle, 'export {};\n');
      assert.equal(isFresh(bundle), false, 'no list of sources');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bundles the command with the engine, keeps npm packages external and each source file its own import.meta.url', async () => {
    const bundle = join(DIST, `analyze.test-${process.pid}.mjs`);
    try {
      await buildBundle(bundle);
      assert.equal(isFresh(bundle), true);
      const text = readFileSync(bundle, 'utf8');
      const inputs = JSON.parse(text.slice(text.indexOf(' [') + 1, text.indexOf('\n'))) as string[];
      assert.ok(inputs.some((p) => p.endsWith('packages/cli/src/analyze.command.ts')));
      assert.ok(inputs.some((p) => p.endsWith('packages/engine/src/analyze.ts')));
      assert.ok(!inputs.some((p) => p.includes('node_modules')), 'npm packages are not bundled');
      assert.match(text, /from "sharp"/);
      assert.doesNotMatch(text, /import\.meta\.url/);
      const pool = new URL('../../engine/src/pool/engine-pool.ts', import.meta.url).href;
      assert.ok(text.includes(JSON.stringify(pool)), 'the worker entry resolves next to the pool source');
      const { runAnalyze } = (await import(pathToFileURL(bundle).href)) as { runAnalyze: unknown };
      assert.equal(typeof runAnalyze, 'function');
      const worker = ageWorkerBundle(bundle);
      assert.equal(isFresh(worker), true, 'the age worker is bundled beside the command');
      assert.ok(
        text.includes(JSON.stringify(pathToFileURL(worker).href)),
        'the command runs the bundled age worker',
      );
      const workerText = readFileSync(worker, 'utf8');
      assert.ok(workerText.includes('age-worker.ts'));
      assert.doesNotMatch(workerText, /import\.meta\.url/);
    } finally {
      rmSync(bundle, { force: true });
      rmSync(ageWorkerBundle(bundle), { force: true });
    }
  });
});
