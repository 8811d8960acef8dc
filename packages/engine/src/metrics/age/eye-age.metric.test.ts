import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Analysis } from '../../analysis.ts';
import { createEngine, type Engine } from '../../analyze.ts';
import { AgeModel } from '../../face/age-model.ts';
import { FaceModels } from '../../face/face-models.ts';
import { type Point, pointInPolygon } from '../../geometry/polygon.ts';
import { metricOf, payloadOf } from '../../testing/engine-fixture.ts';
import { portraitPath } from '../../testing/faces.ts';
import { DARK_CIRCLE_NEUTRAL, eyeAgeOf, MAX_EYE_OFFSET, TEXTURE_REFERENCE } from './eye-age.metric.ts';

let engine: Engine;
let symmetric: Raw;
before(async () => {
  engine = createEngine({ faces: await FaceModels.load(), age: await AgeModel.load() });
  symmetric = await symmetricFace('vladmandic__samples_in_stock-emotions-a-1.jpg');
});

interface Raw {
  data: Buffer;
  width: number;
  height: number;
}

const OPTS = { algorithms: ['eye_age', 'facial_landmarks'], restored: false } as const;

const jpeg = (r: Raw) =>
  sharp(r.data, { raw: { width: r.width, height: r.height, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();

/** A portrait made exactly left-right symmetric: its image-left half mirrored about the midline between the pupils. */
async function symmetricFace(name: string): Promise<Raw> {
  const bytes = await readFile(portraitPath(name));
  const a = await engine.analyze(bytes, OPTS);
  const eyes = ['left', 'right'].map((s) => polygon(a, `${s}_eye_area`));
  const mid = (centreX(eyes[0]!) + centreX(eyes[1]!)) / 2;
  const { data, info } = await sharp(bytes)
    .autoOrient()
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const half = Math.floor(Math.min(mid, info.width - mid));
  const width = 2 * half;
  const x0 = Math.round(mid) - half;
  const out = Buffer.alloc(width * info.height * 3);
  for (let y = 0; y < info.height; y++)
    for (let x = 0; x < half; x++) {
      const src = (y * info.width + x0 + x) * 3;
      for (const dx of [x, width - 1 - x]) data.copy(out, (y * width + dx) * 3, src, src + 3);
    }
  return { data: out, width, height: info.height };
}

function polygon(a: Analysis, area: string): Point[] {
  const f = payloadOf(a, 'facial_landmarks').masks_original.features.find(
    (x) => x.properties.area_name === area,
  );
  if (f?.geometry.type !== 'Polygon') throw new Error(`no ${area}`);
  return f.geometry.coordinates[0] as Point[];
}

function centreX(poly: Point[]): number {
  return poly.reduce((s, p) => s + p[0], 0) / poly.length;
}

/** Applies `f(x, y, pixelOffset)` to every pixel inside the polygon. */
function edit(r: Raw, poly: Point[], f: (x: number, y: number, o: number, data: Buffer) => void): Raw {
  const data = Buffer.from(r.data);
  const xs = poly.map((p) => p[0]);
  const ys = poly.map((p) => p[1]);
  for (let y = Math.floor(Math.min(...ys)); y <= Math.ceil(Math.max(...ys)); y++)
    for (let x = Math.floor(Math.min(...xs)); x <= Math.ceil(Math.max(...xs)); x++)
      if (pointInPolygon([x + 0.5, y + 0.5], poly)) f(x, y, (y * r.width + x) * 3, data);
  return { ...r, data };
}

const eyeAges = (a: Analysis) => ({
  left: metricOf(a, 'eye_age', 'left_eye_age'),
  right: metricOf(a, 'eye_age', 'right_eye_age'),
  mean: metricOf(a, 'eye_age', 'eye_age'),
  age: (payloadOf(a, 'eye_age').raw as { perceived_age_years: number }).perceived_age_years,
});

describe('eye_age', () => {
  it('gives equal left and right eye ages on a symmetric face', async () => {
    const e = eyeAges(await engine.analyze(await jpeg(symmetric), OPTS));
    assert.ok(Math.abs(e.left - e.right) <= 1, `left ${e.left}, right ${e.right}`);
    assert.ok(Math.abs(e.mean - (e.left + e.right) / 2) <= 0.06);
  });

  it("raises only the darkened eye's age", async () => {
    const base = await engine.analyze(await jpeg(symmetric), OPTS);
    const darker = edit(symmetric, polygon(base, 'left_eye_area'), (_x, _y, o, d) => {
      for (let c = 0; c < 3; c++) d[o + c] = Math.round(d[o + c]! * 0.8);
    });
    const before = eyeAges(base);
    const after = eyeAges(await engine.analyze(await jpeg(darker), OPTS));
    // The darker eye also moves the perceived age a little; each eye's offset from it is what is per eye.
    const offset = (e: ReturnType<typeof eyeAges>, side: 'left' | 'right') => e[side] - e.age;
    assert.ok(offset(after, 'left') > offset(before, 'left') + 1, `left ${before.left} -> ${after.left}`);
    assert.ok(
      Math.abs(offset(after, 'right') - offset(before, 'right')) <= 1,
      `right offset ${offset(before, 'right')} -> ${offset(after, 'right')}`,
    );
    assert.ok(after.left > after.right + 1);
  });

  it("raises the age of the eye whose crow's feet get fine lines", async () => {
    const base = await engine.analyze(await jpeg(symmetric), OPTS);
    const lined = edit(symmetric, polygon(base, 'right_crows_feet'), (_x, y, o, d) => {
      if (y % 6 < 2) for (let c = 0; c < 3; c++) d[o + c] = Math.round(d[o + c]! * 0.75);
    });
    const before = eyeAges(base);
    const after = eyeAges(await engine.analyze(await jpeg(lined), OPTS));
    assert.ok(after.right > before.right + 0.5, `right ${before.right} -> ${after.right}`);
    assert.ok(Math.abs(after.left - before.left) <= 1, `left ${before.left} -> ${after.left}`);
  });

  it('follows perceived age one to one for given eye signs, within the bounded offset', () => {
    const measures = { darkness: 0.2, texture: TEXTURE_REFERENCE, pixels: 500 };
    const signs = { darkCircleScore: DARK_CIRCLE_NEUTRAL - 10, measures };
    assert.ok(Math.abs(eyeAgeOf(50, signs, 5) - 50 - (eyeAgeOf(30, signs, 5) - 30)) < 1e-9);
    assert.ok(eyeAgeOf(40, signs, 5) > 40);
    assert.equal(eyeAgeOf(40, { ...signs, darkCircleScore: -1000 }, 5), 40 + MAX_EYE_OFFSET);
    assert.equal(eyeAgeOf(40, { ...signs, darkCircleScore: DARK_CIRCLE_NEUTRAL }, 5), 40);
    assert.equal(eyeAgeOf(40, { darkCircleScore: null, measures: null }, 5), 40);
  });
});
