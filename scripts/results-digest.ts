/**
 * Prints, per photo, a SHA-256 prefix of the engine's full results (timings left out), of the restored
 * JPEG and of each algorithm's result, so that two runs can be diffed to show a change keeps every
 * result bit-identical: `node --import tsx scripts/results-digest.ts [checkout] [folder] > a.txt`.
 * Without a checkout, this tree's engine; without a folder, the ~40 single-face portraits of the
 * shared photos; with a folder, every DIGEST_STEP-th photo in it (default 10), sorted by name.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type * as EngineModule from '../packages/engine/src/index.ts';
import { portraitPath, SINGLE_FACE_PORTRAITS } from '../packages/engine/src/testing/faces.ts';

const [checkout, folder] = process.argv.slice(2);
const step = Number(process.env.DIGEST_STEP ?? 10);
const root = checkout ? resolve(checkout) : resolve(import.meta.dirname, '..');
const { createEngine, FaceModels } = (await import(
  join(root, 'packages/engine/src/index.ts')
)) as typeof EngineModule;
const photos = folder
  ? (await readdir(folder))
      .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
      .sort()
      .filter((_, i) => i % step === 0)
      .map((f) => join(folder, f))
  : SINGLE_FACE_PORTRAITS.map(portraitPath);
const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const engine = createEngine({ faces: await FaceModels.load() });
for (const path of photos) {
  const {
    timings: _timings,
    restored,
    ...rest
  } = await engine.analyze(await readFile(path), {
    restored: true,
  });
  const perAlgorithm = rest.results.map((r) => `${r.algorithm_tech_name}=${sha(JSON.stringify(r))}`);
  console.log(
    path.split('/').pop(),
    sha(JSON.stringify(rest)),
    restored ? sha(restored.jpeg) : '-',
    perAlgorithm.join(' '),
  );
}
