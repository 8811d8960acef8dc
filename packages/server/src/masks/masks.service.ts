import type { MetricValue } from '@skinscope/engine';
import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import type { MaskFormat, MaskOptions, RenderSpec } from './mask-render.service.ts';
import {
  faceMetrics,
  type MaskImageType,
  maskOf,
  payloadOrError,
  RESTORED_AUX_TYPE,
  resultsByAlgorithm,
} from './mask-source.ts';

/** One requested mask of a v4/v5 call. */
export interface MaskRequest {
  algorithm_tech_name: string;
  fill_override?: number[] | null;
  polyline_line_thickness?: number | null;
  /** Include the main metric (default true). */
  main_metric?: boolean;
  /** Include the sub-metrics (default true). */
  sub_metrics?: boolean;
  /** Accepted for compatibility (deprecated upstream); drawn as the plain mask. */
  concentric_lines?: boolean;
}

type WireMetric = Pick<MetricValue, 'name' | 'tech_name' | 'value' | 'widget_type'>;

/** One element of the v4/v5 answer; `masked_image_url` is null exactly when `error` is set. */
export interface MaskAnswer {
  algorithm_tech_name: string;
  masked_image_url: string | null;
  error: string | null;
  main_metric: WireMetric | null;
  sub_metrics: WireMetric[];
  feedback: { mask_type: string; features: number };
}

const wire = (m: MetricValue): WireMetric => ({
  name: m.name,
  tech_name: m.tech_name,
  value: m.value,
  widget_type: m.widget_type,
});

/**
 * Answers a v4 (raster) or v5 (SVG) masks call: per requested mask, the metrics and a signed URL of
 * the render (drawn on first fetch, then cached), or `error` where the algorithm has no result.
 */
export async function describeMasks(
  ctx: AppContext,
  input: {
    companyId: string;
    imageId: string;
    imageType: MaskImageType;
    masks: MaskRequest[];
    format: MaskFormat;
    overImage: boolean;
  },
  urlOf: (spec: RenderSpec) => string,
): Promise<MaskAnswer[]> {
  const image = await ctx.store.images.get(input.companyId, input.imageId);
  if (!image) throw notFound('image');
  const results = await resultsByAlgorithm(ctx, input.companyId, input.imageId);
  const hasRestored =
    input.imageType === 'original' ||
    (await ctx.store.images.listAuxImages(input.companyId, input.imageId)).some(
      (a) => a.auxImageType === RESTORED_AUX_TYPE,
    );
  return input.masks.map((m) => {
    const payload = payloadOrError(results.get(m.algorithm_tech_name));
    const metrics = 'error' in payload ? undefined : faceMetrics(payload);
    const mask = 'error' in payload ? undefined : maskOf(payload, input.imageType);
    const error =
      'error' in payload
        ? payload.error
        : !hasRestored
          ? 'No restored image'
          : !image.blobKey && input.imageType === 'original'
            ? 'The image file was deleted'
            : null;
    const options: MaskOptions = {
      fill: m.fill_override?.length ? m.fill_override : null,
      thickness: m.polyline_line_thickness ?? null,
      overImage: input.format === 'svg' && input.overImage,
    };
    const spec: RenderSpec = {
      companyId: input.companyId,
      imageId: input.imageId,
      imageType: input.imageType,
      algorithm: m.algorithm_tech_name,
      format: input.format,
      options,
    };
    return {
      algorithm_tech_name: m.algorithm_tech_name,
      masked_image_url: error ? null : urlOf(spec),
      error,
      main_metric: m.main_metric !== false && metrics ? wire(metrics.main) : null,
      sub_metrics: m.sub_metrics !== false && metrics ? metrics.sub.map(wire) : [],
      feedback: { mask_type: mask?.mask_type ?? 'none', features: mask?.features.length ?? 0 },
    };
  });
}
