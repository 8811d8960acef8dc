import type { InputProvider, MetricContext } from '../framework/metric.ts';
import { AREA_NAMES, type AreaName } from '../geometry/areas.ts';
import type { FaceFrame } from '../geometry/face-frame.ts';
import type { FaceGeometry } from '../geometry/face-geometry.ts';
import type { Polygon } from '../geometry/polygon.ts';
import type { Mask } from '../geometry/raster.ts';
import type { RgbImage } from '../image/rgb-image.ts';

/**
 * A MetricContext over a synthetic image with no face: the whole image is skin and every area
 * covers it, at a chosen scale (px/mm). For metric tests with known content; inputs are
 * computed once per context, as the runner does.
 */
export function syntheticContext(rgb: RgbImage, pxPerMm: number): MetricContext {
  const { width, height } = rgb;
  const all = (): Mask => ({ data: new Uint8Array(width * height).fill(1), width, height });
  const none = (): Mask => ({ data: new Uint8Array(width * height), width, height });
  const rect: Polygon = [
    [0, 0],
    [width, 0],
    [width, height],
    [0, height],
  ];
  const areas = Object.fromEntries(AREA_NAMES.map((a) => [a, rect])) as Record<AreaName, Polygon>;
  const frame: FaceFrame = {
    x0: 0,
    y0: 0,
    width,
    height,
    rgb,
    faceMask: all(),
    featureMask: none(),
    expectedMask: all(),
    skinMask: all(),
    occludedFraction: 0,
    areaSkinMask: all,
    areaMask: all,
    areaBox: () => ({ x0: 0, y0: 0, x1: width, y1: height }),
    areaOccludedFraction: () => 0,
  };
  const face: FaceGeometry = {
    box: [0, 0, width, height],
    score: 1,
    landmarks: new Float32Array(478 * 3),
    pose: { yaw: 0, pitch: 0, roll: 0 },
    rightEye: [0, 0],
    leftEye: [0, 0],
    ipdPx: 63 * pxPerMm,
    irisDiameterPx: 0,
    pxPerMm,
    areas,
  };
  const cache = new Map<string, unknown>();
  const ctx: MetricContext = {
    image: { rgb, originalWidth: width, originalHeight: height, format: 'raw', toOriginal: 1 },
    face,
    frame,
    faceCount: 1,
    restore: { scale: 1, angle: 0, tx: 0, ty: 0 },
    input<T>(provider: InputProvider<T>): T {
      if (!cache.has(provider.id)) cache.set(provider.id, provider.compute(ctx));
      return cache.get(provider.id) as T;
    },
  };
  return ctx;
}

/** An even image of one sRGB colour with deterministic ±`noise` levels of texture. */
export function evenImage(width: number, height: number, rgb: [number, number, number], noise = 2): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let s = 12345;
  for (let i = 0; i < width * height; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const n = ((s >>> 16) % (2 * noise + 1)) - noise;
    for (let k = 0; k < 3; k++) data[i * 3 + k] = Math.max(0, Math.min(255, rgb[k]! + n));
  }
  return { data, width, height };
}
