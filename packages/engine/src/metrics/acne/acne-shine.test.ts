import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Engine } from '../../analyze.ts';
import { createEngine } from '../../analyze.ts';
import { FaceModels } from '../../face/face-models.ts';
import { pointInPolygon } from '../../geometry/polygon.ts';
import { metricOf, payloadOf } from '../../testing/engine-fixture.ts';
import { portraitPath } from '../../testing/faces.ts';
import { injectRedPapules, type LocatedFace, locateFace } from '../../testing/inject-texture.ts';
import { ACNE_FULL_SCORE, acneScoreOf, weightedLesionCount } from './acne.metric.ts';
import type { Lesion } from './acne-detect.ts';

let faces: FaceModels;
let engine: Engine;
before(async () => {
  faces = await FaceModels.load();
  engine = createEngine({ faces });
});

const A1 = 'vladmandic__samples_in_stock-emotions-a-1.jpg';

/** Paints discs on a face (original pixels): `gains` multiply R, G, B at the centre, Gaussian edge. */
async function paintDiscs(
  bytes: Uint8Array,
  centres: [number, number][],
  radiusPx: number,
  gains: [number, number, number],
): Promise<Uint8Array> {
  const { data, info } = await sharp(bytes)
    .rotate()
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const s = radiusPx / 1.4;
  for (const [cx, cy] of centres) {
    for (let y = Math.floor(cy - 3 * s); y <= cy + 3 * s; y++)
      for (let x = Math.floor(cx - 3 * s); x <= cx + 3 * s; x++) {
        const w = Math.exp(-((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2) / (2 * s * s));
        const j = (y * info.width + x) * 3;
        for (let c = 0; c < 3; c++) data[j + c] = Math.round(data[j + c]! * (1 - (1 - gains[c]!) * w));
      }
  }
  return new Uint8Array(
    await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

/** Points on a grid inside the cheeks and forehead, 8 mm apart, in original pixels. */
function skinPoints(located: LocatedFace, n: number): [number, number][] {
  const k = located.toOriginal;
  const ppm = located.face.pxPerMm;
  const out: [number, number][] = [];
  for (const area of ['left_cheek', 'right_cheek', 'forehead'] as const) {
    const poly = located.face.areas[area];
    const xs = poly.map((p) => p[0]);
    const ys = poly.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    for (let y = y0 + 5 * ppm; y < y1 - 5 * ppm; y += 8 * ppm)
      for (let x = x0 + 5 * ppm; x < x1 - 5 * ppm; x += 8 * ppm)
        if (pointInPolygon([x, y], poly)) out.push([x * k, y * k]);
  }
  return out.slice(0, n);
}

describe('acne', () => {
  it('more red papules lower acne_score over five grades, and most are found', async () => {
    const bytes = await readFile(portraitPath(A1));
    const located = await locateFace(faces, bytes);
    const scores: number[] = [];
    for (let grade = 0; grade <= 4; grade++) {
      const injected = await injectRedPapules(bytes, located, grade);
      const a = await engine.analyze(injected.bytes, { algorithms: ['acne'], restored: false });
      scores.push(metricOf(a, 'acne', 'acne_score'));
      if (grade === 4) {
        const polys = payloadOf(a, 'acne').masks_original.features.map((f) => f.geometry);
        const centres = polys.map((g) => {
          const ring = (g as { coordinates: [number, number][][] }).coordinates[0]!;
          return [
            ring.reduce((s, p) => s + p[0], 0) / ring.length,
            ring.reduce((s, p) => s + p[1], 0) / ring.length,
          ];
        });
        const tol = 3 * (located.face.pxPerMm * located.toOriginal);
        const found = injected.positions.filter((p) =>
          centres.some((c) => Math.hypot(c[0]! - p[0], c[1]! - p[1]) < tol),
        ).length;
        assert.ok(found / injected.positions.length >= 0.7, `recall ${found}/${injected.positions.length}`);
      }
    }
    assert.ok(
      scores.every((v, i) => i === 0 || v < scores[i - 1]!),
      `acne_score by grade: ${scores}`,
    );
  });

  it('finds red papules as acne but not dark (brown) spots', async () => {
    const bytes = await readFile(portraitPath(A1));
    const located = await locateFace(faces, bytes);
    const points = skinPoints(located, 10);
    assert.ok(points.length >= 8);
    const r = 1.6 * located.face.pxPerMm * located.toOriginal;
    const base = await engine.analyze(bytes, { algorithms: ['acne'], restored: false });
    const n0 = metricOf(base, 'acne', 'number_of_regions');
    const red = await engine.analyze(await paintDiscs(bytes, points, r, [0.97, 0.78, 0.82]), {
      algorithms: ['acne'],
      restored: false,
    });
    const dark = await engine.analyze(await paintDiscs(bytes, points, r, [0.7, 0.68, 0.66]), {
      algorithms: ['acne'],
      restored: false,
    });
    const nRed = metricOf(red, 'acne', 'number_of_regions') - n0;
    const nDark = metricOf(dark, 'acne', 'number_of_regions') - n0;
    assert.ok(nRed >= 0.8 * points.length, `red papules found: ${nRed} of ${points.length}`);
    assert.ok(nDark <= 1, `dark spots taken for acne: ${nDark}`);
  });
});

describe('acne score weighting', () => {
  it('counts each lesion by its score above the detection floor, whole from ACNE_FULL_SCORE', () => {
    const at = (score: number): Lesion => ({
      x: 0,
      y: 0,
      radiusPx: 3,
      deltaA: 8,
      surroundDeltaA: 8,
      score,
      area: 'forehead',
    });
    assert.ok(ACNE_FULL_SCORE > 0);
    assert.equal(weightedLesionCount([at(0)]), 0);
    assert.equal(weightedLesionCount([at(ACNE_FULL_SCORE / 2)]), 0.5);
    assert.equal(weightedLesionCount([at(ACNE_FULL_SCORE), at(ACNE_FULL_SCORE + 7)]), 2);
    assert.equal(acneScoreOf(weightedLesionCount([at(0.05), at(0.1)])) > 99, true);
    assert.equal(Math.round(acneScoreOf(12)), 50);
  });
});

describe('shine', () => {
  it('specular highlights on forehead and nose raise T-zone shine and move the skin type towards oily', async () => {
    const bytes = await readFile(portraitPath(A1));
    const located = await locateFace(faces, bytes);
    const k = located.toOriginal;
    const mm = located.face.pxPerMm * k;
    const centre = (poly: [number, number][]) => [
      (poly.reduce((s, p) => s + p[0], 0) / poly.length) * k,
      (poly.reduce((s, p) => s + p[1], 0) / poly.length) * k,
    ];
    const { data, info } = await sharp(bytes)
      .rotate()
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    /** An elliptical highlight blended towards 250 (85% at its centre, fading to its rim). */
    const highlight = ([cx, cy]: number[], rx: number, ry: number) => {
      for (let y = Math.floor(cy! - ry); y <= cy! + ry; y++)
        for (let x = Math.floor(cx! - rx); x <= cx! + rx; x++) {
          const d = ((x - cx!) / rx) ** 2 + ((y - cy!) / ry) ** 2;
          if (d > 1) continue;
          const w = 0.85 * (1 - d);
          const j = (y * info.width + x) * 3;
          for (let c = 0; c < 3; c++) data[j + c] = Math.round(data[j + c]! * (1 - w) + 250 * w);
        }
    };
    highlight(centre(located.face.areas.forehead), 10 * mm, 5 * mm);
    highlight(centre(located.face.areas.nose), 3 * mm, 6 * mm);
    const shiny = new Uint8Array(
      await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
        .png()
        .toBuffer(),
    );
    const before = await engine.analyze(bytes, { algorithms: ['skin_type'], restored: false });
    const after = await engine.analyze(shiny, { algorithms: ['skin_type'], restored: false });
    const t0 = metricOf(before, 'skin_type', 'shine_t_zone');
    const t1 = metricOf(after, 'skin_type', 'shine_t_zone');
    assert.ok(t1 > t0 + 20, `T-zone shine ${t0} → ${t1}`);
    const oily = (a: typeof before) =>
      (payloadOf(a, 'skin_type').raw as { ailab: { skin_type: { details: { 0: { confidence: number } } } } })
        .ailab.skin_type.details[0].confidence;
    assert.ok(oily(after) > oily(before) + 0.25, `oily confidence ${oily(before)} → ${oily(after)}`);
    assert.ok(payloadOf(after, 'skin_type').masks_original.features.length > 0, 'heatmap of the highlight');
  });
});
