/**
 * sRGB and CIELAB conversions (D65, 2° observer). Formulas: IEC 61966-2-1 transfer function and the
 * Lindbloom sRGB→XYZ matrix; CIE 1976 L*a*b* with ε = 216/24389, κ = 24389/27
 * (skin-metrics-methods.md §0).
 */

/** Linear value (0-1) of each 8-bit sRGB code. */
export const SRGB_TO_LINEAR: Float32Array = (() => {
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) {
    const c = v / 255;
    lut[v] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  return lut;
})();

export const D65_WHITE = { x: 0.95047, y: 1, z: 1.08883 } as const;

const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

function labF(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

export interface Lab {
  L: number;
  a: number;
  b: number;
}

/** CIELAB of a linear-RGB triple (each 0-1). */
export function linearRgbToLab(r: number, g: number, b: number): Lab {
  const x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = 0.0193339 * r + 0.119192 * g + 0.9503041 * b;
  const fx = labF(x / D65_WHITE.x);
  const fy = labF(y / D65_WHITE.y);
  const fz = labF(z / D65_WHITE.z);
  return { L: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz) };
}

/** Linear RGB (0-1, not clamped) of a CIELAB colour: the inverse of linearRgbToLab. */
export function labToLinearRgb(lab: Lab): { r: number; g: number; b: number } {
  const fy = (lab.L + 16) / 116;
  const fx = fy + lab.a / 500;
  const fz = fy - lab.b / 200;
  const inverse = (t: number) => (t ** 3 > EPSILON ? t ** 3 : (116 * t - 16) / KAPPA);
  const x = inverse(fx) * D65_WHITE.x;
  const y = inverse(fy) * D65_WHITE.y;
  const z = inverse(fz) * D65_WHITE.z;
  return {
    r: 3.2404542 * x - 1.5371385 * y - 0.4985314 * z,
    g: -0.969266 * x + 1.8760108 * y + 0.041556 * z,
    b: 0.0556434 * x - 0.2040259 * y + 1.0572252 * z,
  };
}

/** CIELAB of an 8-bit sRGB triple. */
export function srgbToLab(r: number, g: number, b: number): Lab {
  return linearRgbToLab(SRGB_TO_LINEAR[r]!, SRGB_TO_LINEAR[g]!, SRGB_TO_LINEAR[b]!);
}

/** Relative luminance Y (0-1) of an 8-bit sRGB triple. */
export function srgbLuminance(r: number, g: number, b: number): number {
  return 0.2126729 * SRGB_TO_LINEAR[r]! + 0.7151522 * SRGB_TO_LINEAR[g]! + 0.072175 * SRGB_TO_LINEAR[b]!;
}

/** Inverse of the transfer function: 8-bit sRGB code of a linear value (clamped). */
export function linearToSrgb(v: number): number {
  const c = v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
  return Math.max(0, Math.min(255, Math.round(c * 255)));
}
