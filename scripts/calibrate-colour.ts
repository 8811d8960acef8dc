/**
 * Derives the population statistics behind packages/engine/src/colour/calibration.ts from the
 * shared calibration faces (../shared/faces: portraits and FairFace), once, never per photo:
 *   node --import tsx scripts/calibrate-colour.ts
 * It runs the colour metrics, collects their raw measurements (result `raw`) and prints the
 * 5th / 50th / 95th percentiles (score anchors), the skin-locus range of the white-balance
 * estimate, and the least-squares fit of face haemoglobin on melanin (redness tone norm).
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createEngine, FaceModels } from '../packages/engine/src/index.ts';
import { isAlgorithmPayload } from '../packages/engine/src/result/result-shape.ts';
import { FACES_DIR, SINGLE_FACE_PORTRAITS } from '../packages/engine/src/testing/faces.ts';

const ALGORITHMS = [
  'skin_tone',
  'redness',
  'uniformness',
  'pigmentation',
  'eye_area_condition',
  'translucency',
];

const files = [
  ...SINGLE_FACE_PORTRAITS.map((n) => join(FACES_DIR, 'portraits', n)),
  ...readdirSync(join(FACES_DIR, 'fairface', 'images'))
    .filter((n) => n.endsWith('.jpg'))
    .map((n) => join(FACES_DIR, 'fairface', 'images', n)),
];
const engine = createEngine({ faces: await FaceModels.load() });
const samples: Record<string, number[]> = {};
const push = (k: string, v: unknown) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) return;
  const list = samples[k] ?? [];
  list.push(v);
  samples[k] = list;
};
/** Loosely typed view of a result's `raw` (each metric documents its own). */
// biome-ignore lint/suspicious/noExplicitAny: raw payloads differ per metric; this script only reads numbers
type Raw = Record<string, any>;
const tone: { melanin: number; haemoglobin: number }[] = [];
for (const file of files) {
  const a = await engine.analyze(await readFile(file), { algorithms: ALGORITHMS, restored: false });
  for (const r of a.results) {
    if (!isAlgorithmPayload(r.result)) continue;
    const raw = (r.result.raw ?? {}) as Raw;
    switch (r.algorithm_tech_name) {
      case 'skin_tone': {
        push('wb_rg', raw.white_balance?.skin_estimate?.[0]);
        push('wb_bg', raw.white_balance?.skin_estimate?.[2]);
        push('ita', raw.ita);
        break;
      }
      case 'redness': {
        if (raw.face_pigments) tone.push(raw.face_pigments);
        for (const [area, v] of Object.entries(raw.areas ?? {}) as [string, Raw][]) {
          push(`redness_local:${area}`, v.local);
          push(`redness_global:${area}`, v.global);
          push('redness_global:pooled', v.global);
          push('redness_local:pooled', v.local);
        }
        break;
      }
      case 'uniformness':
        for (const [area, v] of Object.entries(raw.areas ?? {})) {
          push(`uniformness:${area}`, v);
          push('uniformness:pooled', v);
        }
        push('uniform_L', raw.norms?.L);
        push('uniform_M', raw.norms?.melanin);
        push('uniform_H', raw.norms?.haemoglobin);
        break;
      case 'pigmentation':
        for (const [area, v] of Object.entries(raw.areas ?? {})) {
          push(`pigmentation:${area}`, v);
          push('pigmentation:pooled', v);
        }
        break;
      case 'eye_area_condition':
        for (const side of Object.values(raw.dark_circles ?? {}) as Raw[]) push('dark_circles', side.raw);
        break;
      case 'translucency':
        push('tr_index', raw.index);
        push('tr_lightness', raw.lightness);
        push('tr_gloss', raw.gloss);
        push('tr_unevenness', raw.unevenness);
        break;
    }
  }
}
const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))]!;
};
console.log('measure                      n      p05      p50      p95');
for (const [k, xs] of Object.entries(samples).sort())
  console.log(
    `${k.padEnd(26)} ${String(xs.length).padStart(4)} ${[0.05, 0.5, 0.95].map((p) => q(xs, p).toFixed(4).padStart(8)).join(' ')}`,
  );
// Least squares haemoglobin = c0 + cM·melanin over the face medians.
const n = tone.length;
const mx = tone.reduce((s, t) => s + t.melanin, 0) / n;
const my = tone.reduce((s, t) => s + t.haemoglobin, 0) / n;
const sxy = tone.reduce((s, t) => s + (t.melanin - mx) * (t.haemoglobin - my), 0);
const sxx = tone.reduce((s, t) => s + (t.melanin - mx) ** 2, 0);
const cM = sxy / sxx;
console.log(`REDNESS_TONE_NORM (n=${n}): c0 ${(my - cM * mx).toFixed(4)} cM ${cM.toFixed(4)}`);
