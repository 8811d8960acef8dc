import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Analysis } from '../../analysis.ts';
import type { Engine } from '../../analyze.ts';
import { metricOf, testEngine } from '../../testing/engine-fixture.ts';
import { portraitPath } from '../../testing/faces.ts';

/**
 * Repeatability of the colour metrics: the same photo at three sizes (pipeline noise only) and
 * the eight same-session photos of one person (expression, pose and light change between them).
 * Each test prints the spread (max − min) of ITA and of every face-level score.
 */
const COLOUR = ['skin_tone', 'redness', 'uniformness', 'pigmentation', 'eye_area_condition', 'translucency'];
const FACE_SCORES: [string, string][] = [
  ['redness', 'redness_score'],
  ['uniformness', 'uniformness_score'],
  ['pigmentation', 'pigmentation_score'],
  ['eye_area_condition', 'dark_circles_score'],
  ['translucency', 'translucency_score'],
];

let engine: Engine;
before(async () => {
  engine = await testEngine();
});

async function analyseAll(photos: Uint8Array[]): Promise<Analysis[]> {
  const out: Analysis[] = [];
  for (const bytes of photos) out.push(await engine.analyze(bytes, { algorithms: COLOUR, restored: false }));
  return out;
}

function spreads(analyses: Analysis[]): Record<string, { spread: number; values: number[] }> {
  const out: Record<string, { spread: number; values: number[] }> = {};
  for (const [alg, metric] of [['skin_tone', 'ita'], ...FACE_SCORES] as [string, string][]) {
    const values: number[] = [];
    for (const a of analyses) {
      try {
        values.push(metricOf(a, alg, metric));
      } catch {
        // not assessable at this size: left out of the spread
      }
    }
    if (values.length >= 2) out[metric] = { spread: Math.max(...values) - Math.min(...values), values };
  }
  return out;
}

function report(label: string, s: Record<string, { spread: number; values: number[] }>): void {
  const lines = Object.entries(s).map(
    ([k, v]) => `  ${k.padEnd(20)} spread ${v.spread.toFixed(1).padStart(5)}  [${v.values.join(', ')}]`,
  );
  console.log(`${label}\n${lines.join('\n')}`);
}

describe('colour metric repeatability', () => {
  it('the same photo at three sizes: ITA within 2°, scores within 5 points', async () => {
    const sizes = ['480p', '720p', '1080p'].map((s) => portraitPath(`ageitgey__examples_obama-${s}.jpg`));
    const obama = spreads(await analyseAll(await Promise.all(sizes.map((p) => readFile(p)))));
    report('obama 480p / 720p / 1080p', obama);
    const studio: Record<string, { spread: number; values: number[] }>[] = [];
    // a-8: a plain frontal portrait; a-1: hands in the hair, whose strands at the temples blur into
    // dark blobs at the smaller sizes (they read as spots before hair fragments were told apart).
    for (const frame of ['a-8', 'a-1']) {
      const original = await readFile(portraitPath(`vladmandic__samples_in_stock-emotions-${frame}.jpg`));
      const width = (await sharp(original).metadata()).width!;
      const resized = await Promise.all(
        [1, 0.8, 0.62].map(
          async (f) =>
            new Uint8Array(
              await sharp(original)
                .resize({ width: Math.round(width * f) })
                .jpeg({ quality: 92 })
                .toBuffer(),
            ),
        ),
      );
      const s = spreads(await analyseAll(resized));
      report(`emotions-${frame} at 100 / 80 / 62% of ${width} px wide`, s);
      assert.ok(s.pigmentation_score, `pigmentation is assessable at all three sizes of ${frame}`);
      studio.push(s);
    }
    for (const s of [obama, ...studio]) {
      assert.ok(s.ita!.spread <= 2, `ITA spread ${s.ita!.spread}`);
      for (const [, metric] of FACE_SCORES)
        if (s[metric]) assert.ok(s[metric].spread <= 5, `${metric} spread ${s[metric].spread}`);
    }
  });

  it('the eight same-session photos of one person (measured; see the issue note for the bounds reached)', async () => {
    for (const series of ['a', 'b']) {
      const names = [1, 2, 3, 4, 5, 6, 7, 8].map((i) =>
        portraitPath(`vladmandic__samples_in_stock-emotions-${series}-${i}.jpg`),
      );
      const s = spreads(await analyseAll(await Promise.all(names.map((p) => readFile(p)))));
      report(`emotions-${series}-1..8`, s);
      // Expression, head turn, hands on the face and (series b) a low side light that falls
      // differently on every frame change these photos; the bounds are what the method reaches
      // today (ITA 4.8° / 15.1°, scores ≤ 15 / 17 points), kept as regression guards, not the
      // 2° / 5-point target.
      assert.ok(s.ita!.spread <= 16, `ITA spread ${s.ita!.spread}`);
      assert.ok(s.redness_score!.spread <= 5, `redness spread ${s.redness_score!.spread}`);
      for (const [, metric] of FACE_SCORES)
        if (s[metric]) assert.ok(s[metric].spread <= 18, `${metric} spread ${s[metric].spread}`);
    }
  });
});
