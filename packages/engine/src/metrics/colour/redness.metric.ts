import { areaIndex, assessableAreas } from '../../colour/area-stats.ts';
import {
  ANCHORS,
  LOCAL_RED_DELTA_A,
  REDNESS_TONE_NORM,
  scoreLowerIsBetter,
} from '../../colour/calibration.ts';
import { colourDetailInput } from '../../colour/colour-detail.input.ts';
import { colourMapsInput, overexposedOutput } from '../../colour/colour-maps.input.ts';
import { heatmapFeatures } from '../../colour/heatmap.ts';
import type { MetricModule } from '../../framework/metric.ts';
import type { AreaName } from '../../geometry/areas.ts';
import { frameFloat32, frameUint8 } from '../../image/frame-buffers.ts';
import { excessAt, meanAt, medianAt } from '../../image/pixel-stats.ts';
import { type AreaResult, round, scoreValue } from '../../result/result-shape.ts';

/**
 * `redness` (skin-metrics-methods.md §7; Haut.AI's global/local split).
 *
 * Measured against the face's own reference, so that skin tone alone does not read as red:
 *  - global, per area: Δhb = median Tsumura haemoglobin density of the area's skin − hb_expected,
 *    where hb_expected = c0 + cM·melanin_face is the haemoglobin that faces with this face's own
 *    melanin have in the calibration population (REDNESS_TONE_NORM). The pigment separation keeps
 *    melanin (skin tone) out of the haemoglobin axis, and the norm absorbs what is left, so a
 *    darker or warmer skin does not read as red (a* alone rises with melanin).
 *  - local, per area: mean over the area's skin of max(0, Δa* − T), with Δa* the FINE_MM-smoothed
 *    a* minus the face's own skin median a* and T = LOCAL_RED_DELTA_A: how much of the area is
 *    redder than the rest of the face, and by how much.
 * Scores: `redness_global_score` and `redness_local_score` = scoreLowerIsBetter(raw, anchors)
 * (calibration.ts: population 5th/50th/95th percentiles → 95/80/50; monotonic, lower raw is
 * better); `redness_score` = their mean. 100 means no redness.
 *
 * Mask: heatmap of the regions with Δa* > T (contours, `intensity` = mean Δa* excess / 15).
 * `raw.ailab`: `sensitivity` {sensitivity_area: share of cheek and T-zone skin that is locally red
 * (0-1), sensitivity_intensity: 0-100, mean Δa* of those pixels over T, 100 at +20} and the
 * `red_area` map as a coarse grid (intensity 0-255 of Δa* excess over the face box in original
 * coordinates), for the AILab view to render.
 * Above OVEREXPOSED_CLIPPED_FRACTION of clipped skin every area is not assessable (overexposed): the
 * haemoglobin median and the a* reference would come from the unclipped, darker rest of the skin,
 * and a channel near saturation bends the colour (an exposure +10% moved such faces 2-3 points).
 */
const AREAS: readonly AreaName[] = ['face', 'forehead', 'nose', 'left_cheek', 'right_cheek'];

export const rednessMetric: MetricModule = {
  techName: 'redness',
  familyTechName: 'selfie_v2.redness',
  version: '1.0.0',
  name: 'Redness',
  description: 'Diffuse (global) and local redness against the face’s own skin-tone reference.',
  needs: ['colour', 'colour-detail'],
  areas: AREAS,
  outputs: {
    main: 'redness_score',
    sub: ['redness_global_score', 'redness_local_score'],
    maskType: 'heatmap_mask',
  },
  minPxPerMm: 0,
  compute(ctx) {
    const maps = ctx.input(colourMapsInput);
    const overexposed = overexposedOutput(maps, AREAS);
    if (overexposed) return overexposed;
    const detail = ctx.input(colourDetailInput);
    const faceIdx = maps.skinIndex;
    const faceL = medianAt(maps.L, faceIdx);
    const faceA = detail.faceA; // medianAt(detail.fine.a, faceIdx): faceIdx is maps.skinIndex
    const faceB = medianAt(maps.b, faceIdx);
    const faceMelanin = medianAt(maps.melanin, faceIdx);
    const faceHb = medianAt(maps.haemoglobin, faceIdx);
    const expectedHb = REDNESS_TONE_NORM.c0 + REDNESS_TONE_NORM.cM * faceMelanin;
    const excess = frameFloat32(maps.skin.length);
    excessAt(excess, detail.fine.a, faceIdx, faceA, LOCAL_RED_DELTA_A);
    const { ok, notAssessable } = assessableAreas(ctx, AREAS);
    const area_results: AreaResult[] = [];
    const raws: Record<string, { global: number; local: number }> = {};
    for (const area of ok) {
      const idx = area === 'face' ? faceIdx : areaIndex(ctx, area);
      if (idx.length < 30) continue;
      const globalRaw = medianAt(maps.haemoglobin, idx) - expectedHb;
      const localRaw = meanAt(excess, idx);
      raws[area] = { global: round(globalRaw, 3), local: round(localRaw, 3) };
      const g = scoreLowerIsBetter(globalRaw, ANCHORS.rednessGlobal);
      const l = scoreLowerIsBetter(localRaw, ANCHORS.rednessLocal);
      area_results.push({
        area_name: area,
        main_metric: scoreValue('redness_score', 'Redness Score', (g + l) / 2),
        sub_metrics: [
          scoreValue('redness_global_score', 'Global Redness', g),
          scoreValue('redness_local_score', 'Local Redness', l),
        ],
      });
    }
    const features = heatmapFeatures(excess, maps.width, maps.height, ctx.frame, ctx.face.pxPerMm, {
      minAreaMm2: 3,
      fullScale: 15,
      maxRegions: 60,
    });
    return {
      area_results,
      masks: { mask_type: 'heatmap_mask', features },
      ...(notAssessable.length ? { not_assessable_areas: notAssessable } : {}),
      raw: {
        face_lab: { L: round(faceL, 1), a: round(faceA, 1), b: round(faceB, 1) },
        face_pigments: { melanin: round(faceMelanin, 3), haemoglobin: round(faceHb, 3) },
        expected_haemoglobin: round(expectedHb, 3),
        areas: raws,
        ailab: {
          sensitivity: sensitivity(ctx, excess),
          red_area: redAreaGrid(ctx, excess),
        },
      },
    };
  },
};

function sensitivity(
  ctx: Parameters<MetricModule['compute']>[0],
  excess: Float32Array,
): { sensitivity_area: number; sensitivity_intensity: number } {
  const seen = frameUint8(excess.length);
  let n = 0;
  let red = 0;
  let sum = 0;
  for (const area of ['left_cheek', 'right_cheek', 't_zone'] as const)
    [n, red, sum] = addUnseen(areaIndex(ctx, area), excess, seen, n, red, sum);
  return {
    sensitivity_area: n ? round(red / n, 3) : 0,
    sensitivity_intensity: red ? round(Math.min(100, (100 * sum) / red / 20), 1) : 0,
  };
}

/** Δa* excess on a grid of at most 96 cells a side over the frame, 0-255 (255 at +15), base64. */
function redAreaGrid(ctx: Parameters<MetricModule['compute']>[0], excess: Float32Array) {
  const { width, height, x0, y0 } = ctx.frame;
  const cell = Math.max(1, Math.ceil(Math.max(width, height) / 96));
  const gw = Math.ceil(width / cell);
  const gh = Math.ceil(height / cell);
  const sums = new Float32Array(gw * gh);
  const cellOfX = new Int32Array(width);
  for (let x = 0; x < width; x++) cellOfX[x] = Math.floor(x / cell);
  const box = ctx.input(colourMapsInput).skinBox;
  addToCells(excess, width, box.x0, box.y0, box.x1, box.y1, cell, gw, cellOfX, sums);
  const bytes = new Uint8Array(gw * gh);
  cellBytes(sums, width, height, cell, gw, gh, bytes);
  const s = ctx.image.toOriginal;
  return {
    box: {
      left: round(x0 * s, 1),
      top: round(y0 * s, 1),
      width: round(width * s, 1),
      height: round(height * s, 1),
    },
    grid_width: gw,
    grid_height: gh,
    intensity_base64: Buffer.from(bytes).toString('base64'),
  };
}

/**
 * Over the pixels of `idx` not yet `seen` (marking them seen): adds their number to `n`, the number
 * with positive `excess` to `red` and their excess to `sum`; returns the new [n, red, sum].
 */
function addUnseen(
  idx: Int32Array,
  excess: Float32Array,
  seen: Uint8Array,
  n: number,
  red: number,
  sum: number,
): [number, number, number] {
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (seen[i]) continue;
    seen[i] = 1;
    n++;
    if (excess[i]! > 0) {
      red++;
      sum += excess[i]!;
    }
  }
  return [n, red, sum];
}

/**
 * Adds the positive `excess` of the box (x1, y1 exclusive) of a `width`-wide frame to `sums`, the
 * grid of `cell`-px cells, `gw` wide (`cellOfX` the cell column of each x).
 */
function addToCells(
  excess: Float32Array,
  width: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  cell: number,
  gw: number,
  cellOfX: Int32Array,
  sums: Float32Array,
): void {
  for (let y = y0; y < y1; y++) {
    const row = Math.floor(y / cell) * gw;
    for (let x = x0, i = y * width + x0; x < x1; x++, i++) {
      const e = excess[i]!;
      if (e > 0) sums[row + cellOfX[x]!]! += e;
    }
  }
}

/** Each cell's mean excess over its frame pixels (width × height), 0-255 (255 at +15), into `bytes` (gw × gh). */
function cellBytes(
  sums: Float32Array,
  width: number,
  height: number,
  cell: number,
  gw: number,
  gh: number,
  bytes: Uint8Array,
): void {
  for (let gy = 0; gy < gh; gy++)
    for (let gx = 0; gx < gw; gx++) {
      const cells =
        (Math.min(width, (gx + 1) * cell) - gx * cell) * (Math.min(height, (gy + 1) * cell) - gy * cell);
      const g = gy * gw + gx;
      bytes[g] = Math.min(255, Math.round(((sums[g]! / Math.max(1, cells)) * 255) / 15));
    }
}
