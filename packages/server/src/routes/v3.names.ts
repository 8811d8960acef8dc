/**
 * The one table from Skinscope's algorithms (v1 tech names) to the parameter names Haut.AI's v3
 * clients read in `face_skin_metrics_3.parameters.<name>`. Each Haut name takes one metric of one
 * algorithm: its main metric or one of its sub-metrics, read per area. README "Haut v3 names" shows
 * this table; change both together.
 *
 * `kind` says what `score` holds (always a number):
 * - `score`: the 0-100 score of a `bad_good_line` widget, higher is better; `tag` is its class
 *   (Excellent, Great, Good, Average, Poor, Bad);
 * - `years`: an age in years; `tag` is "<n> years";
 * - `class`: a category, `score` is its 1-based position in `classes`, `tag` is the category;
 * - `grade`: a grade 1 (none) to 4 (marked); `tag` is "Grade <n>";
 * - `count`: a number of findings (also in `amount`); `tag` is "<n> <unit>";
 * - `density`: length of lines per skin area, mm/cm² (lower is better); `tag` is "<n> mm/cm²";
 * - `degrees`: an angle in degrees (ITA°); `tag` is the skin tone class of the same area.
 */
export type V3Kind = 'score' | 'years' | 'class' | 'grade' | 'count' | 'density' | 'degrees';

export interface V3Parameter {
  /** Haut v3 parameter name. */
  name: string;
  /** Skinscope algorithm (`algorithm_tech_name`) the value comes from. */
  algorithm: string;
  /** Tech name of the metric: the algorithm's main metric or one of its sub-metrics. */
  metric: string;
  kind: V3Kind;
  /** What the number measures, for `score_description`. */
  description: string;
  /** Categories of a `class` parameter, in the order of their codes (1-based). */
  classes?: readonly string[];
  /** Unit of a `count` parameter's tag. */
  unit?: string;
  /** A key that repeats the number, as clients read it (`age.age`, `eyes_age.eyes_age`, `ita.ita`). */
  alias?: string;
}

/** Skin tone classes by ITA° (Chardon et al. 1991), as the engine's `skin_tone` names them. */
export const SKINTONE_CLASSES = ['Very light', 'Light', 'Intermediate', 'Tan', 'Brown', 'Dark'] as const;
/** Skin types in the order of AILabTools' `skin_type` codes (0 oily, 1 dry, 2 normal, 3 combination). */
export const SKIN_TYPE_CLASSES = ['oily', 'dry', 'normal', 'combination'] as const;

export const V3_PARAMETERS: readonly V3Parameter[] = [
  {
    name: 'lines',
    algorithm: 'lines',
    metric: 'lines_score',
    kind: 'score',
    description: 'lines and wrinkles score (higher: fewer, shorter, shallower lines)',
  },
  {
    name: 'deep_lines',
    algorithm: 'wrinkles',
    metric: 'deep_wrinkles_density',
    kind: 'density',
    description: 'deep lines: mm of line per cm² of skin (lower is better)',
  },
  {
    name: 'fine_lines',
    algorithm: 'wrinkles',
    metric: 'fine_wrinkles_density',
    kind: 'density',
    description: 'fine lines (ridge scale under 0.3 mm): mm of line per cm² of skin (lower is better)',
  },
  {
    name: 'pores',
    algorithm: 'pores',
    metric: 'pores_score',
    kind: 'score',
    description: 'pores score (higher: fewer large pores)',
  },
  {
    name: 'redness',
    algorithm: 'redness',
    metric: 'redness_score',
    kind: 'score',
    description: 'redness score (higher: less redness)',
  },
  {
    name: 'pigmentation',
    algorithm: 'pigmentation',
    metric: 'pigmentation_score',
    kind: 'score',
    description: 'pigmentation score (higher: fewer, fainter pigmented spots)',
  },
  {
    name: 'sun_spots',
    algorithm: 'pigmentation',
    metric: 'number_of_regions',
    kind: 'count',
    unit: 'spots',
    description: 'number of pigmented spots found',
  },
  {
    name: 'breakouts',
    algorithm: 'acne',
    metric: 'acne_score',
    kind: 'score',
    description: 'breakouts (acne) score (higher: fewer, less inflamed lesions)',
  },
  {
    name: 'sagging',
    algorithm: 'sagging',
    metric: 'sagging_score',
    kind: 'score',
    description: 'sagging score (higher: firmer contours)',
  },
  {
    name: 'jowls',
    algorithm: 'sagging',
    metric: 'jowls_grade',
    kind: 'grade',
    description: 'jowls grade from 1 (none) to 4 (marked)',
  },
  {
    name: 'dark_circles',
    algorithm: 'eye_area_condition',
    metric: 'dark_circles_score',
    kind: 'score',
    description: 'dark circles score (higher: lighter under-eye skin)',
  },
  {
    name: 'eye_bags',
    algorithm: 'eye_area_condition',
    metric: 'eyes_bags_score',
    kind: 'score',
    description: 'eye bags score (higher: less puffiness)',
  },
  {
    name: 'lacrimal_grooves',
    algorithm: 'eye_area_condition',
    metric: 'lacrimal_groove_score',
    kind: 'score',
    description: 'lacrimal (tear trough) grooves score (higher: shallower grooves)',
  },
  {
    name: 'uniformness',
    algorithm: 'uniformness',
    metric: 'uniformness_score',
    kind: 'score',
    description: 'skin tone evenness score (higher: more even)',
  },
  {
    name: 'hydration',
    algorithm: 'hydration',
    metric: 'hydration_score',
    kind: 'score',
    description:
      'hydration: never scored (a photo cannot measure it repeatably; not assessable, reason not_repeatable)',
  },
  {
    name: 'translucency',
    algorithm: 'translucency',
    metric: 'translucency_score',
    kind: 'score',
    description: 'translucency (radiance) score (higher: more radiant)',
  },
  {
    name: 'skin_type',
    algorithm: 'skin_type',
    metric: 'skin_type',
    kind: 'class',
    classes: SKIN_TYPE_CLASSES,
    alias: 'skin_type',
    description: 'skin type: 1 oily, 2 dry, 3 normal, 4 combination',
  },
  {
    name: 'skintone',
    algorithm: 'skin_tone',
    metric: 'skintone_class',
    kind: 'class',
    classes: SKINTONE_CLASSES,
    description: 'skin tone class: 1 very light, 2 light, 3 intermediate, 4 tan, 5 brown, 6 dark',
  },
  {
    name: 'ita',
    algorithm: 'skin_tone',
    metric: 'ita',
    kind: 'degrees',
    alias: 'ita',
    description: 'individual typology angle (ITA°) of the skin colour',
  },
  {
    name: 'age',
    algorithm: 'age',
    metric: 'age',
    kind: 'years',
    alias: 'age',
    description: 'perceived age in years',
  },
  {
    name: 'eyes_age',
    algorithm: 'eye_age',
    metric: 'eye_age',
    kind: 'years',
    alias: 'eyes_age',
    description: 'perceived age of the eye area in years',
  },
];
