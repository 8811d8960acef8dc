import { type Lab, srgbToLab } from '../../colour/srgb.ts';

/**
 * Skin-tone classes from CIELAB (skin-metrics-methods.md §0, §13).
 * ITA° = atan2(L* − 50, b*)·180/π; hue angle h_ab = atan2(b*, a*) in [0, 360).
 */
export function itaOf(lab: Lab): number {
  return (Math.atan2(lab.L - 50, lab.b) * 180) / Math.PI;
}

export function hueAngleOf(lab: Lab): number {
  const h = (Math.atan2(lab.b, lab.a) * 180) / Math.PI;
  return h < 0 ? h + 360 : h;
}

export const SKINTONE_CLASSES = ['Very light', 'Light', 'Intermediate', 'Tan', 'Brown', 'Dark'] as const;
export type SkintoneClass = (typeof SKINTONE_CLASSES)[number] | 'Abnormal';

/** Chardon 1991 / Del Bino 2006 ITA bands: > 55, 41-55, 28-41, 10-28, −30-10, < −30. */
export function itaClass(ita: number): (typeof SKINTONE_CLASSES)[number] {
  if (ita > 55) return 'Very light';
  if (ita > 41) return 'Light';
  if (ita > 28) return 'Intermediate';
  if (ita > 10) return 'Tan';
  if (ita > -30) return 'Brown';
  return 'Dark';
}

/** AILab `skintone_ita.skintone` (seed 004): 0 very light (> 56) … 5 dark (≤ 10); 6 abnormal. */
export function ailabItaClass(ita: number, abnormal: boolean): number {
  if (abnormal || !Number.isFinite(ita)) return 6;
  if (ita > 56) return 0;
  if (ita > 43) return 1;
  if (ita > 36) return 2;
  if (ita > 20) return 3;
  if (ita > 10) return 4;
  return 5;
}

/** AILab `skin_hue_ha.skintone` (seed 004): 0 yellowish (49-90), 1 neutral (46-49), 2 reddish (10-46), 3 abnormal. */
export function ailabHueClass(ha: number, abnormal: boolean): number {
  if (abnormal || !(ha >= 10 && ha <= 90)) return 3;
  if (ha > 49) return 0;
  if (ha >= 46) return 1;
  return 2;
}

/** Monk Skin Tone swatches MST 1-10 (sRGB hex, cavac.at Monk Skin Tone Scale). */
export const MONK_HEX = [
  '#f6ede4',
  '#f3e7db',
  '#f7ead0',
  '#eadaba',
  '#d7bd96',
  '#a07e56',
  '#825c43',
  '#604134',
  '#3a312a',
  '#292420',
] as const;

const MONK_LAB: Lab[] = MONK_HEX.map((hex) =>
  srgbToLab(
    Number.parseInt(hex.slice(1, 3), 16),
    Number.parseInt(hex.slice(3, 5), 16),
    Number.parseInt(hex.slice(5, 7), 16),
  ),
);

/** Monk tone 1-10: the swatch nearest in CIEDE2000. */
export function monkTone(lab: Lab): number {
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  MONK_LAB.forEach((m, i) => {
    const d = deltaE2000(lab, m);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best + 1;
}

/** CIEDE2000 colour difference (Sharma, Wu & Dalal 2005), kL = kC = kH = 1. */
export function deltaE2000(p: Lab, q: Lab): number {
  const rad = Math.PI / 180;
  const C1 = Math.hypot(p.a, p.b);
  const C2 = Math.hypot(q.a, q.b);
  const Cm = (C1 + C2) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cm ** 7 / (Cm ** 7 + 25 ** 7)));
  const a1 = (1 + G) * p.a;
  const a2 = (1 + G) * q.a;
  const c1 = Math.hypot(a1, p.b);
  const c2 = Math.hypot(a2, q.b);
  const hue = (b: number, a: number) => {
    if (a === 0 && b === 0) return 0;
    const h = Math.atan2(b, a) / rad;
    return h < 0 ? h + 360 : h;
  };
  const h1 = hue(p.b, a1);
  const h2 = hue(q.b, a2);
  const dL = q.L - p.L;
  const dC = c2 - c1;
  let dh = 0;
  if (c1 * c2 !== 0) {
    dh = h2 - h1;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  const dH = 2 * Math.sqrt(c1 * c2) * Math.sin((dh / 2) * rad);
  const Lm = (p.L + q.L) / 2;
  const cm = (c1 + c2) / 2;
  let hm = h1 + h2;
  if (c1 * c2 !== 0) {
    if (Math.abs(h1 - h2) <= 180) hm = (h1 + h2) / 2;
    else hm = h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
  }
  const T =
    1 -
    0.17 * Math.cos((hm - 30) * rad) +
    0.24 * Math.cos(2 * hm * rad) +
    0.32 * Math.cos((3 * hm + 6) * rad) -
    0.2 * Math.cos((4 * hm - 63) * rad);
  const dTheta = 30 * Math.exp(-(((hm - 275) / 25) ** 2));
  const Rc = 2 * Math.sqrt(cm ** 7 / (cm ** 7 + 25 ** 7));
  const Sl = 1 + (0.015 * (Lm - 50) ** 2) / Math.sqrt(20 + (Lm - 50) ** 2);
  const Sc = 1 + 0.045 * cm;
  const Sh = 1 + 0.015 * cm * T;
  const Rt = -Math.sin(2 * dTheta * rad) * Rc;
  return Math.sqrt((dL / Sl) ** 2 + (dC / Sc) ** 2 + (dH / Sh) ** 2 + Rt * (dC / Sc) * (dH / Sh));
}
