import { readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { humanAssetPaths, loadHumanModule } from '../packages/engine/src/face/human-loader.ts';
import { readFairface } from './eval/fairface.ts';
const { Human } = loadHumanModule();
const paths = humanAssetPaths();
const items = await readFairface();
const out: Record<string, Record<string, number | null>> = {};
for (const which of ['gear', 'ssrnet', 'description']) {
  const face: Record<string, unknown> = {
    enabled: true,
    detector: { rotation: true, maxDetected: 1, skipFrames: 0, skipTime: 0, return: false },
    mesh: { enabled: true }, iris: { enabled: false }, attention: { enabled: false },
    description: { enabled: false }, emotion: { enabled: false }, antispoof: { enabled: false }, liveness: { enabled: false },
    gear: { enabled: false, modelPath: 'gear.json' }, ssrnet: { enabled: false, modelPathAge: 'age.json', modelPathGender: 'gender.json' },
  };
  (face[which] as Record<string, unknown>).enabled = true;
  if (which === 'description') (face.description as Record<string, unknown>).modelPath = 'faceres.json';
  const human = new Human({ backend: 'wasm', wasmPath: paths.wasmPath, modelBasePath: 'file:///work/tmp/hm/package/models/', debug: false, cacheSensitivity: 0, warmup: 'none', face, body: { enabled: false }, hand: { enabled: false }, object: { enabled: false }, gesture: { enabled: false }, segmentation: { enabled: false }, filter: { enabled: false } });
  await human.load();
  for (const item of items) {
    const { data, info } = await sharp(await readFile(item.path)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const t = human.tf.tensor3d(new Int32Array(data), [info.height, info.width, 3], 'int32');
    const r = (await human.detect(t)) as unknown as { face: { age?: number; gender?: string }[] };
    t.dispose();
    out[item.file] ??= {};
    out[item.file]![which] = r.face[0]?.age ?? null;
  }
  console.error(which, 'done');
}
await writeFile('/work/tmp/age-models.json', JSON.stringify(out));
