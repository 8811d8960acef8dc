/**
 * `node --import tsx scripts/calibrate-texture.ts`: population statistics of the texture metrics'
 * raw measurements over the single-face shared portraits (../shared/faces/portraits), from which
 * the calibration constants in lines-scores.ts, lines.input.ts, skin-type.metric.ts,
 * hydration.metric.ts, eye-bags.ts and acne.metric.ts were set once. Prints quantiles; sets nothing.
 */
import { colourMapsInput } from '../packages/engine/src/colour/colour-maps.input.ts';
import { FaceModels } from '../packages/engine/src/face/face-models.ts';
import { detectLesions } from '../packages/engine/src/metrics/acne/acne-detect.ts';
import { measureEyeBags } from '../packages/engine/src/metrics/eye-area/eye-bags.ts';
import {
  FACE_SCORE_AREAS,
  LINE_AREAS,
  LINES_MIN_PX_PER_MM,
  measureLines,
} from '../packages/engine/src/metrics/lines/lines.input.ts';
import { faceLoad } from '../packages/engine/src/metrics/lines/lines-scores.ts';
import { shineInput } from '../packages/engine/src/metrics/shine/shine.input.ts';
import { portraitPath, SINGLE_FACE_PORTRAITS } from '../packages/engine/src/testing/faces.ts';
import { cropArea } from '../packages/engine/src/texture/area-crop.ts';
import { darkRidges } from '../packages/engine/src/texture/ridge-filter.ts';
import { photoContext } from './photo-context.ts';

const faces = await FaceModels.load();
const stats: Record<string, number[]> = {};
/** Adds a measured value; null (not measured) and non-finite values are left out. */
const add = (k: string, v: number | null | undefined) => {
  if (v == null || !Number.isFinite(v)) return;
  stats[k] ??= [];
  stats[k].push(v);
};

for (const name of SINGLE_FACE_PORTRAITS) {
  const ctx = await photoContext(faces, portraitPath(name));
  if (!ctx) continue;
  const { face, frame } = ctx;
  const frontal = Math.abs(face.pose.yaw) <= 15 && Math.abs(face.pose.pitch) <= 10;
  if (face.pxPerMm >= LINES_MIN_PX_PER_MM) {
    const m = measureLines(ctx);
    if (m.areas.some((a) => a.assessed && FACE_SCORE_AREAS.has(a.area)))
      add('lines face load', faceLoad(m.areas));
    for (const a of m.areas) {
      if (!a.assessed) continue;
      add(`lines load, ${a.area.replace(/^(left|right)_|_(left|right)$/, '')}`, a.load);
      if (FACE_SCORE_AREAS.has(a.area)) add('lines load, each face-score area', a.load);
    }
    for (const side of ['left_cheek', 'right_cheek'] as const) {
      const sigmas = LINE_AREAS[0]!.sigmasMm.map((s) => s * face.pxPerMm);
      const crop = cropArea(frame, side, 3 * Math.max(...sigmas), 1.5 * face.pxPerMm);
      if (!crop) continue;
      const r = darkRidges(crop.lightness, sigmas).strength;
      const vals = [...r].filter((_, i) => crop.mask.data[i]).sort((a, b) => a - b);
      add(
        'cheek ridge strength q90 at the forehead scales (L*)',
        vals[Math.floor(vals.length * 0.9)] ?? Number.NaN,
      );
    }
    const c = ctx.input(colourMapsInput);
    add('acne lesions (clean portraits)', detectLesions(ctx, c).length);
  }
  if (frontal) {
    const m = measureLines(ctx);
    add('sagging mouth droop (deg)', m.sagging.mouthDroopDeg);
    add('sagging jaw irregularity (% IPD)', m.sagging.jawIrregularity);
  }
  const s = ctx.input(shineInput);
  add('shine T-zone index', s.tZone?.index);
  add('shine U-zone index', s.uZone?.index);
  add('shine face index', s.face?.index);
  add('cheek roughness (L*, ≥ 2 px/mm)', s.roughness);
  if (Math.abs(face.pose.yaw) <= 20)
    for (const side of ['left_eye_area', 'right_eye_area'] as const) {
      const e = measureEyeBags(ctx, side);
      if (!e) continue;
      add('eye bag raw', e.bag);
      add('lacrimal groove raw (L*)', e.groove);
    }
}

const q = (v: number[], p: number) =>
  [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(p * v.length))]!;
console.log('| raw | n | q25 | median | q75 | q90 |\n|---|---|---|---|---|---|');
for (const [k, v] of Object.entries(stats))
  console.log(
    `| ${k} | ${v.length} | ${[0.25, 0.5, 0.75, 0.9].map((p) => q(v, p).toFixed(2)).join(' | ')} |`,
  );
