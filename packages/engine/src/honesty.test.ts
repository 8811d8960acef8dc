import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Analysis } from './analysis.ts';
import type { Engine } from './analyze.ts';
import { FaceModels } from './face/face-models.ts';
import type { AreaName } from './geometry/areas.ts';
import { emptyMask, fillPolygon, type Mask } from './geometry/raster.ts';
import type { RgbImage } from './image/rgb-image.ts';
import {
  type AlgorithmResult,
  isAlgorithmPayload,
  type MetricValue,
  type NotAssessableReason,
} from './result/result-shape.ts';
import { testEngine } from './testing/engine-fixture.ts';
import { portraitPath } from './testing/faces.ts';
import { encodePng, locateFace } from './testing/inject-colour.ts';

/**
 * Registry-driven honesty check: every registered metric runs on faces it cannot fully measure (a
 * face painted over, closed eyes, a 0.5 px/mm face, a blank image), and no number may appear without
 * an assessed area behind it:
 * - a value that was not measured is null with a reason of the result module's union;
 * - an area listed as not assessable carries no number;
 * - an area painted over carries no number in any metric;
 * - a metric whose every area was painted over reports no number for the face either;
 * - below a metric's scale the whole algorithm fails with `resolution`; with no face, all fail.
 */
const REASONS: readonly NotAssessableReason[] = [
  'resolution',
  'occluded',
  'eye_closed',
  'overexposed',
  'pose',
  'no_skin',
  'no_face',
  'failed',
];
/** Summary areas: they pool other areas rather than stand for skin of their own. */
const SUMMARY_AREAS = new Set(['face', 't_zone', 'u_zone']);
/** Painted over in the occluded face: everything but the eyes (a mask below, a hat above). */
const PAINTED: readonly AreaName[] = [
  'forehead',
  'glabella',
  'nose',
  'left_cheek',
  'right_cheek',
  'chin',
  'nasolabial_left',
  'nasolabial_right',
];

function isNumber(v: MetricValue['value']): v is number {
  return typeof v === 'number';
}

function valuesOf(result: AlgorithmResult): { area: string; value: MetricValue }[] {
  if (!isAlgorithmPayload(result.result)) return [];
  return result.result.area_results.flatMap((a) =>
    [a.main_metric, ...a.sub_metrics].map((value) => ({ area: a.area_name, value })),
  );
}

/** The invariants that hold for any photo; returns the violations. */
function honestyViolations(analysis: Analysis): string[] {
  const out: string[] = [];
  for (const r of analysis.results) {
    const name = r.algorithm_tech_name;
    if (!isAlgorithmPayload(r.result)) {
      if (!r.result.error_code) out.push(`${name}: failure without an error code`);
      continue;
    }
    const notAssessable = new Set((r.result.not_assessable_areas ?? []).map((n) => n.area_name));
    for (const n of r.result.not_assessable_areas ?? [])
      if (!REASONS.includes(n.reason))
        out.push(`${name}/${n.area_name}: reason "${n.reason}" not in the union`);
    for (const { area, value } of valuesOf(r)) {
      if (value.value === null) {
        // A null is either not measured (with a reason of the union) or carries its content in
        // widget_meta (the face box, an empty problem list).
        const reason = value.widget_meta?.reason as NotAssessableReason | undefined;
        if (!value.widget_meta || (reason !== undefined && !REASONS.includes(reason)))
          out.push(`${name}/${area}/${value.tech_name}: null without a reason`);
      } else if (isNumber(value.value) && !Number.isFinite(value.value)) {
        out.push(`${name}/${area}/${value.tech_name}: non-finite ${value.value}`);
      } else if (isNumber(value.value) && notAssessable.has(area)) {
        out.push(`${name}/${area}/${value.tech_name}: ${value.value} in an area listed as not assessable`);
      }
    }
  }
  return out;
}

/** The painted-over pixels of the areas' polygons (a near-black mask and hat: no white balance turns it into skin). */
function paintMask(image: RgbImage, polygons: Record<AreaName, [number, number][]>): Mask {
  const mask = emptyMask(image.width, image.height);
  for (const area of PAINTED) fillPolygon(mask, polygons[area]);
  return mask;
}

function painted(image: RgbImage, mask: Mask): RgbImage {
  const data = new Uint8Array(image.data);
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) data.fill(25, 3 * i, 3 * i + 3);
  return { data, width: image.width, height: image.height };
}

/**
 * Areas of the analysed photo (the polygons the engine itself used, from `facial_landmarks`) that
 * are at least HIDDEN_SHARE painted over: well past MAX_OCCLUDED, whatever the skin mask adds.
 */
const HIDDEN_SHARE = 0.6;
function hiddenAreas(analysis: Analysis, mask: Mask): Set<string> {
  const landmarks = analysis.results.find((r) => r.algorithm_tech_name === 'facial_landmarks')!;
  assert.ok(isAlgorithmPayload(landmarks.result));
  const hidden = new Set<string>();
  for (const f of landmarks.result.masks_original.features) {
    if (f.geometry.type !== 'Polygon' || typeof f.properties.area_name !== 'string') continue;
    const poly = emptyMask(mask.width, mask.height);
    fillPolygon(poly, f.geometry.coordinates[0]!);
    let inside = 0;
    let covered = 0;
    for (let i = 0; i < poly.data.length; i++) {
      inside += poly.data[i]!;
      covered += poly.data[i]! & mask.data[i]!;
    }
    if (inside > 0 && covered / inside >= HIDDEN_SHARE) hidden.add(f.properties.area_name);
  }
  return hidden;
}

describe('honesty: no number without an assessed area behind it', () => {
  let engine: Engine;
  let models: FaceModels;
  before(async () => {
    models = await FaceModels.load();
    engine = await testEngine();
  });

  it('a face painted over below the eyes and on the forehead', async () => {
    const bytes = await readFile(portraitPath('ageitgey__examples_obama.jpg'));
    const { image, layout } = await locateFace(models, bytes);
    const mask = paintMask(image, layout.areas);
    const analysis = await engine.analyze(await encodePng(painted(image, mask)));
    assert.ok(analysis.faceCount > 0, 'the painted face is still found');
    const hidden = hiddenAreas(analysis, mask);
    assert.ok(hidden.size >= 4, `areas hidden: ${[...hidden].join(', ')}`);
    const violations = honestyViolations(analysis);
    for (const r of analysis.results) {
      const metric = engine.registry.get(r.algorithm_tech_name)!;
      const own = metric.areas.filter((a) => !SUMMARY_AREAS.has(a));
      const allHidden = own.length > 0 && own.every((a) => hidden.has(a));
      for (const { area, value } of valuesOf(r)) {
        if (!isNumber(value.value)) continue;
        if (hidden.has(area))
          violations.push(
            `${r.algorithm_tech_name}/${area}/${value.tech_name}: ${value.value} on hidden skin`,
          );
        if (allHidden && SUMMARY_AREAS.has(area))
          violations.push(
            `${r.algorithm_tech_name}/${area}/${value.tech_name}: ${value.value}, every area hidden`,
          );
      }
    }
    assert.deepEqual(violations, []);
  });

  it('closed eyes: no eye-area number for either eye', async () => {
    const analysis = await engine.analyze(
      await readFile(portraitPath('vladmandic__samples_in_stock-emotions-b-1.jpg')),
    );
    const violations = honestyViolations(analysis);
    for (const r of analysis.results)
      for (const { area, value } of valuesOf(r))
        if (isNumber(value.value) && /_eye_area$/.test(area) && r.algorithm_tech_name !== 'lines')
          violations.push(
            `${r.algorithm_tech_name}/${area}/${value.tech_name}: ${value.value} under a closed eye`,
          );
    for (const tech of ['eye_age', 'eye_area_condition']) {
      const r = analysis.results.find((x) => x.algorithm_tech_name === tech)!;
      assert.ok(isAlgorithmPayload(r.result), tech);
      const face = r.result.area_results.find((a) => a.area_name === 'face');
      assert.ok(!face || !isNumber(face.main_metric.value), `${tech}: no face value from closed eyes`);
    }
    assert.deepEqual(violations, []);
  });

  it('a face at 0.5 px/mm', async () => {
    const bytes = await readFile(portraitPath('ageitgey__examples_obama.jpg'));
    const { image, layout } = await locateFace(models, bytes);
    const scale = 0.5 / layout.pxPerMm;
    const small = await sharp(Buffer.from(image.data), {
      raw: { width: image.width, height: image.height, channels: 3 },
    })
      .resize(Math.round(image.width * scale), Math.round(image.height * scale))
      .png()
      .toBuffer();
    const analysis = await engine.analyze(new Uint8Array(small));
    assert.ok(analysis.faceCount > 0, 'the small face is still found');
    const violations = honestyViolations(analysis);
    const landmarks = analysis.results.find((r) => r.algorithm_tech_name === 'facial_landmarks')!;
    assert.ok(isAlgorithmPayload(landmarks.result));
    const pxPerMm = Number(
      valuesOf(landmarks).find((v) => v.value.tech_name === 'px_per_mm')?.value.value ?? Number.NaN,
    );
    assert.ok(pxPerMm > 0.4 && pxPerMm < 0.6, `px/mm ${pxPerMm}`);
    for (const r of analysis.results) {
      const metric = engine.registry.get(r.algorithm_tech_name)!;
      if (metric.minPxPerMm > pxPerMm) {
        const failed = !isAlgorithmPayload(r.result) && r.result.details?.reason === 'resolution';
        if (!failed)
          violations.push(`${r.algorithm_tech_name}: measured below its ${metric.minPxPerMm} px/mm`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it('a blank image: every algorithm fails with no_face, no number anywhere', async () => {
    const blank = await sharp({
      create: { width: 640, height: 480, channels: 3, background: { r: 128, g: 128, b: 128 } },
    })
      .png()
      .toBuffer();
    const analysis = await engine.analyze(new Uint8Array(blank));
    assert.equal(analysis.faceCount, 0);
    assert.equal(analysis.results.length, engine.registry.metrics.length);
    for (const r of analysis.results) {
      assert.equal(r.is_ok, false, r.algorithm_tech_name);
      assert.ok(!isAlgorithmPayload(r.result) && r.result.error_code === 'no_face');
    }
  });

  it('the checks see a stand-in number', () => {
    const analysis: Analysis = {
      image: { width: 1, height: 1, format: 'png' },
      faceCount: 1,
      timings: {},
      results: [
        {
          algorithm_family_tech_name: 'selfie_v2.x',
          algorithm_tech_name: 'x',
          algorithm_version: '1',
          is_ok: true,
          result: {
            area_results: [
              {
                area_name: 'chin',
                main_metric: {
                  value: 0,
                  widget_type: 'numeric',
                  name: 'X',
                  tech_name: 'x',
                  widget_meta: null,
                },
                sub_metrics: [
                  { value: null, widget_type: 'numeric', name: 'Y', tech_name: 'y', widget_meta: null },
                ],
              },
            ],
            masks_original: { mask_type: 'none', features: [] },
            masks_restored: { mask_type: 'none', features: [] },
            not_assessable_areas: [{ area_name: 'chin', reason: 'occluded' }],
          },
        },
      ],
    };
    assert.deepEqual(honestyViolations(analysis), [
      'x/chin/x: 0 in an area listed as not assessable',
      'x/chin/y: null without a reason',
    ]);
  });
});
