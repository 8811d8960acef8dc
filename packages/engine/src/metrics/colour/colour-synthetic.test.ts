import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANCHORS, scoreLowerIsBetter } from '../../colour/calibration.ts';
import { pigmentLightnessSlopes, pigmentsOf } from '../../colour/pigment-separation.ts';
import { labelRegions, type Region, traceContour } from '../../colour/regions.ts';
import {
  labToLinearRgb,
  linearRgbToLab,
  linearToSrgb,
  SRGB_TO_LINEAR,
  srgbToLab,
} from '../../colour/srgb.ts';
import type { RgbImage } from '../../image/rgb-image.ts';
import { type AreaResult, isAlgorithmPayload } from '../../result/result-shape.ts';
import { mulberry32 } from '../../testing/inject-colour.ts';
import { evenImage, syntheticContext } from '../../testing/synthetic-context.ts';
import { pigmentationMetric } from './pigmentation.metric.ts';
import { rednessMetric } from './redness.metric.ts';
import { skinToneMetric } from './skin-tone.metric.ts';
import { deltaE2000, hueAngleOf, itaOf, monkTone } from './skin-tone-classes.ts';
import { MAX_SURROUND_COHERENCE, surroundCoherence } from './spots.ts';
import { uniformnessMetric } from './uniformness.metric.ts';

const PX_PER_MM = 4;
const SKIN: [number, number, number] = [214, 168, 140];

function metric(area: AreaResult[], areaName: string, techName: string): number {
  const a = area.find((r) => r.area_name === areaName);
  const m = a && [a.main_metric, ...a.sub_metrics].find((x) => x.tech_name === techName);
  assert.ok(m && typeof m.value === 'number', `${areaName}/${techName}`);
  return m.value as number;
}

/** 8-bit sRGB of a CIELAB colour (D65). */
function labToSrgb(L: number, a: number, b: number): [number, number, number] {
  const { r, g, b: blue } = labToLinearRgb({ L, a, b });
  return [linearToSrgb(r), linearToSrgb(g), linearToSrgb(blue)];
}

/** Multiplies linear RGB by exp(−density·v) inside a disk (sharp edge). */
function paintDisk(
  img: RgbImage,
  cx: number,
  cy: number,
  r: number,
  v: readonly number[],
  density: number,
): void {
  for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++)
    for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
      if (Math.hypot(x + 0.5 - cx, y + 0.5 - cy) > r) continue;
      const i = (y * img.width + x) * 3;
      for (let k = 0; k < 3; k++)
        img.data[i + k] = linearToSrgb(SRGB_TO_LINEAR[img.data[i + k]!]! * Math.exp(-density * v[k]!));
    }
}

const MELANIN_LIKE = [0.4143, 0.357, 0.8372] as const;
const HAEM_LIKE = [0.2988, 0.6838, 0.6657] as const;

describe('colour science', () => {
  it('gives ITA and hue angle of a patch of known Lab within 1 degree', () => {
    for (const [L, a, b] of [
      [75, 9, 14],
      [65, 12, 18],
      [52, 14, 22],
      [40, 13, 20],
      [28, 9, 12],
    ] as const) {
      // The patch's Lab is that of its 8-bit colour (rendering rounds the target slightly).
      const rgb = labToSrgb(L, a, b);
      const known = srgbToLab(...rgb);
      const ctx = syntheticContext(evenImage(120, 120, rgb, 1), PX_PER_MM);
      const out = skinToneMetric.compute(ctx);
      const ita = metric(out.area_results, 'face', 'ita');
      const hue = metric(out.area_results, 'face', 'hue_angle');
      const wantIta = itaOf(known);
      const wantHue = hueAngleOf(known);
      assert.ok(Math.abs(wantIta - itaOf({ L, a, b })) < 1.5, 'rendering keeps the patch near its target');
      assert.ok(Math.abs(ita - wantIta) <= 1, `ITA ${ita} vs ${wantIta} for Lab ${L},${a},${b}`);
      assert.ok(Math.abs(hue - wantHue) <= 1, `hue ${hue} vs ${wantHue} for Lab ${L},${a},${b}`);
    }
  });

  it('classifies ITA bands and says "Abnormal" when the light makes colour meaningless', () => {
    const cls = (rgb: [number, number, number]) =>
      skinToneMetric.compute(syntheticContext(evenImage(80, 80, rgb, 1), PX_PER_MM)).area_results[0]!
        .main_metric.value;
    assert.equal(cls(labToSrgb(75, 9, 14)), 'Very light');
    assert.equal(cls(labToSrgb(40, 13, 20)), 'Brown');
    assert.equal(cls([255, 255, 255]), 'Abnormal');
    assert.equal(cls([20, 18, 16]), 'Abnormal');
    assert.equal(cls(labToSrgb(60, -10, 20)), 'Abnormal');
  });

  it('separates melanin from haemoglobin and ignores shading (Tsumura)', () => {
    const lin = (c: number) => SRGB_TO_LINEAR[c]!;
    const base = pigmentsOf(lin(214), lin(168), lin(140));
    const shaded = pigmentsOf(lin(214) * 0.6, lin(168) * 0.6, lin(140) * 0.6);
    assert.ok(
      Math.abs(shaded.melanin - base.melanin) < 1e-6 &&
        Math.abs(shaded.haemoglobin - base.haemoglobin) < 1e-6,
    );
    const darken = (v: readonly number[]) =>
      pigmentsOf(
        lin(214) * Math.exp(-0.3 * v[0]!),
        lin(168) * Math.exp(-0.3 * v[1]!),
        lin(140) * Math.exp(-0.3 * v[2]!),
      );
    const brown = darken(MELANIN_LIKE);
    const red = darken(HAEM_LIKE);
    assert.ok(
      Math.abs(brown.melanin - base.melanin - 0.3) < 1e-6 &&
        Math.abs(brown.haemoglobin - base.haemoglobin) < 1e-6,
    );
    assert.ok(
      Math.abs(red.haemoglobin - base.haemoglobin - 0.3) < 1e-6 &&
        Math.abs(red.melanin - base.melanin) < 1e-6,
    );
  });

  it('inverts CIELAB and gives the lightness a pigment change makes at a given colour', () => {
    for (const lab of [
      { L: 75, a: 8, b: 14 },
      { L: 55, a: 13, b: 20 },
      { L: 30, a: 12, b: 18 },
    ]) {
      const c = labToLinearRgb(lab);
      const back = linearRgbToLab(c.r, c.g, c.b);
      assert.ok(Math.abs(back.L - lab.L) + Math.abs(back.a - lab.a) + Math.abs(back.b - lab.b) < 1e-4);
      const slopes = pigmentLightnessSlopes(lab);
      const step = 0.02;
      const lightnessAfter = (v: readonly number[]) =>
        linearRgbToLab(
          c.r * Math.exp(-step * v[0]!),
          c.g * Math.exp(-step * v[1]!),
          c.b * Math.exp(-step * v[2]!),
        ).L;
      const byMelanin = (lightnessAfter(MELANIN_LIKE) - lab.L) / step;
      const byHaemoglobin = (lightnessAfter(HAEM_LIKE) - lab.L) / step;
      assert.ok(slopes.melanin < 0 && slopes.haemoglobin < 0);
      assert.ok(
        Math.abs(byMelanin - slopes.melanin) < 0.02 * -slopes.melanin,
        `${byMelanin} ${slopes.melanin}`,
      );
      assert.ok(Math.abs(byHaemoglobin - slopes.haemoglobin) < 0.02 * -slopes.haemoglobin);
    }
  });

  it('matches CIEDE2000 reference pairs and finds Monk tones', () => {
    // Sharma, Wu & Dalal (2005) test data, pairs 1 and 17.
    assert.ok(
      Math.abs(deltaE2000({ L: 50, a: 2.6772, b: -79.7751 }, { L: 50, a: 0, b: -82.7485 }) - 2.0425) < 1e-4,
    );
    assert.ok(Math.abs(deltaE2000({ L: 50, a: 2.5, b: 0 }, { L: 56, a: -27, b: -3 }) - 31.903) < 1e-3);
    assert.equal(monkTone(srgbToLab(0xf6, 0xed, 0xe4)), 1);
    assert.equal(monkTone(srgbToLab(0x29, 0x24, 0x20)), 10);
  });

  it('maps raw to score monotonically through the calibration anchors', () => {
    const a = ANCHORS.rednessGlobal;
    assert.equal(Math.round(scoreLowerIsBetter(a.typical, a)), 80);
    assert.equal(Math.round(scoreLowerIsBetter(a.poor, a)), 50);
    assert.equal(Math.round(scoreLowerIsBetter(a.good, a)), 95);
    let last = 101;
    for (let raw = a.good - 2; raw < a.poor + 3; raw += 0.05) {
      const s = scoreLowerIsBetter(raw, a);
      assert.ok(s <= last && s >= 0 && s <= 100);
      last = s;
    }
  });

  it('traces region contours', () => {
    const w = 12;
    const h = 10;
    const on = new Uint8Array(w * h);
    for (let y = 2; y < 7; y++) for (let x = 3; x < 9; x++) on[y * w + x] = 1;
    const labelling = labelRegions(on, w, h);
    assert.equal(labelling.regions.length, 1);
    assert.deepEqual(traceContour(labelling, labelling.regions[0]!, w, h), [
      [3, 2],
      [8, 2],
      [8, 6],
      [3, 6],
    ]);
  });
});

describe('colour metrics on synthetic images', () => {
  it('finds N dark spots of known size on an even background, with their sizes', () => {
    const img = evenImage(400, 300, SKIN, 3);
    const rand = mulberry32(3);
    const diametersMm = [1.5, 2, 2.5, 3, 3.5, 4, 5, 6];
    const placed: { x: number; y: number; d: number }[] = [];
    for (const d of diametersMm) {
      let x = 0;
      let y = 0;
      do {
        x = 40 + rand() * 320;
        y = 40 + rand() * 220;
      } while (placed.some((p) => Math.hypot(p.x - x, p.y - y) < 60));
      placed.push({ x, y, d });
      paintDisk(img, x, y, (d / 2) * PX_PER_MM, MELANIN_LIKE, 0.8);
    }
    const out = pigmentationMetric.compute(syntheticContext(img, PX_PER_MM));
    assert.equal(metric(out.area_results, 'face', 'number_of_regions'), diametersMm.length);
    const features = out.masks!.features;
    assert.equal(features.length, diametersMm.length);
    for (const p of placed) {
      const f = features.find((feature) => {
        const ring = (feature.geometry as { coordinates: [number, number][][] }).coordinates[0]!;
        const cx = ring.reduce((s, q) => s + q[0], 0) / ring.length;
        const cy = ring.reduce((s, q) => s + q[1], 0) / ring.length;
        return Math.hypot(cx - p.x, cy - p.y) < (p.d / 2) * PX_PER_MM + 2;
      });
      assert.ok(f, `spot of ${p.d} mm at ${p.x.toFixed(0)},${p.y.toFixed(0)} found`);
      const want = (Math.PI * p.d * p.d) / 4;
      const got = f.properties.area_mm2 as number;
      assert.ok(
        Math.abs(got - want) <= Math.max(0.6, 0.2 * want),
        `spot of ${p.d} mm: ${got} mm² vs ${want.toFixed(1)}`,
      );
    }
    const plain = pigmentationMetric.compute(syntheticContext(evenImage(400, 300, SKIN, 3), PX_PER_MM));
    assert.equal(metric(plain.area_results, 'face', 'number_of_regions'), 0);
    assert.ok(
      metric(out.area_results, 'face', 'pigmentation_score') <
        metric(plain.area_results, 'face', 'pigmentation_score'),
    );
  });

  it('does not count a thin crease at any angle as a spot, but keeps an oval one', () => {
    const img = evenImage(400, 300, SKIN, 3);
    // A 1 mm wide, 10 mm long diagonal crease (a line of small disks) and a 3 × 2 mm oval.
    for (let t = 0; t <= 1; t += 0.02)
      paintDisk(img, 80 + t * 7 * PX_PER_MM, 80 + t * 7 * PX_PER_MM, 0.5 * PX_PER_MM, MELANIN_LIKE, 0.06);
    for (let dx = -1; dx <= 1; dx += 0.5)
      paintDisk(img, 280 + dx * PX_PER_MM, 200, 1 * PX_PER_MM, MELANIN_LIKE, 0.3);
    const out = pigmentationMetric.compute(syntheticContext(img, PX_PER_MM));
    const centres = out.masks!.features.map((feature) => {
      const ring = (feature.geometry as { coordinates: [number, number][][] }).coordinates[0]!;
      return [
        ring.reduce((s, q) => s + q[0], 0) / ring.length,
        ring.reduce((s, q) => s + q[1], 0) / ring.length,
      ];
    });
    assert.equal(centres.length, 1, `found ${JSON.stringify(centres)}`);
    assert.ok(Math.hypot(centres[0]![0]! - 280, centres[0]![1]! - 200) < 4);
  });

  it('reads the orientation coherence around a spot: high among parallel strands, low on isotropic skin', () => {
    const w = 61;
    const region = { label: 1, cx: 30, cy: 30 } as Region;
    const labels = new Int32Array(w * w);
    const skin = new Uint8Array(w * w).fill(1);
    const rand = mulberry32(3);
    const strands = new Float32Array(w * w);
    const noise = new Float32Array(w * w);
    const disc = new Float32Array(w * w);
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        strands[i] = 3 * Math.sin((2 * Math.PI * (x + 0.3 * y)) / 7);
        noise[i] = 3 * (rand() - 0.5);
        disc[i] = Math.hypot(x - 30, y - 30) < 5 ? -5 : 0;
        if (Math.hypot(x - 30, y - 30) < 4) labels[i] = 1;
      }
    const coherence = (L: Float32Array) => surroundCoherence(L, skin, labels, region, w, w, 12, 1);
    assert.ok(coherence(strands) > 0.9, `strands ${coherence(strands)}`);
    assert.ok(coherence(noise) < 0.2, `noise ${coherence(noise)}`);
    assert.ok(coherence(disc) < 0.1, `disc ${coherence(disc)}`);
    assert.ok(MAX_SURROUND_COHERENCE > 0.5 && MAX_SURROUND_COHERENCE < 0.9);
  });

  it('tells a dark round mole from a pale spot', () => {
    const img = evenImage(300, 200, SKIN, 2);
    paintDisk(img, 80, 100, 1.5 * PX_PER_MM, MELANIN_LIKE, 3);
    paintDisk(img, 220, 100, 2 * PX_PER_MM, MELANIN_LIKE, 0.5);
    const out = pigmentationMetric.compute(syntheticContext(img, PX_PER_MM));
    const ailab = (
      out.raw as {
        ailab: {
          mole: { rectangle: { left: number }[]; confidence: number[] };
          skin_spot: { rectangle: { left: number }[]; confidence: number[] };
        };
      }
    ).ailab;
    assert.equal(ailab.mole.rectangle.length, 1);
    assert.ok(Math.abs(ailab.mole.rectangle[0]!.left - 74) < 3);
    assert.equal(ailab.skin_spot.rectangle.length, 1);
    for (const c of [...ailab.mole.confidence, ...ailab.skin_spot.confidence])
      assert.ok(c > 0 && c <= 0.95, `${c}`);
    assert.ok(ailab.mole.confidence[0]! > ailab.skin_spot.confidence[0]!, 'the darker mole is the surer box');
  });

  it('raises local redness for a red patch', () => {
    const plain = evenImage(300, 240, SKIN, 2);
    const red = evenImage(300, 240, SKIN, 2);
    paintDisk(red, 150, 120, 8 * PX_PER_MM, HAEM_LIKE, 1);
    const p = rednessMetric.compute(syntheticContext(plain, PX_PER_MM));
    const r = rednessMetric.compute(syntheticContext(red, PX_PER_MM));
    const localP = metric(p.area_results, 'face', 'redness_local_score');
    const localR = metric(r.area_results, 'face', 'redness_local_score');
    assert.ok(localR < localP - 10, `local redness score ${localP} → ${localR}`);
    assert.ok(r.masks!.features.length >= 1, 'the red patch is in the heatmap');
    const ring = (r.masks!.features[0]!.geometry as { coordinates: [number, number][][] }).coordinates[0]!;
    const cx = ring.reduce((s, q) => s + q[0], 0) / ring.length;
    assert.ok(Math.abs(cx - 150) < 8, 'the heatmap sits on the patch');
  });

  it('lowers uniformness for stronger blotches', () => {
    const scores: number[] = [];
    for (let grade = 0; grade <= 4; grade++) {
      const img = evenImage(320, 320, SKIN, 2);
      const rand = mulberry32(9);
      for (let k = 0; k < 30; k++) {
        const v = k % 2 ? HAEM_LIKE : MELANIN_LIKE;
        paintDisk(img, 30 + rand() * 260, 30 + rand() * 260, (3 + 3 * rand()) * PX_PER_MM, v, 0.3 * grade);
      }
      scores.push(
        metric(
          uniformnessMetric.compute(syntheticContext(img, PX_PER_MM)).area_results,
          'face',
          'uniformness_score',
        ),
      );
    }
    assert.ok(scores[1]! <= scores[0]!, `uniformness by grade: ${scores}`);
    for (let g = 2; g < scores.length; g++)
      assert.ok(scores[g]! < scores[g - 1]!, `uniformness by grade: ${scores}`);
  });
});

void isAlgorithmPayload;
