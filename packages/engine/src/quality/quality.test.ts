import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Analysis } from '../analysis.ts';
import type { Engine } from '../analyze.ts';
import { metricOf, payloadOf, testEngine } from '../testing/engine-fixture.ts';
import { portraitPath } from '../testing/faces.ts';

let engine: Engine;
let original: Buffer;
let baseline: Analysis;

before(async () => {
  engine = await testEngine();
  original = await readFile(portraitPath('ageitgey__examples_obama.jpg'));
  baseline = await engine.analyze(original, { algorithms: ['quality'] });
});

const score = (a: Analysis, name: string) => metricOf(a, 'quality', name);
const problems = (a: Analysis) => {
  const p = payloadOf(a, 'quality').area_results[0]!.sub_metrics.find((m) => m.tech_name === 'problems')!;
  return (p.widget_meta as { problems: string[] }).problems;
};

async function analyse(bytes: Buffer): Promise<Analysis> {
  return engine.analyze(bytes, { algorithms: ['quality'] });
}

/** Multiplies each pixel by a horizontal ramp from 1 at column x0 to `dim` at column x1 (clamped outside). */
async function sideLight(bytes: Buffer, x0: number, x1: number, dim: number): Promise<Buffer> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const t = Math.max(0, Math.min(1, (x - x0) / (x1 - x0)));
      const k = 1 + (dim - 1) * t;
      const i = (y * info.width + x) * 3;
      for (let c = 0; c < 3; c++) data[i + c] = Math.min(255, data[i + c]! * k);
    }
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

describe('quality', () => {
  it('scores a good studio portrait high with no problems', () => {
    assert.ok(score(baseline, 'image_quality_score') >= 80);
    assert.deepEqual(problems(baseline), []);
  });

  it('finds blur, more with a stronger blur', async () => {
    const mild = await analyse(await sharp(original).blur(1.5).jpeg().toBuffer());
    const strong = await analyse(await sharp(original).blur(4).jpeg().toBuffer());
    assert.ok(score(mild, 'blur_score') < score(baseline, 'blur_score'));
    assert.ok(score(strong, 'blur_score') < score(mild, 'blur_score'));
    assert.ok(problems(strong).includes('blurry'), problems(strong).join());
  });

  it('finds under-exposure in a darkened photo', async () => {
    const dark = await analyse(await sharp(original).linear(0.18, 0).jpeg().toBuffer());
    assert.ok(score(dark, 'underexposure_score') < 40, String(score(dark, 'underexposure_score')));
    assert.ok(problems(dark).includes('underexposed'));
    assert.ok(score(dark, 'overexposure_score') >= 90);
  });

  it('finds over-exposure in a brightened photo', async () => {
    const bright = await analyse(await sharp(original).linear(2.2, 0).jpeg().toBuffer());
    assert.ok(score(bright, 'overexposure_score') < 40, String(score(bright, 'overexposure_score')));
    assert.ok(problems(bright).includes('overexposed'));
  });

  it('finds uneven light when the face is lit from one side', async () => {
    const lit = await analyse(await sideLight(original, 330, 650, 0.25));
    assert.ok(score(lit, 'light_uniformity_score') < 50, String(score(lit, 'light_uniformity_score')));
    assert.ok(problems(lit).includes('uneven_light'));
  });

  it('finds a colour cast', async () => {
    const blue = await analyse(await sharp(original).linear([0.65, 0.85, 1.5], [0, 0, 0]).jpeg().toBuffer());
    assert.ok(score(blue, 'colour_cast_score') < 40, String(score(blue, 'colour_cast_score')));
    assert.ok(problems(blue).includes('colour_cast'));
  });

  it('finds an occluded face (dark hair over the forehead and one eye)', async () => {
    const fringe = await sharp({ create: { width: 360, height: 150, channels: 3, background: '#1a1410' } })
      .png()
      .toBuffer();
    const lock = await sharp({ create: { width: 90, height: 260, channels: 3, background: '#1a1410' } })
      .png()
      .toBuffer();
    const covered = await analyse(
      await sharp(original)
        .composite([
          { input: fringe, left: 310, top: 60 },
          { input: lock, left: 560, top: 200 },
        ])
        .jpeg()
        .toBuffer(),
    );
    assert.ok(
      score(covered, 'occlusion_score') < score(baseline, 'occlusion_score') - 30,
      String(score(covered, 'occlusion_score')),
    );
  });

  it('finds a face too small and a turned head', async () => {
    const small = await analyse(await readFile(portraitPath('ageitgey__examples_obama-240p.jpg')));
    assert.ok(problems(small).includes('face_too_small'));
    const turned = await analyse(await readFile(portraitPath('person-lauren.jpg')));
    assert.ok(problems(turned).includes('head_pose'));
  });
});
