/**
 * Skin tone against a known change of lightness: each INJECT_PHOTOS portrait darkened by scaling
 * every pixel's linear RGB by 1, 0.9, 0.8, 0.7 and 0.6 (chromaticity kept, nothing clips; a shift of
 * L* at constant a*, b* pushes saturated skin out of the sRGB gamut, and the clipping changes b*).
 * The expected ITA of a darkened photo follows from the engine's own reading of the original: its
 * `lab_l`, `lab_a`, `lab_b` taken to linear RGB, scaled by the same factor and back to CIELAB
 * (colour/srgb.ts). Reported per grade: the mean expected ΔL*, mean |measured − expected ITA|
 * (degrees) and the measured share of the expected change of ITA.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import {
  labToLinearRgb,
  linearRgbToLab,
  linearToSrgb,
  SRGB_TO_LINEAR,
} from '../../packages/engine/src/colour/srgb.ts';
import type { EnginePool } from '../../packages/engine/src/index.ts';
import { portraitPath } from '../../packages/engine/src/testing/faces.ts';
import { INJECT_PHOTOS } from './inject.ts';
import { analyzeAll } from './pool.ts';
import { mean, numericValues } from './values.ts';

/** Factors on linear RGB. */
export const TONE_DARKENING = [1, 0.9, 0.8, 0.7, 0.6];

export interface ToneRow {
  /** Factor on linear RGB. */
  factor: number;
  /** Mean expected change of L*. */
  delta_l: number;
  photos: number;
  /** Mean |measured − expected| ITA, degrees. */
  ita_error: number;
  /** Mean measured ΔITA / expected ΔITA (1 = follows the change fully). */
  change_ratio: number;
}

const ita = (L: number, b: number) => (Math.atan((L - 50) / b) * 180) / Math.PI;

/** Scales every pixel's linear RGB by `factor` (≤ 1). */
export function darkenLinear(data: Uint8Array, factor: number): Uint8Array {
  const lut = Array.from({ length: 256 }, (_, v) => linearToSrgb(SRGB_TO_LINEAR[v]! * factor));
  return Uint8Array.from(data, (v) => lut[v]!);
}

/** The CIELAB colour `lab` with its linear RGB scaled by `factor`. */
function scaledLab(lab: { L: number; a: number; b: number }, factor: number) {
  const rgb = labToLinearRgb(lab);
  return linearRgbToLab(rgb.r * factor, rgb.g * factor, rgb.b * factor);
}

export async function evalTone(pool: EnginePool): Promise<ToneRow[]> {
  const inputs: Buffer[] = [];
  for (const name of INJECT_PHOTOS) {
    const { data, info } = await sharp(await readFile(portraitPath(name)))
      .autoOrient()
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (const f of TONE_DARKENING)
      inputs.push(
        await sharp(darkenLinear(new Uint8Array(data), f), {
          raw: { width: info.width, height: info.height, channels: 3 },
        })
          .jpeg({ quality: 95 })
          .toBuffer(),
      );
  }
  const analyses = await analyzeAll(pool, inputs, { algorithms: ['skin_tone'] });
  const values = analyses.map((a) => (a ? numericValues(a) : null));
  const get = (p: number, g: number, k: string) =>
    values[p * TONE_DARKENING.length + g]?.get(`skin_tone/face/${k}`);
  return TONE_DARKENING.map((factor, g) => {
    const errors: number[] = [];
    const ratios: number[] = [];
    const dLs: number[] = [];
    INJECT_PHOTOS.forEach((_, p) => {
      const L = get(p, 0, 'lab_l');
      const a = get(p, 0, 'lab_a');
      const b = get(p, 0, 'lab_b');
      const ita0 = get(p, 0, 'ita');
      const measured = get(p, g, 'ita');
      if ([L, a, b, ita0, measured].some((v) => v === undefined)) return;
      const lab = scaledLab({ L: L!, a: a!, b: b! }, factor);
      const expected = ita(lab.L, lab.b);
      dLs.push(lab.L - L!);
      errors.push(Math.abs(measured! - expected));
      if (factor !== 1) ratios.push((measured! - ita0!) / (expected - ita(L!, b!)));
    });
    return {
      factor,
      delta_l: mean(dLs),
      photos: errors.length,
      ita_error: mean(errors),
      change_ratio: mean(ratios),
    };
  });
}
