import type { AlgorithmResult, MaskCollection, MetricValue } from '@skinscope/engine';

/**
 * Engine results written by hand, for tests of what reads stored results (mask renders, PDF
 * reports, the AILab view): known values and masks at known places, without running the engine.
 */

/** A mask collection with no features. */
export const NO_MASKS: MaskCollection = { mask_type: 'none', features: [] };

/** The closed ring of an axis-aligned square, pixels: corner (x0, y0), side `side`. */
export function squareRing(x0: number, y0: number, side: number): [number, number][][] {
  return [
    [
      [x0, y0],
      [x0 + side, y0],
      [x0 + side, y0 + side],
      [x0, y0 + side],
      [x0, y0],
    ],
  ];
}

/** A `polygon_mask` collection with one square feature per [x0, y0, side]. */
export function squareMasks(...squares: [number, number, number][]): MaskCollection {
  return {
    mask_type: 'polygon_mask',
    features: squares.map(([x0, y0, side]) => ({
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: squareRing(x0, y0, side) },
      properties: {},
    })),
  };
}

export interface FaceResultParts {
  sub?: MetricValue[];
  masks?: MaskCollection;
  restored?: MaskCollection;
  raw?: Record<string, unknown>;
}

/** A successful result of algorithm `tech` (family `selfie_v2.<tech>`) with one `face` area. */
export function faceResult(tech: string, main: MetricValue, parts: FaceResultParts = {}): AlgorithmResult {
  return {
    algorithm_family_tech_name: `selfie_v2.${tech}`,
    algorithm_tech_name: tech,
    algorithm_version: '1',
    is_ok: true,
    result: {
      area_results: [{ area_name: 'face', main_metric: main, sub_metrics: parts.sub ?? [] }],
      masks_original: parts.masks ?? NO_MASKS,
      masks_restored: parts.restored ?? NO_MASKS,
      ...(parts.raw ? { raw: parts.raw } : {}),
    },
  };
}

/** A failed result of algorithm `tech`: not assessable at the photo's resolution. */
export function notAssessableResult(tech: string): AlgorithmResult {
  return {
    algorithm_family_tech_name: `selfie_v2.${tech}`,
    algorithm_tech_name: tech,
    algorithm_version: '1',
    is_ok: false,
    result: { error: 'Not assessable at this resolution', error_code: 'not_assessable_resolution' },
  };
}
