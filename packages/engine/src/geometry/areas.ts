import { FACE_OVAL } from '../face/mesh-indices.ts';
import type { Point, Polygon } from './polygon.ts';
import { convexHull } from './polygon.ts';

/**
 * The facial areas of DESIGN.md. Sides are anatomical (the subject's left/right). The eye areas are
 * the under-eye regions. `t_zone` is forehead + glabella + nose + chin; `u_zone` the cheeks and jaw.
 */
/**
 * An area is not assessed when more than this share of its skin is hidden (hair, glasses, beard,
 * hands; the quality research skips a region past 20-30%, skin-metrics-methods.md §17). One limit for
 * every metric: the colour maps' `areaOccluded`, the frame's `areaOccludedFraction` and texture
 * crops' `occludedFraction` all compare against it.
 */
export const MAX_OCCLUDED = 0.3;

export const AREA_NAMES = [
  'face',
  'forehead',
  'glabella',
  'nose',
  'left_cheek',
  'right_cheek',
  'chin',
  'left_eye_area',
  'right_eye_area',
  'left_crows_feet',
  'right_crows_feet',
  'nasolabial_left',
  'nasolabial_right',
  't_zone',
  'u_zone',
] as const;

export type AreaName = (typeof AREA_NAMES)[number];

/** How each area is built: an ordered ring of mesh indices, or the convex hull of a set. */
type AreaRecipe = { ring: readonly number[] } | { hull: readonly number[] };

/**
 * Mesh-index recipes. Ordered rings follow the mesh's own contours; hulls are used where the area is
 * convex and only its extent matters. The skin mask removes eyes, brows, lips and nostrils later.
 */
const RECIPES: Record<Exclude<AreaName, 'face' | 't_zone' | 'u_zone'>, AreaRecipe> = {
  forehead: {
    ring: [
      54, 103, 67, 109, 10, 338, 297, 332, 284, 300, 293, 334, 296, 336, 337, 151, 108, 107, 66, 105, 63, 70,
    ],
  },
  glabella: { ring: [108, 151, 337, 336, 285, 417, 168, 193, 55, 107] },
  nose: {
    hull: [
      168, 193, 417, 122, 351, 196, 419, 3, 248, 198, 420, 131, 360, 49, 279, 48, 278, 219, 439, 64, 294, 98,
      327, 2, 1, 4, 5, 195, 197, 6,
    ],
  },
  right_cheek: { hull: [117, 118, 119, 100, 142, 36, 205, 206, 207, 187, 147, 123, 50, 101] },
  left_cheek: { hull: [346, 347, 348, 329, 371, 266, 425, 426, 427, 411, 376, 352, 280, 330] },
  chin: {
    hull: [
      18, 83, 313, 201, 421, 194, 418, 32, 262, 140, 369, 176, 400, 148, 377, 152, 171, 396, 208, 428, 199,
      175, 200,
    ],
  },
  right_eye_area: {
    hull: [
      7, 163, 144, 145, 153, 154, 155, 25, 110, 24, 23, 22, 26, 112, 31, 228, 229, 230, 231, 232, 233, 117,
      118, 119, 120, 121,
    ],
  },
  left_eye_area: {
    hull: [
      249, 390, 373, 374, 380, 381, 382, 255, 339, 254, 253, 252, 256, 341, 261, 448, 449, 450, 451, 452, 453,
      346, 347, 348, 349, 350,
    ],
  },
  right_crows_feet: { hull: [130, 226, 35, 143, 111, 116, 34, 127, 162, 139, 156, 113, 225] },
  left_crows_feet: { hull: [359, 446, 265, 372, 340, 345, 264, 356, 389, 368, 383, 342, 445] },
  nasolabial_right: { hull: [98, 64, 203, 206, 216, 92, 186, 57, 43, 61, 165, 167] },
  nasolabial_left: { hull: [327, 294, 423, 426, 436, 322, 410, 287, 273, 291, 391, 393] },
};

/** Builds every area polygon from 2-D landmark positions. */
export function buildAreas(point: (index: number) => Point): Record<AreaName, Polygon> {
  const fromRecipe = (recipe: AreaRecipe): Polygon =>
    'ring' in recipe ? recipe.ring.map(point) : convexHull(recipe.hull.map(point));
  const areas = {} as Record<AreaName, Polygon>;
  areas.face = FACE_OVAL.map(point);
  for (const [name, recipe] of Object.entries(RECIPES) as [keyof typeof RECIPES, AreaRecipe][]) {
    areas[name] = fromRecipe(recipe);
  }
  areas.t_zone = convexHull([...areas.forehead, ...areas.glabella, ...areas.nose]);
  areas.u_zone = convexHull([...areas.left_cheek, ...areas.right_cheek, ...areas.chin]);
  return areas;
}
