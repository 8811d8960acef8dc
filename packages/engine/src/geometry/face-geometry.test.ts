import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Engine } from '../analyze.ts';
import { FaceModels } from '../face/face-models.ts';
import { LEFT_BROW, RIGHT_BROW } from '../face/mesh-indices.ts';
import { decodeImage } from '../image/decode.ts';
import { lumaAt, type RgbImage } from '../image/rgb-image.ts';
import { metricOf, testEngine } from '../testing/engine-fixture.ts';
import { portraitPath, SINGLE_FACE_PORTRAITS } from '../testing/faces.ts';
import type { AreaName } from './areas.ts';
import { buildFaceGeometry, type FaceGeometry, landmarkPoint, scaleFromRulers } from './face-geometry.ts';
import { centroid, type Point, pointInPolygon } from './polygon.ts';
import { emptyMask, fillPolygon } from './raster.ts';

let models: FaceModels;
let engine: Engine;

before(async () => {
  models = await FaceModels.load();
  engine = await testEngine();
});

async function geometryOf(bytes: Uint8Array): Promise<FaceGeometry> {
  const decoded = await decodeImage(bytes);
  const [face] = await models.detect(decoded.rgb);
  assert.ok(face, 'a face is found');
  return buildFaceGeometry(face, decoded.rgb);
}

/** Coordinates in the face's own frame: x along the eye line (towards the subject's left), y down the face. */
function faceFrame(g: FaceGeometry): (p: Point) => Point {
  const ox = (g.rightEye[0] + g.leftEye[0]) / 2;
  const oy = (g.rightEye[1] + g.leftEye[1]) / 2;
  const a = Math.atan2(g.leftEye[1] - g.rightEye[1], g.leftEye[0] - g.rightEye[0]);
  return ([x, y]) => {
    const dx = x - ox;
    const dy = y - oy;
    return [dx * Math.cos(a) + dy * Math.sin(a), -dx * Math.sin(a) + dy * Math.cos(a)];
  };
}

/** Mean Rec. 601 luma of an image inside polygons. */
function meanLuma(rgb: RgbImage, polygons: Point[][]): number {
  const mask = emptyMask(rgb.width, rgb.height);
  for (const polygon of polygons) fillPolygon(mask, polygon);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) {
    if (!mask.data[i]) continue;
    sum += lumaAt(rgb.data, i * 3);
    n++;
  }
  return sum / n;
}

function assertAreasPlausible(g: FaceGeometry, label: string): void {
  const toFace = faceFrame(g);
  const c = (area: AreaName) => toFace(centroid(g.areas[area]));
  const eyesY = 0;
  const browTop = Math.min(...g.areas.forehead.map((p) => toFace(p)[1]));
  assert.ok(c('forehead')[1] < eyesY - 0.2 * g.ipdPx, `${label}: forehead above the eyes`);
  assert.ok(browTop < c('glabella')[1], `${label}: forehead reaches above the glabella`);
  for (const side of ['left', 'right'] as const) {
    const cheek = c(`${side}_cheek`);
    assert.ok(cheek[1] > eyesY + 0.15 * g.ipdPx, `${label}: ${side} cheek below the eyes`);
    assert.ok(
      Math.abs(cheek[0]) > Math.abs(c('nose')[0]) + 0.2 * g.ipdPx,
      `${label}: ${side} cheek beside the nose`,
    );
    assert.ok(c(`${side}_eye_area`)[1] > eyesY, `${label}: ${side} under-eye area below the eye line`);
  }
  assert.ok(c('left_cheek')[0] > 0 && c('right_cheek')[0] < 0, `${label}: cheeks not swapped`);
  assert.ok(c('left_eye_area')[0] > 0 && c('right_eye_area')[0] < 0, `${label}: eye areas not swapped`);
  assert.ok(c('left_crows_feet')[0] > c('left_eye_area')[0], `${label}: left crow's feet lateral to the eye`);
  assert.ok(
    c('right_crows_feet')[0] < c('right_eye_area')[0],
    `${label}: right crow's feet lateral to the eye`,
  );
  assert.ok(c('nasolabial_left')[0] > 0 && c('nasolabial_right')[0] < 0, `${label}: nasolabial sides`);
  assert.ok(c('chin')[1] > c('nose')[1], `${label}: chin below the nose`);
  const oval = g.areas.face;
  const farSide = Math.abs(g.pose.yaw) > 15 ? (g.pose.yaw > 0 ? 'right' : 'left') : null;
  for (const area of Object.keys(g.areas) as AreaName[]) {
    if (area === 'face' || area === 'left_crows_feet' || area === 'right_crows_feet') continue;
    if (farSide && area.includes(farSide)) continue;
    assert.ok(pointInPolygon(centroid(g.areas[area]), oval), `${label}: ${area} inside the face oval`);
  }
}

describe('px/mm from the rulers', () => {
  // A face at 3 px/mm: iris 11.7 mm, pupils 63 mm, outer eye corners 90 mm apart.
  const ipd = 63 * 3;
  const corners = 90 * 3;
  it('uses the iris when it agrees with the eye corners', () => {
    assert.equal(scaleFromRulers(ipd, 11.7 * 3.2, corners, 0), 3.2);
  });
  it('takes the median of the three when the iris under-reads', () => {
    assert.equal(scaleFromRulers(ipd, 11.7 * 2.2, corners, 0), 3);
  });
  it('corrects the eye-corner and pupil rulers for the turn, and drops an implausible iris', () => {
    const turned = Math.cos((30 * Math.PI) / 180);
    assert.ok(Math.abs(scaleFromRulers(ipd * turned, 11.7 * 2.2, corners * turned, 30) - 3) < 1e-9);
    assert.ok(Math.abs(scaleFromRulers(ipd, 5, corners, 0) - 3) < 1e-9);
  });
});

describe('face geometry', () => {
  it('puts every area on the right part of the face on every single-face portrait', async () => {
    for (const name of SINGLE_FACE_PORTRAITS) {
      assertAreasPlausible(await geometryOf(await readFile(portraitPath(name))), name);
    }
  });

  it('gives px/mm in proportion to the image size and stable quality across sizes', async () => {
    const sizes = [
      'ageitgey__examples_obama-720p.jpg',
      'ageitgey__examples_obama-1080p.jpg',
      'ageitgey__examples_obama.jpg',
    ];
    const analyses = await Promise.all(
      sizes.map(async (n) => engine.analyze(await readFile(portraitPath(n)))),
    );
    const perPixel = await Promise.all(
      sizes.map(async (n, i) => {
        const { height = 1 } = await sharp(portraitPath(n)).metadata();
        return metricOf(analyses[i]!, 'facial_landmarks', 'px_per_mm') / height;
      }),
    );
    const meanPerPixel = perPixel.reduce((s, v) => s + v, 0) / perPixel.length;
    for (const v of perPixel)
      assert.ok(
        Math.abs(v / meanPerPixel - 1) < 0.05,
        `px/mm per image row (the smaller sizes are the original scaled to that height and letterboxed) ${v} vs ${meanPerPixel}`,
      );
    for (const metric of [
      'blur_score',
      'underexposure_score',
      'overexposure_score',
      'light_uniformity_score',
      'colour_cast_score',
      'head_pose_score',
      'occlusion_score',
    ]) {
      const values = analyses.map((a) => metricOf(a, 'quality', metric));
      assert.ok(
        Math.max(...values) - Math.min(...values) <= 6,
        `${metric} across sizes: ${values.join(', ')}`,
      );
    }
  });

  it('fits the brows to the photo where the mesh leaves them below raised brows', async () => {
    // a-1 (hands pulling the forehead up) and a-3: the mesh's brows sit 3-5 mm under the hair.
    for (const name of [
      'vladmandic__samples_in_stock-emotions-a-1.jpg',
      'vladmandic__samples_in_stock-emotions-a-3.jpg',
    ]) {
      const decoded = await decodeImage(await readFile(portraitPath(name)));
      const [detected] = await models.detect(decoded.rgb);
      assert.ok(detected);
      const g = buildFaceGeometry(detected, decoded.rgb);
      const luma = (lm: Float32Array) =>
        meanLuma(
          decoded.rgb,
          [RIGHT_BROW, LEFT_BROW].map((ring) => ring.map((i) => landmarkPoint(lm, i))),
        );
      const mesh = luma(detected.landmarks);
      const fitted = luma(g.landmarks);
      assert.ok(fitted < 0.85 * mesh, `${name}: brow luma ${mesh.toFixed(0)} → ${fitted.toFixed(0)}`);
      assertAreasPlausible(g, name);
    }
  });

  it('handles EXIF rotation', async () => {
    const original = await readFile(portraitPath('ageitgey__examples_obama.jpg'));
    const upright = await geometryOf(original);
    const stored = await sharp(original)
      .rotate(-90)
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 92 })
      .toBuffer();
    const g = await geometryOf(stored);
    assert.ok(Math.abs(g.pose.roll - upright.pose.roll) < 3, `roll ${g.pose.roll} vs ${upright.pose.roll}`);
    assert.ok(Math.abs(g.ipdPx - upright.ipdPx) / upright.ipdPx < 0.05);
    assertAreasPlausible(g, 'EXIF-rotated');
  });

  it('measures an in-plane roll of 15-30 degrees and keeps the areas on the face', async () => {
    const original = await readFile(portraitPath('ageitgey__examples_obama.jpg'));
    const upright = await geometryOf(original);
    for (const angle of [15, 25, -30]) {
      const rolled = await sharp(original)
        .rotate(angle, { background: '#808080' })
        .jpeg({ quality: 92 })
        .toBuffer();
      const g = await geometryOf(rolled);
      assert.ok(Math.abs(g.pose.roll - upright.pose.roll - angle) < 4, `roll for ${angle}: ${g.pose.roll}`);
      assertAreasPlausible(g, `rolled ${angle}`);
    }
  });
});
