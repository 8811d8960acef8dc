import { type AlgorithmPayload, type AlgorithmResult, isAlgorithmPayload } from '@skinscope/engine';

/**
 * The AILabTools "skin analyze" view of one engine analysis (seed 004; research notes §3 and §6): a
 * mapping over the engine's results, most of it read from each algorithm's `raw.ailab`, never a
 * second measurement. Every key of the seed's `result` is always present. Where Skinscope cannot
 * assess a field (an algorithm not assessable at the photo's resolution, or eyelids, which it does
 * not measure), the entry is `{ value: null, confidence: 0 }`: a present key, no stand-in number.
 */

/** `{value, confidence}`: `value` an integer class of the field's documented range, or null with confidence 0. */
export interface AilabEntry {
  value: number | null;
  confidence: number;
}

export interface AilabRectangle {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** `rectangle` boxes in original-image pixels; `confidence` (0-1 per box) only with `return_rect_confidence=1`. */
export interface AilabRectangles {
  rectangle: AilabRectangle[];
  confidence?: number[];
}

export interface AilabFaceRectangle {
  top: number;
  left: number;
  width: number;
  height: number;
}

/** The `result` of "skin analyze advanced", without `face_maps` (rendered by `red-area-map.ts`). */
export interface AilabAdvancedResult {
  skin_color: AilabEntry;
  skintone_ita: { ITA: number | null; skintone: number };
  skin_hue_ha: { HA: number | null; skintone: number };
  skin_age: { value: number | null };
  left_eyelids: AilabEntry;
  right_eyelids: AilabEntry;
  eye_pouch: AilabEntry;
  eye_pouch_severity: AilabEntry;
  dark_circle: AilabEntry;
  forehead_wrinkle: AilabEntry;
  crows_feet: AilabEntry;
  eye_finelines: AilabEntry;
  glabella_wrinkle: AilabEntry;
  nasolabial_fold: AilabEntry;
  nasolabial_fold_severity: AilabEntry;
  skin_type: { skin_type: number | null; details: Record<'0' | '1' | '2' | '3', AilabEntry> };
  pores_forehead: AilabEntry;
  pores_left_cheek: AilabEntry;
  pores_right_cheek: AilabEntry;
  pores_jaw: AilabEntry;
  blackhead: AilabEntry;
  acne: AilabRectangles;
  mole: AilabRectangles;
  closed_comedones: AilabRectangles;
  skin_spot: AilabRectangles;
  sensitivity: { sensitivity_area: number | null; sensitivity_intensity: number | null };
}

/** The `result` of the basic "skin analyze" (Face++-style: every field a `{value, confidence}`). */
export interface AilabBasicResult {
  left_eyelids: AilabEntry;
  right_eyelids: AilabEntry;
  eye_pouch: AilabEntry;
  dark_circle: AilabEntry;
  forehead_wrinkle: AilabEntry;
  crows_feet: AilabEntry;
  eye_finelines: AilabEntry;
  glabella_wrinkle: AilabEntry;
  nasolabial_fold: AilabEntry;
  skin_type: AilabAdvancedResult['skin_type'];
  pores_forehead: AilabEntry;
  pores_left_cheek: AilabEntry;
  pores_right_cheek: AilabEntry;
  pores_jaw: AilabEntry;
  blackhead: AilabEntry;
  acne: AilabEntry;
  mole: AilabEntry;
  skin_spot: AilabEntry;
}

/** The coarse red-area grid of `redness` raw.ailab.red_area (box in original pixels, cells 0-255). */
export interface RedAreaGrid {
  box: AilabRectangle;
  grid_width: number;
  grid_height: number;
  intensity_base64: string;
}

export interface AilabView {
  face_rectangle: AilabFaceRectangle;
  /** `imporper_headpose` (the seed's spelling) when roll, yaw or pitch is outside [-45°, 45°]. */
  warning: string[];
  /** Quality problems of the engine's `quality` algorithm (for `face_quality_control=1`). */
  qualityProblems: string[];
  advanced: AilabAdvancedResult;
  basic: AilabBasicResult;
  redArea: RedAreaGrid | undefined;
}

/** The seed's head-pose limit of `imporper_headpose`, degrees. */
export const HEADPOSE_LIMIT_DEG = 45;

const NONE: AilabEntry = { value: null, confidence: 0 };

type Raw = Record<string, unknown>;

function payloadOf(results: readonly AlgorithmResult[], techName: string): AlgorithmPayload | undefined {
  const r = results.find((x) => x.algorithm_tech_name === techName);
  return r?.is_ok && isAlgorithmPayload(r.result) ? r.result : undefined;
}

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function ailabOf(payload: AlgorithmPayload | undefined, ...path: string[]): Raw {
  let node: unknown = payload?.raw;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return isObject(node) ? node : {};
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
const round2 = (v: number) => Math.round(v * 100) / 100;

/** A `{value, confidence}` entry from the engine, checked: an integer in [0, max] or null (confidence 0). */
function entry(node: unknown, max: number): AilabEntry {
  if (!isObject(node)) return { ...NONE };
  const value = node.value;
  const confidence = typeof node.confidence === 'number' ? round2(clamp01(node.confidence)) : 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) return { ...NONE };
  return { value, confidence };
}

function rectangles(node: unknown, withConfidence: boolean): AilabRectangles {
  const rects = isObject(node) && Array.isArray(node.rectangle) ? node.rectangle : [];
  const rectangle = rects.filter(isObject).map((r) => ({
    left: Number(r.left),
    top: Number(r.top),
    width: Number(r.width),
    height: Number(r.height),
  }));
  if (!withConfidence) return { rectangle };
  const given = isObject(node) && Array.isArray(node.confidence) ? node.confidence : [];
  return {
    rectangle,
    confidence: rectangle.map((_, i) => (typeof given[i] === 'number' ? round2(clamp01(given[i])) : 0)),
  };
}

/**
 * AILab `skin_color` (0 transparent white, 1 white, 2 natural, 3 wheat, 4 dark) from the face's ITA°
 * on the Chardon bands the engine's skin tone uses (> 55, 41-55, 28-41, 10-28, ≤ 10: brown and dark
 * merged). Confidence 0.5 at a band edge rising to 1 at 5° ITA inside the band (5° is about the
 * spread of ITA between phone photos of one face); null when the light makes colour meaningless.
 */
export function skinColorFromIta(ita: number | null, abnormal: boolean): AilabEntry {
  if (abnormal || ita === null || !Number.isFinite(ita)) return { ...NONE };
  const edges = [55, 41, 28, 10];
  const value = edges.findIndex((e) => ita > e);
  const cls = value === -1 ? 4 : value;
  const distance = Math.min(...edges.map((e) => Math.abs(ita - e)));
  return { value: cls, confidence: round2(0.5 + 0.5 * Math.min(1, distance / 5)) };
}

/**
 * AILab `dark_circle` from the per-eye types of `eye_area_condition` (raw.dark_circles.*.ailab_dark_circle):
 * the type of the darker eye (larger raw colour distance); confidence = share of assessed eyes of that type.
 */
function darkCircle(eyeArea: AlgorithmPayload | undefined): AilabEntry {
  const sides = Object.values(ailabOf(eyeArea, 'dark_circles')).filter(isObject);
  const assessed = sides.filter((s) => typeof s.ailab_dark_circle === 'number' && typeof s.raw === 'number');
  if (assessed.length === 0) return { ...NONE };
  const worst = assessed.reduce((a, b) => (Number(b.raw) > Number(a.raw) ? b : a));
  const value = Number(worst.ailab_dark_circle);
  const agree = assessed.filter((s) => s.ailab_dark_circle === value).length;
  return entry({ value, confidence: agree / assessed.length }, 3);
}

function presence(rects: AilabRectangles, confidences: number[] | undefined): AilabEntry {
  if (rects.rectangle.length === 0) return { value: 0, confidence: 1 };
  const best = confidences?.length ? Math.max(...confidences) : 1;
  return { value: 1, confidence: round2(best) };
}

function faceRectangle(results: readonly AlgorithmResult[]): AilabFaceRectangle | undefined {
  const face = payloadOf(results, 'face_detector');
  const box = face?.area_results[0]?.sub_metrics.find((m) => m.tech_name === 'face_box')?.widget_meta;
  if (!isObject(box)) return undefined;
  return {
    top: Number(box.y),
    left: Number(box.x),
    width: Number(box.width),
    height: Number(box.height),
  };
}

function qualityOf(results: readonly AlgorithmResult[]): { problems: string[]; pose: number[] } {
  const quality = payloadOf(results, 'quality');
  const meta = quality?.area_results[0]?.sub_metrics.find((m) => m.tech_name === 'problems')?.widget_meta;
  const problems = isObject(meta) && Array.isArray(meta.problems) ? meta.problems.map(String) : [];
  const raw = quality?.raw ?? {};
  const pose = ['yaw', 'pitch', 'roll'].map((k) => Number(raw[k])).filter(Number.isFinite);
  return { problems, pose };
}

/**
 * Builds the AILab view of an analysis; undefined when no face was found (the caller answers
 * `ERROR_NO_FACE_IN_FILE`). `withRectConfidence` adds the per-box `confidence` arrays.
 */
export function ailabView(
  results: readonly AlgorithmResult[],
  withRectConfidence: boolean,
): AilabView | undefined {
  const face_rectangle = faceRectangle(results);
  if (!face_rectangle) return undefined;
  const { problems, pose } = qualityOf(results);
  const warning = pose.some((a) => Math.abs(a) > HEADPOSE_LIMIT_DEG) ? ['imporper_headpose'] : [];

  const skinTone = payloadOf(results, 'skin_tone');
  const toneRaw = skinTone?.raw ?? {};
  const ita = ailabOf(skinTone, 'ailab', 'skintone_ita');
  const ha = ailabOf(skinTone, 'ailab', 'skin_hue_ha');
  const itaValue = typeof ita.ITA === 'number' && Math.abs(ita.ITA) <= 90 ? ita.ITA : null;
  const haValue = typeof ha.HA === 'number' && ha.HA >= 0 && ha.HA <= 90 ? ha.HA : null;
  const abnormal = !skinTone || toneRaw.abnormal === true;

  const ageValue = payloadOf(results, 'age')?.area_results[0]?.main_metric.value;
  const eyeArea = payloadOf(results, 'eye_area_condition');
  const bags = ailabOf(eyeArea, 'eye_bags', 'ailab');
  const lines = ailabOf(payloadOf(results, 'lines'), 'ailab');
  const pores = ailabOf(payloadOf(results, 'pores'), 'ailab');
  const acne = ailabOf(payloadOf(results, 'acne'), 'ailab');
  const pigmentation = ailabOf(payloadOf(results, 'pigmentation'), 'ailab');
  const redness = ailabOf(payloadOf(results, 'redness'), 'ailab');
  const skinType = ailabOf(payloadOf(results, 'skin_type'), 'ailab', 'skin_type');
  const details = isObject(skinType.details) ? skinType.details : {};
  const typeCode =
    typeof skinType.skin_type === 'number' && Number.isInteger(skinType.skin_type)
      ? skinType.skin_type
      : null;
  const sensitivity = isObject(redness.sensitivity) ? redness.sensitivity : {};
  const num01 = (v: unknown, max: number) => (typeof v === 'number' && v >= 0 && v <= max ? v : null);

  const acneRects = rectangles(acne.acne, true);
  const moleRects = rectangles(pigmentation.mole, true);
  const spotRects = rectangles(pigmentation.skin_spot, true);
  const comedoneRects = rectangles(acne.closed_comedones, true);
  const shown = (r: AilabRectangles): AilabRectangles =>
    withRectConfidence ? r : { rectangle: r.rectangle };

  const advanced: AilabAdvancedResult = {
    skin_color: skinColorFromIta(itaValue, abnormal),
    skintone_ita: {
      ITA: itaValue,
      skintone: typeof ita.skintone === 'number' && itaValue !== null ? ita.skintone : 6,
    },
    skin_hue_ha: {
      HA: haValue,
      skintone: typeof ha.skintone === 'number' && haValue !== null ? ha.skintone : 3,
    },
    skin_age: {
      value: typeof ageValue === 'number' ? Math.min(99, Math.max(0, Math.round(ageValue))) : null,
    },
    left_eyelids: entry(bags.left_eyelids, 2),
    right_eyelids: entry(bags.right_eyelids, 2),
    eye_pouch: entry(bags.eye_pouch, 1),
    eye_pouch_severity: entry(bags.eye_pouch_severity, 2),
    dark_circle: darkCircle(eyeArea),
    forehead_wrinkle: entry(lines.forehead_wrinkle, 1),
    crows_feet: entry(lines.crows_feet, 1),
    eye_finelines: entry(lines.eye_finelines, 1),
    glabella_wrinkle: entry(lines.glabella_wrinkle, 1),
    nasolabial_fold: entry(lines.nasolabial_fold, 1),
    nasolabial_fold_severity: entry(lines.nasolabial_fold_severity, 2),
    skin_type: {
      skin_type: typeCode !== null && typeCode >= 0 && typeCode <= 3 ? typeCode : null,
      details: {
        '0': entry(details['0'], 1),
        '1': entry(details['1'], 1),
        '2': entry(details['2'], 1),
        '3': entry(details['3'], 1),
      },
    },
    pores_forehead: entry(pores.pores_forehead, 1),
    pores_left_cheek: entry(pores.pores_left_cheek, 1),
    pores_right_cheek: entry(pores.pores_right_cheek, 1),
    pores_jaw: entry(pores.pores_jaw, 1),
    blackhead: entry(acne.blackhead, 3),
    acne: shown(acneRects),
    mole: shown(moleRects),
    closed_comedones: shown(comedoneRects),
    skin_spot: shown(spotRects),
    sensitivity: {
      sensitivity_area: num01(sensitivity.sensitivity_area, 1),
      sensitivity_intensity: num01(sensitivity.sensitivity_intensity, 100),
    },
  };
  const assessedRects = (payload: AlgorithmPayload | undefined, r: AilabRectangles) =>
    payload ? presence(r, r.confidence) : { ...NONE };
  const acnePayload = payloadOf(results, 'acne');
  const pigmentationPayload = payloadOf(results, 'pigmentation');
  const basic: AilabBasicResult = {
    left_eyelids: advanced.left_eyelids,
    right_eyelids: advanced.right_eyelids,
    eye_pouch: advanced.eye_pouch,
    dark_circle: advanced.dark_circle,
    forehead_wrinkle: advanced.forehead_wrinkle,
    crows_feet: advanced.crows_feet,
    eye_finelines: advanced.eye_finelines,
    glabella_wrinkle: advanced.glabella_wrinkle,
    nasolabial_fold: advanced.nasolabial_fold,
    skin_type: advanced.skin_type,
    pores_forehead: advanced.pores_forehead,
    pores_left_cheek: advanced.pores_left_cheek,
    pores_right_cheek: advanced.pores_right_cheek,
    pores_jaw: advanced.pores_jaw,
    blackhead: advanced.blackhead,
    acne: assessedRects(acnePayload, acneRects),
    mole: assessedRects(pigmentationPayload, moleRects),
    skin_spot: assessedRects(pigmentationPayload, spotRects),
  };
  const grid = redness.red_area;
  const redArea =
    isObject(grid) && isObject(grid.box) && typeof grid.intensity_base64 === 'string'
      ? (grid as unknown as RedAreaGrid)
      : undefined;
  return { face_rectangle, warning, qualityProblems: problems, advanced, basic, redArea };
}
