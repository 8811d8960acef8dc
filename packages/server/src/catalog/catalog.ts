import type { AlgorithmInfo } from '../ports/analyzer.ts';

/** The one application Skinscope ships, with Haut's id so existing clients attach it unchanged. */
export const FACE_SKIN_METRICS_2 = {
  id: '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7',
  name: 'Face Skin Metrics 2.0',
  techName: 'face_skin_metrics_2.0',
  description:
    'Use this application to analyze the skin’s overall condition.<br>This app will check the selfie’s image quality and assess visual skin features, such as:<ol> <li>perceived age</li> <li>eye age</li> <li>skin tone</li> <li>eye bags</li> <li>uniformness</li> <li>redness</li> <li>wrinkles (deprecated)</li> <li>pores</li> <li>sagging (deprecated)</li> <li>acne</li> <li>pigmentation</li> <li>translucency</li> <li>hydration</li> <li>facial landmarks</li> <li>lines</li></ol>',
  imageType: 'selfie',
} as const;

export const FACE_DETECTOR = 'face_detector';

/**
 * Stable dictionary ids per algorithm tech name. Haut's documented ids are kept (face detector 40,
 * redness 30, lines 69); the others are Skinscope's and never change once published.
 */
const ALGORITHM_IDS: Record<string, number> = {
  redness: 30,
  face_detector: 40,
  quality: 41,
  facial_landmarks: 42,
  skin_tone: 43,
  age: 44,
  eye_age: 45,
  uniformness: 46,
  pigmentation: 47,
  pores: 48,
  acne: 49,
  wrinkles: 50,
  sagging: 51,
  eye_area_condition: 52,
  hydration: 53,
  translucency: 54,
  skin_type: 55,
  lines: 69,
};

/** The id of an algorithm: the table above, else a stable id from 1000 up derived from the name. */
export function algorithmId(techName: string): number {
  const known = ALGORITHM_IDS[techName];
  if (known !== undefined) return known;
  let h = 0;
  for (const ch of techName) h = (h * 31 + ch.charCodeAt(0)) % 9000;
  return 1000 + h;
}

/** `GET /api/v1/dicts/image_types/`: sides front = 1, right = 2, left = 3. */
export const IMAGE_TYPES = [
  {
    id: 1,
    name: 'Selfie',
    tech_name: 'selfie',
    sides: [
      { id: 1, name: 'Front', tech_name: 'front' },
      { id: 2, name: 'Right', tech_name: 'right' },
      { id: 3, name: 'Left', tech_name: 'left' },
    ],
    lights: [
      { id: 1, name: 'Regular', tech_name: 'regular' },
      { id: 2, name: 'Cross-polarized', tech_name: 'cross_polarized' },
      { id: 3, name: 'Parallel-polarized', tech_name: 'parallel_polarized' },
      { id: 4, name: 'UV', tech_name: 'uv' },
    ],
  },
] as const;

export const SIDE_IDS = [1, 2, 3] as const;
export const LIGHT_IDS = [1, 2, 3, 4] as const;
export const SIDE_NAMES = { 1: 'front', 2: 'right', 3: 'left' } as const;

/** One algorithm entry of `GET /api/v1/dicts/algorithms/`. */
export interface AlgorithmDictEntry {
  id: number;
  tech_name: string;
  algorithm_tech_name: string;
  version: string;
  name: string;
  description: string;
  areas: string[];
  mask_type: string;
  algorithm_family: { id: number; name: string; tech_name: string };
  application_id: string;
}

export function algorithmDict(algorithms: readonly AlgorithmInfo[]): AlgorithmDictEntry[] {
  return algorithms.map((a) => ({
    id: algorithmId(a.techName),
    tech_name: a.techName,
    algorithm_tech_name: a.techName,
    version: a.version,
    name: a.name,
    description: a.description,
    areas: [...a.areas],
    mask_type: a.maskType,
    algorithm_family: { id: algorithmId(a.techName), name: a.name, tech_name: a.familyTechName },
    application_id: FACE_SKIN_METRICS_2.id,
  }));
}
