import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { Batch, ImageRecord } from '../ports/store.ts';

/** A character plain base64 never has (its padding `=` is checked by position in isPlainBase64). */
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;
/** A character URL-safe base64 (unpadded) never has. */
const NOT_BASE64URL = /[^A-Za-z0-9_-]/;

/**
 * Whether `text` matches /^[A-Za-z0-9+/]*={0,2}$/: the alphabet, and at most two `=` at the end.
 * A search for a character outside the alphabet, several times faster than that anchored pattern on
 * an upload's hundreds of kilobytes.
 */
export function isPlainBase64(text: string): boolean {
  if (NOT_BASE64.test(text)) return false;
  const pad = text.indexOf('=');
  if (pad === -1 || pad === text.length - 1) return true;
  return pad === text.length - 2 && text.charCodeAt(pad + 1) === 61; // '='
}

/** Decodes `b64data` (plain or URL-safe base64; a `data:` prefix and whitespace are tolerated). */
export function decodeBase64Image(b64data: string, maxBytes: number): Uint8Array {
  const text = b64data.replace(/^data:[^;,]*;base64,/, '').replace(/\s+/g, '');
  if (text.length === 0) throw new ApiError('invalid_base64', 'b64data is empty');
  const encoding =
    text.length % 4 === 0 && isPlainBase64(text)
      ? 'base64'
      : !NOT_BASE64URL.test(text)
        ? 'base64url'
        : undefined;
  if (!encoding) throw new ApiError('invalid_base64', 'b64data is not valid base64');
  if (Math.floor((text.length * 3) / 4) > maxBytes + 2) {
    throw new ApiError('image_too_large', `image is larger than ${Math.round(maxBytes / 1e6)} MB`);
  }
  return new Uint8Array(Buffer.from(text, encoding));
}

const EXT: Record<string, string> = {
  jpeg: 'jpg',
  jpg: 'jpg',
  png: 'png',
  webp: 'webp',
  heif: 'heic',
  tiff: 'tif',
};

/** Checks the bytes are a whole image of an accepted size and stores them; returns key and size. */
export async function storeImageBytes(
  ctx: AppContext,
  companyId: string,
  imageId: string,
  bytes: Uint8Array,
) {
  if (bytes.byteLength > ctx.maxImageBytes) {
    throw new ApiError('image_too_large', `image is larger than ${Math.round(ctx.maxImageBytes / 1e6)} MB`);
  }
  if (bytes.byteLength === 0) throw new ApiError('not_an_image', 'the image is empty');
  const info = await ctx.analyzer.validateImage(bytes);
  const key = `images/${companyId}/${imageId}.${EXT[info.format] ?? 'bin'}`;
  await ctx.blobs.put(key, bytes, `image/${info.format}`);
  return { key, ...info };
}

/**
 * Accepts an uploaded image: validates it, stores the bytes, records it and, when the dataset has an
 * application attached, queues it for analysis. Answers at once; analysis runs in the background.
 */
export async function acceptImage(
  ctx: AppContext,
  input: { batch: Batch; sideId: number; lightId: number; bytes: Uint8Array; meta: Record<string, unknown> },
): Promise<ImageRecord> {
  const { batch } = input;
  const id = randomUUID();
  const stored = await storeImageBytes(ctx, batch.companyId, id, input.bytes);
  const runs = await ctx.store.datasets.activeRuns(batch.companyId, batch.datasetId);
  const image = await ctx.store.images.create({
    id,
    companyId: batch.companyId,
    datasetId: batch.datasetId,
    subjectId: batch.subjectId,
    batchId: batch.id,
    sideId: input.sideId,
    lightId: input.lightId,
    blobKey: stored.key,
    width: stored.width,
    height: stored.height,
    format: stored.format,
    status: runs.length > 0 ? 'queued' : 'stored',
    applicationRunIds: runs.map((r) => r.id),
    meta: input.meta,
    error: null,
  });
  if (runs.length > 0) {
    await ctx.queue.enqueue('analyze_image', { imageId: id });
    ctx.onJobQueued();
  }
  return image;
}
