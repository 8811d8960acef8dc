import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { signedLink } from '../routes/links.ts';
import {
  DEFAULT_MASK_OPTIONS,
  type MaskFormat,
  type MaskOptions,
  type RenderSpec,
} from './mask-render.service.ts';
import type { MaskImageType } from './mask-source.ts';

/** How long a mask link stays valid, seconds (as Haut's signed URLs: one hour). */
export const MASK_LINK_SECONDS = 3600;

/** Path prefix of rendered masks (served by `masks.routes.ts`, signed, no other authentication). */
export const RENDER_PATH = '/service/rasterisation/renders';

function optionsSegment(options: MaskOptions): string {
  const { fill, thickness, overImage } = options;
  if (fill === null && thickness === null && !overImage) return 'default';
  return Buffer.from(JSON.stringify({ f: fill, t: thickness, o: overImage ? 1 : 0 })).toString('base64url');
}

/** The path of a render (what the link signs). */
export function renderPath(spec: RenderSpec): string {
  const { companyId, imageId, imageType, algorithm, format, options } = spec;
  return `${RENDER_PATH}/${companyId}/${imageId}/${imageType}/${encodeURIComponent(algorithm)}/${optionsSegment(options)}.${format}`;
}

/** Parses the options segment of a render path; undefined when it is not one this server wrote. */
export function parseOptionsSegment(segment: string): MaskOptions | undefined {
  if (segment === 'default') return { ...DEFAULT_MASK_OPTIONS };
  try {
    const o = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as {
      f: unknown;
      t: unknown;
      o: unknown;
    };
    const fill = Array.isArray(o.f) && o.f.every((v) => typeof v === 'number') ? (o.f as number[]) : null;
    const thickness = typeof o.t === 'number' ? o.t : null;
    return { fill, thickness, overImage: o.o === 1 };
  } catch {
    return undefined;
  }
}

/**
 * The signed, expiring URL of an image with one algorithm's mask drawn over it (JPEG), rendered on
 * first request and cached. This is the one place such URLs are built: the v4 response and the v3
 * result's `masks.front.{original, aligned_face}` (imageType `original` / `restored`) use it.
 */
export function maskImageUrl(
  ctx: AppContext,
  request: FastifyRequest,
  target: { companyId: string; imageId: string; algorithm: string; imageType: MaskImageType },
  options: MaskOptions = DEFAULT_MASK_OPTIONS,
  format: MaskFormat = 'jpg',
  seconds: number = MASK_LINK_SECONDS,
): string {
  return signedLink(ctx, request, renderPath({ ...target, format, options }), seconds);
}
