/** The metrics' context for a photo outside the engine, for the calibration and fitting scripts. */
import { readFile } from 'node:fs/promises';
import type { FaceModels } from '../packages/engine/src/face/face-models.ts';
import type { InputProvider, MetricContext } from '../packages/engine/src/framework/metric.ts';
import { buildFaceFrame } from '../packages/engine/src/geometry/face-frame.ts';
import { buildFaceGeometry } from '../packages/engine/src/geometry/face-geometry.ts';
import { restoreTransform } from '../packages/engine/src/geometry/restore.ts';
import { DEFAULT_DECODE_LIMITS, decodeImage } from '../packages/engine/src/image/decode.ts';

/**
 * The context the engine gives its metrics (analyze.ts) for the largest face of the photo at `path`:
 * decoded, face found, geometry and face frame built, shared inputs computed once on first use.
 * Null when no face is found.
 */
export async function photoContext(faces: FaceModels, path: string): Promise<MetricContext | null> {
  const image = await decodeImage(await readFile(path), DEFAULT_DECODE_LIMITS);
  const found = await faces.detect(image.rgb);
  if (!found[0]) return null;
  const face = buildFaceGeometry(found[0], image.rgb);
  const frame = buildFaceFrame(image.rgb, face);
  const cache = new Map<string, unknown>();
  const ctx: MetricContext = {
    image,
    face,
    frame,
    faceCount: found.length,
    restore: restoreTransform(face, image.toOriginal),
    input<T>(p: InputProvider<T>): T {
      if (!cache.has(p.id)) cache.set(p.id, p.compute(ctx));
      return cache.get(p.id) as T;
    },
  };
  return ctx;
}
