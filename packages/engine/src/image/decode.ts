import sharp, { type Metadata } from 'sharp';
import { EngineError } from '../errors.ts';
import { endsCompletely } from './complete-file.ts';
import type { RgbImage } from './rgb-image.ts';

/** Limits applied while decoding. */
export interface DecodeLimits {
  /** Largest accepted input in pixels (width × height) before decoding; guards against decompression bombs. Default 100 MP. */
  maxInputPixels: number;
  /** Smallest accepted short side in pixels. Default 200. */
  minSide: number;
  /** Long side of the working copy in pixels; larger inputs are downscaled. Default 2048. */
  maxWorkingSide: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxInputPixels: 100_000_000,
  minSide: 200,
  maxWorkingSide: 2048,
};

/** The decoded, upright working copy of an image and how it relates to the original. */
export interface DecodedImage {
  /** Working copy, EXIF orientation applied, long side capped at `maxWorkingSide`. */
  rgb: RgbImage;
  /** Original size after EXIF orientation. */
  originalWidth: number;
  originalHeight: number;
  format: string;
  /** Original pixels per working pixel (≥ 1). */
  toOriginal: number;
}

/** Header facts of an image: size after EXIF orientation and format. */
export interface ImageHeader {
  width: number;
  height: number;
  format: string;
}

const SUPPORTED_FORMATS: ReadonlySet<string> = new Set([
  'jpeg',
  'png',
  'webp',
  'heif',
  'avif',
  'tiff',
  'gif',
]);

/**
 * Reads an image's header and checks it against the limits without decoding pixels.
 * Throws `not_an_image`, `image_too_large` or `image_too_small`.
 */
export async function readImageHeader(
  bytes: Uint8Array,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): Promise<ImageHeader> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new EngineError(
      'not_an_image',
      'The file is not an image in a supported format (JPEG, PNG, WebP, HEIC, AVIF).',
      {
        cause: (error as Error).message,
      },
    );
  }
  const format = meta.format ?? 'unknown';
  if (!SUPPORTED_FORMATS.has(format) || !meta.width || !meta.height) {
    throw new EngineError('not_an_image', `Unsupported image format: ${format}.`, { format });
  }
  const swap = (meta.orientation ?? 1) >= 5;
  const width = swap ? meta.height : meta.width;
  const height = swap ? meta.width : meta.height;
  if (width * height > limits.maxInputPixels) {
    throw new EngineError(
      'image_too_large',
      `The image has ${width}x${height} pixels; at most ${limits.maxInputPixels} pixels are accepted.`,
      { width, height, maxPixels: limits.maxInputPixels },
    );
  }
  if (Math.min(width, height) < limits.minSide) {
    throw new EngineError(
      'image_too_small',
      `The image is ${width}x${height}; its short side must be at least ${limits.minSide} px.`,
      {
        width,
        height,
        minSide: limits.minSide,
      },
    );
  }
  return { width, height, format };
}

/**
 * Checks an upload fully but cheaply: the header limits, then that the data is not cut short. JPEG
 * and PNG are checked from their structure (`endsCompletely`, no pixel decoded); other formats by a
 * decode at reduced size that fails on truncated data. Throws the same typed errors as `decodeImage`.
 */
export async function verifyImage(
  bytes: Uint8Array,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): Promise<ImageHeader> {
  const header = await readImageHeader(bytes, limits);
  const complete = endsCompletely(bytes, header.format);
  if (complete === false)
    throw truncatedError(new Error(`the ${header.format} data ends before its end marker`));
  if (complete) return header;
  try {
    await sharp(bytes, { limitInputPixels: limits.maxInputPixels, failOn: 'truncated' })
      .resize(64, 64, { fit: 'inside' })
      .raw()
      .toBuffer();
  } catch (error) {
    throw truncatedError(error);
  }
  return header;
}

function truncatedError(error: unknown): EngineError {
  return new EngineError('truncated_image', 'The image data is truncated or corrupt and cannot be decoded.', {
    cause: (error as Error).message,
  });
}

/**
 * Decodes an image with sharp: EXIF orientation applied, alpha flattened on white, and a working
 * copy whose long side is capped. Throws the typed errors of `readImageHeader` and `truncated_image`
 * when the header is valid but the pixel data is cut short or corrupt.
 */
export async function decodeImage(
  bytes: Uint8Array,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): Promise<DecodedImage> {
  const header = await readImageHeader(bytes, limits);
  const longSide = Math.max(header.width, header.height);
  const toOriginal = longSide > limits.maxWorkingSide ? longSide / limits.maxWorkingSide : 1;
  try {
    const { data, info } = await sharp(bytes, {
      limitInputPixels: limits.maxInputPixels,
      failOn: 'truncated',
    })
      .rotate()
      .resize(
        toOriginal > 1
          ? {
              width: limits.maxWorkingSide,
              height: limits.maxWorkingSide,
              fit: 'inside',
              withoutEnlargement: true,
            }
          : undefined,
      )
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const channels = info.channels;
    const rgb =
      channels === 3
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : dropExtraChannels(data, channels);
    return {
      rgb: { data: rgb, width: info.width, height: info.height },
      originalWidth: header.width,
      originalHeight: header.height,
      format: header.format,
      toOriginal: header.width / info.width,
    };
  } catch (error) {
    throw truncatedError(error);
  }
}

function dropExtraChannels(data: Uint8Array, channels: number): Uint8Array {
  const pixels = data.length / channels;
  const out = new Uint8Array(pixels * 3);
  for (let i = 0, j = 0; i < pixels; i++, j += channels) {
    const grey = channels < 3;
    out[i * 3] = data[j]!;
    out[i * 3 + 1] = grey ? data[j]! : data[j + 1]!;
    out[i * 3 + 2] = grey ? data[j]! : data[j + 2]!;
  }
  return out;
}
