import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Engine } from '../../analyze.ts';
import { createEngine } from '../../analyze.ts';
import { FaceModels } from '../../face/face-models.ts';
import { landmarkPoint } from '../../geometry/face-geometry.ts';
import { metricOf, payloadOf } from '../../testing/engine-fixture.ts';
import { portraitPath } from '../../testing/faces.ts';
import { locateFace } from '../../testing/inject-texture.ts';
import { ailabEyePouch, eyeBagsScoreOf, grooveScoreOf } from './eye-bags.ts';

let faces: FaceModels;
let engine: Engine;
before(async () => {
  faces = await FaceModels.load();
  engine = createEngine({ faces });
});

describe('eye bags', () => {
  it('maps raw to score monotonically and gives the AILab view', () => {
    assert.ok(eyeBagsScoreOf(0) === 100 && eyeBagsScoreOf(2) > eyeBagsScoreOf(8));
    assert.ok(grooveScoreOf(5) > grooveScoreOf(20));
    assert.equal(ailabEyePouch(90).eye_pouch.value, 0);
    assert.equal(ailabEyePouch(30).eye_pouch.value, 1);
    assert.equal(ailabEyePouch(30).eye_pouch_severity.value, 1);
    assert.equal(ailabEyePouch(null).eye_pouch.value, null);
  });

  it('a bright band over a dark crease under both eyes lowers eyes_bags_score', async () => {
    const name = 'vladmandic__samples_in_stock-emotions-a-3.jpg';
    const bytes = await readFile(portraitPath(name));
    const { face, toOriginal } = await locateFace(faces, bytes);
    const { data, info } = await sharp(bytes)
      .rotate()
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const ppm = face.pxPerMm * toOriginal;
    for (const lid of [145, 374]) {
      const [lx, ly] = landmarkPoint(face.landmarks, lid).map((v) => v * toOriginal) as [number, number];
      for (let y = Math.floor(ly); y < ly + 14 * ppm; y++)
        for (let x = Math.floor(lx - 13 * ppm); x < lx + 13 * ppm; x++) {
          const mm = (y - ly) / ppm;
          const fade = Math.min(1, Math.max(0, (13 - Math.abs(x - lx) / ppm) / 3));
          const gain = mm > 1.5 && mm < 7 ? 1 + 0.12 * Math.sin(((mm - 1.5) / 5.5) * Math.PI) : 1;
          const crease = 1 - 0.18 * Math.exp(-((mm - 8.5) ** 2) / 1.5);
          const f = 1 + (gain * crease - 1) * fade;
          const j = (y * info.width + x) * 3;
          for (let c = 0; c < 3; c++) data[j + c] = Math.min(255, Math.round(data[j + c]! * f));
        }
    }
    const puffy = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
      .png()
      .toBuffer();
    const before = await engine.analyze(bytes, { algorithms: ['eye_area_condition'], restored: false });
    const after = await engine.analyze(puffy, { algorithms: ['eye_area_condition'], restored: false });
    const s0 = metricOf(before, 'eye_area_condition', 'eyes_bags_score');
    const s1 = metricOf(after, 'eye_area_condition', 'eyes_bags_score');
    assert.ok(s1 < s0 - 15, `eyes_bags_score ${s0} → ${s1}`);
    const g0 = metricOf(before, 'eye_area_condition', 'lacrimal_groove_score');
    const g1 = metricOf(after, 'eye_area_condition', 'lacrimal_groove_score');
    assert.ok(g1 < g0, `lacrimal_groove_score ${g0} → ${g1}`);
    const raw = payloadOf(after, 'eye_area_condition').raw as {
      eye_bags: { ailab: Record<string, { value: unknown }> };
    };
    assert.equal(raw.eye_bags.ailab.left_eyelids!.value, null);
  });

  it('answers "eye closed" for the under-eye of a closed or squeezed eye, and measures open ones', async () => {
    const closed = await engine.analyze(
      await readFile(portraitPath('vladmandic__samples_in_stock-emotions-b-1.jpg')),
      { algorithms: ['eye_area_condition'], restored: false },
    );
    const reasons = payloadOf(closed, 'eye_area_condition').not_assessable_areas ?? [];
    for (const side of ['left_eye_area', 'right_eye_area'])
      assert.ok(
        reasons.some((r) => r.area_name === side && r.reason === 'eye_closed'),
        `${side}: ${JSON.stringify(reasons)}`,
      );
    const open = await engine.analyze(
      await readFile(portraitPath('vladmandic__samples_in_stock-emotions-a-1.jpg')),
      { algorithms: ['eye_area_condition'], restored: false },
    );
    for (const side of ['left_eye_area', 'right_eye_area'])
      assert.ok(metricOf(open, 'eye_area_condition', 'dark_circles_score', side) > 0);
  });
});
