import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { AppContext } from '../context.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { ImageRecord, Store } from '../ports/store.ts';
import {
  baseImageBytes,
  type MaskImageType,
  maskOf,
  payloadOrError,
  pxPerMmOf,
  resultsByAlgorithm,
} from './mask-source.ts';
import {
  DEFAULT_LINE_THICKNESS,
  DEFAULT_MASK_COLOUR,
  MASK_COLOURS,
  type MaskStyle,
  maskSvg,
  OUTLINE_ONLY,
} from './mask-svg.ts';

/** Longest side of a rendered image, px: larger photos are drawn scaled down (masks scale with them). */
export const RENDER_MAX_SIDE = 2048;
/** Bumped when the drawing style changes, so cached renders of the old style are not served. */
const STYLE_VERSION = 2;

export type MaskFormat = 'jpg' | 'svg';

/** Per-mask drawing options of the v4/v5 requests. */
export interface MaskOptions {
  /** `[r, g, b]` or `[r, g, b, a]`, each 0-255; null = the algorithm's default colour. */
  fill: number[] | null;
  /** Line thickness as a fraction of the image width (0 < t ≤ 0.05); null = 0.003. */
  thickness: number | null;
  /** SVG only: embed the photo under the mask. */
  overImage: boolean;
}

export const DEFAULT_MASK_OPTIONS: MaskOptions = { fill: null, thickness: null, overImage: false };

/** One render: which image, in which coordinates, which algorithm, which format and options. */
export interface RenderSpec {
  companyId: string;
  imageId: string;
  imageType: MaskImageType;
  algorithm: string;
  format: MaskFormat;
  options: MaskOptions;
}

/** A render that cannot be made; `reason` is the per-mask `error` text. */
export class MaskUnavailable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'MaskUnavailable';
  }
}

const hex = (v: number) =>
  Math.round(Math.min(255, Math.max(0, v)))
    .toString(16)
    .padStart(2, '0');

export function styleFor(algorithm: string, options: MaskOptions): MaskStyle {
  const fill = options.fill;
  const colour =
    fill && fill.length >= 3
      ? `#${hex(fill[0]!)}${hex(fill[1]!)}${hex(fill[2]!)}`
      : (MASK_COLOURS[algorithm] ?? DEFAULT_MASK_COLOUR);
  const alpha = fill && fill.length === 4 ? Math.min(1, Math.max(0, fill[3]! / 255)) : 1;
  return {
    colour,
    alpha,
    lineThickness: options.thickness ?? DEFAULT_LINE_THICKNESS,
    outlineOnly: OUTLINE_ONLY.has(algorithm),
  };
}

/** The cache key of a render: a hash of everything that changes its pixels. */
export function renderCacheKey(spec: RenderSpec): string {
  const { imageType, algorithm, format, options } = spec;
  const text = JSON.stringify({ v: STYLE_VERSION, imageType, algorithm, format, ...options });
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

const CONTENT_TYPES: Record<MaskFormat, string> = { jpg: 'image/jpeg', svg: 'image/svg+xml' };

async function draw(ctx: Pick<AppContext, 'store' | 'blobs'>, spec: RenderSpec): Promise<Uint8Array> {
  const image = await ctx.store.images.get(spec.companyId, spec.imageId);
  if (!image) throw new MaskUnavailable('Image not found');
  const results = await resultsByAlgorithm(ctx, spec.companyId, spec.imageId);
  const payload = payloadOrError(results.get(spec.algorithm));
  if ('error' in payload) throw new MaskUnavailable(payload.error);
  const bytes = await baseImageBytes(ctx, image, spec.imageType);
  if (!bytes) throw new MaskUnavailable(`No ${spec.imageType} image`);
  const upright = await sharp(bytes).rotate().toBuffer({ resolveWithObject: true });
  const { width, height } = upright.info;
  const scale = Math.min(1, RENDER_MAX_SIDE / Math.max(width, height));
  const w = Math.round(width * scale);
  const h = Math.round(height * scale);
  const frame = { width: w, height: h, scale, pxPerMm: pxPerMmOf(results, spec.imageType) };
  const mask = maskOf(payload, spec.imageType);
  const style = styleFor(spec.algorithm, spec.options);
  const base = sharp(upright.data).resize(w, h);
  if (spec.format === 'svg') {
    const background = spec.options.overImage
      ? { jpegBase64: (await base.jpeg({ quality: 85 }).toBuffer()).toString('base64') }
      : undefined;
    return Buffer.from(maskSvg(mask, style, frame, background), 'utf8');
  }
  const overlay = Buffer.from(maskSvg(mask, style, frame), 'utf8');
  return base
    .composite([{ input: overlay, left: 0, top: 0 }])
    .jpeg({ quality: 90, chromaSubsampling: '4:4:4' })
    .toBuffer();
}

/**
 * A render's bytes, from the cache when it was drawn before; else drawn and cached (the blob under
 * `renders/<company>/<image>/<key>.<format>`, a row per render so it is deleted with its image).
 * Throws `MaskUnavailable` when the image, the algorithm's result or the chosen picture is missing.
 */
export async function renderMask(
  ctx: Pick<AppContext, 'store' | 'blobs'>,
  spec: RenderSpec,
): Promise<{ bytes: Uint8Array; contentType: string }> {
  const cacheKey = renderCacheKey(spec);
  const contentType = CONTENT_TYPES[spec.format];
  const cached = await ctx.store.maskRenders.get(spec.companyId, spec.imageId, cacheKey);
  if (cached) {
    const bytes = await ctx.blobs.get(cached.blobKey);
    if (bytes) return { bytes, contentType };
  }
  const bytes = await draw(ctx, spec);
  const blobKey = `renders/${spec.companyId}/${spec.imageId}/${cacheKey}.${spec.format}`;
  await ctx.blobs.put(blobKey, bytes, contentType);
  await ctx.store.maskRenders.record({
    companyId: spec.companyId,
    imageId: spec.imageId,
    cacheKey,
    blobKey,
    contentType,
  });
  return { bytes, contentType };
}

/**
 * Deletes every cached render of an image, files then rows; safe to run again after a crash.
 * The image deletion calls this for each image it deletes.
 */
export async function deleteImageRenders(
  ports: { store: Store; blobs: BlobStore },
  companyId: string,
  imageId: string,
): Promise<number> {
  const renders = await ports.store.maskRenders.listByImage(companyId, imageId);
  for (const r of renders) await ports.blobs.delete(r.blobKey);
  await ports.store.maskRenders.deleteByImage(companyId, imageId);
  return renders.length;
}

/**
 * The render cache as a per-image cleanup step of the deletion service (image deletion and GDPR
 * "delete photos": a render shows the photo): `(image, blobs) => deletes its renders`, idempotent.
 */
export function maskRendersCleanup(store: Store): (image: ImageRecord, blobs: BlobStore) => Promise<void> {
  return async (image, blobs) => {
    await deleteImageRenders({ store, blobs }, image.companyId, image.id);
  };
}
