/**
 * Tsumura's pigment separation (JOSA A 1999;16:2169; SIGGRAPH 2003; skin-metrics-methods.md §0).
 * Skin colour is modelled as melanin, haemoglobin and shading acting linearly in optical density
 * D = −ln(linear RGB). Solving D = m·melanin + h·haemoglobin + s·shading with s = (1, 1, 1) is the
 * oblique projection of D along the shading direction onto the melanin-haemoglobin plane,
 * followed by unmixing: shading (overall intensity, including soft shadows) drops out.
 *
 * Pigment vectors (RGB density order) from the Tsumura-lab code (kinemasa/imageSensing
 * funcSkinSeparation2.py). That code mixes BGR and RGB; the RGB reading is the physical one:
 * melanin absorbs most in blue, haemoglobin in green and blue, both least in red.
 * Units are relative densities: only differences within a face (and against population norms
 * taken with the same code) are meaningful.
 */

import { type Lab, labToLinearRgb } from './srgb.ts';

export const MELANIN_VECTOR = [0.4143, 0.357, 0.8372] as const;
export const HAEMOGLOBIN_VECTOR = [0.2988, 0.6838, 0.6657] as const;
export const SHADING_VECTOR = [1, 1, 1] as const;

/** Rows of the inverse of [melanin haemoglobin shading] (columns): coefficient = row · D. */
export const UNMIX: { melanin: [number, number, number]; haemoglobin: [number, number, number] } = (() => {
  const m = MELANIN_VECTOR;
  const h = HAEMOGLOBIN_VECTOR;
  const s = SHADING_VECTOR;
  // Columns c0 = m, c1 = h, c2 = s; inverse rows are cross products over the determinant.
  const cross = (u: readonly number[], v: readonly number[]): [number, number, number] => [
    u[1]! * v[2]! - u[2]! * v[1]!,
    u[2]! * v[0]! - u[0]! * v[2]!,
    u[0]! * v[1]! - u[1]! * v[0]!,
  ];
  const hs = cross(h, s);
  const sm = cross(s, m);
  const det = m[0] * hs[0] + m[1] * hs[1] + m[2] * hs[2];
  return {
    melanin: [hs[0] / det, hs[1] / det, hs[2] / det],
    haemoglobin: [sm[0] / det, sm[1] / det, sm[2] / det],
  };
})();

/**
 * How much CIELAB L* changes per unit of melanin and of haemoglobin density at a given skin
 * colour (both negative: pigment darkens), with shading held fixed: the linearisation of
 * L*(exp(−D)) around the colour, D moved along the pigment vectors. Linear channel c scales by
 * exp(−Δ·σc), so dY/dΔ = −Σ w_c σc C_c (w the luminance row of the sRGB matrix) and
 * the slope of L* in Y is 116 f'(Y), f' = Y^(−2/3) / 3 above ε (κ/116 below). Used to express pigment
 * deviations as the lightness differences they make, free of shading (Tsumura 2003 removes the
 * shading component the same way to re-render a face).
 */
export function pigmentLightnessSlopes(lab: Lab): { melanin: number; haemoglobin: number } {
  const { r, g, b } = labToLinearRgb(lab);
  const channels = [Math.max(r, 0), Math.max(g, 0), Math.max(b, 0)];
  const luminanceRow = [0.2126729, 0.7151522, 0.072175];
  const y = Math.max(
    1e-6,
    channels.reduce((s, c, k) => s + luminanceRow[k]! * c, 0),
  );
  const dLdY = y > 216 / 24389 ? (116 / 3) * y ** (-2 / 3) : 24389 / 27;
  const slope = (vector: readonly number[]) =>
    -dLdY * channels.reduce((s, c, k) => s + luminanceRow[k]! * vector[k]! * c, 0);
  return { melanin: slope(MELANIN_VECTOR), haemoglobin: slope(HAEMOGLOBIN_VECTOR) };
}

/** Smallest linear value used in the density (avoids −ln 0 on black pixels). */
export const DENSITY_FLOOR = 1e-3;

/** Melanin and haemoglobin densities of one linear-RGB triple. */
export function pigmentsOf(r: number, g: number, b: number): { melanin: number; haemoglobin: number } {
  const dr = -Math.log(Math.max(r, DENSITY_FLOOR));
  const dg = -Math.log(Math.max(g, DENSITY_FLOOR));
  const db = -Math.log(Math.max(b, DENSITY_FLOOR));
  const M = UNMIX.melanin;
  const H = UNMIX.haemoglobin;
  return {
    melanin: M[0] * dr + M[1] * dg + M[2] * db,
    haemoglobin: H[0] * dr + H[1] * dg + H[2] * db,
  };
}
