import type { Point } from '../geometry/polygon.ts';
import { originalToRestored, type RestoreTransform } from '../geometry/restore.ts';
import { FrameBufferScope } from '../image/frame-buffers.ts';
import {
  type AlgorithmResult,
  type Geometry,
  type MaskCollection,
  type MaskFeature,
  round,
} from '../result/result-shape.ts';
import type { InputProvider, MetricContext, MetricModule } from './metric.ts';
import type { MetricRegistry } from './registry.ts';

/** The face detector runs whatever the selection says (DESIGN.md, seed 000). */
export const ALWAYS_RUN = ['face_detector'] as const;

export type BaseContext = Omit<MetricContext, 'input'>;

export interface RunOutput {
  results: AlgorithmResult[];
  /**
   * ms: `metric:<tech name>` includes the shared inputs the metric was the first to need;
   * `input:<id>` is that input's own time, without the inputs it needed in turn.
   */
  timings: Record<string, number>;
}

/** Failure text of an algorithm that could not measure at the image's scale. */
export const NOT_ASSESSABLE_RESOLUTION = 'Not assessable at this resolution';

/** Failure text of an algorithm that threw; the others still run (`error_code` `algorithm_failed`). */
export const ALGORITHM_FAILED = 'Algorithm failed';

/**
 * One image's metrics run in several synchronous steps that share the inputs computed so far, e.g.
 * the metrics that need no model output while a model still runs, then the others once `base.models`
 * holds its output. `results` are in the order run; `release` returns the frame-sized maps the
 * shared inputs hold to the pool, after which the run must not be used.
 */
export interface MetricRun extends RunOutput {
  run(metrics: readonly MetricModule[]): void;
  release(): void;
}

/**
 * Starts a run of one image's metrics (see MetricRun): each shared input is computed once, masks
 * are mapped to original and restored coordinates, and `onResult` receives each result as soon as
 * it is computed. Each metric is isolated: one that throws (itself or in a shared input it needs)
 * is one failed algorithm with the error's message, and the others run as usual. The frame-sized
 * maps are lent into `buffers` (by default a scope of the run's own; the analysis passes the one
 * its face frame was built in, so that one release returns both).
 */
export function startRun(
  registry: MetricRegistry,
  base: BaseContext,
  onResult?: (result: AlgorithmResult) => void,
  buffers: FrameBufferScope = new FrameBufferScope(),
): MetricRun {
  const cache = new Map<string, unknown>();
  const timings: Record<string, number> = {};
  const results: AlgorithmResult[] = [];
  /** Time spent in the inputs resolved inside the input being computed (subtracted from its own time). */
  let nested = 0;
  const resolve = (id: string, stack: string[]): unknown => {
    if (cache.has(id)) return cache.get(id);
    if (stack.includes(id)) throw new Error(`input cycle: ${[...stack, id].join(' -> ')}`);
    const provider = registry.provider(id);
    if (!provider) throw new Error(`unknown input ${id}`);
    const outer = nested;
    nested = 0;
    const started = performance.now();
    const value = provider.compute(contextFor(provider.needs, [...stack, id]));
    const total = performance.now() - started;
    timings[`input:${id}`] = total - nested;
    nested = outer + total;
    cache.set(id, value);
    return value;
  };
  const contextFor = (declared: readonly string[], stack: string[]): MetricContext =>
    new RunContext(base, declared, stack, resolve);
  // Frame-sized maps of this image are lent from a per-thread pool and taken back on release.
  return {
    results,
    timings,
    run(metrics) {
      buffers.run(() => {
        for (const metric of metrics) {
          const started = performance.now();
          const result = runIsolated(metric, base, contextFor(metric.needs, []));
          timings[`metric:${metric.techName}`] = performance.now() - started;
          results.push(result);
          onResult?.(result);
        }
      });
    },
    release: () => buffers.release(),
  };
}

/**
 * The context a metric or input provider sees. A class, so that every context of every image shares
 * one hidden class and the metrics' optimised code stays valid from one image to the next.
 */
class RunContext implements MetricContext {
  readonly image: MetricContext['image'];
  readonly face: MetricContext['face'];
  readonly frame: MetricContext['frame'];
  readonly faceCount: number;
  readonly restore: MetricContext['restore'];
  readonly models: MetricContext['models'];

  constructor(
    base: BaseContext,
    private readonly declared: readonly string[],
    private readonly stack: string[],
    private readonly resolve: (id: string, stack: string[]) => unknown,
  ) {
    this.image = base.image;
    this.face = base.face;
    this.frame = base.frame;
    this.faceCount = base.faceCount;
    this.restore = base.restore;
    this.models = base.models;
  }

  input<T>(provider: InputProvider<T>): T {
    if (!this.declared.includes(provider.id))
      throw new Error(`input ${provider.id} used without being declared in needs`);
    return this.resolve(provider.id, this.stack) as T;
  }
}

/** Whether `metric` needs the input `id`, itself or through the inputs it needs. */
export function needsInput(registry: MetricRegistry, metric: MetricModule, id: string): boolean {
  const seen = new Set<string>();
  const visit = (needs: readonly string[]): boolean =>
    needs.some((n) => {
      if (n === id) return true;
      if (seen.has(n)) return false;
      seen.add(n);
      return visit(registry.provider(n)?.needs ?? []);
    });
  return visit(metric.needs);
}

function headOf(metric: MetricModule) {
  return {
    algorithm_family_tech_name: metric.familyTechName,
    algorithm_tech_name: metric.techName,
    algorithm_version: metric.version,
  };
}

function runIsolated(metric: MetricModule, base: BaseContext, ctx: MetricContext): AlgorithmResult {
  try {
    return runOne(metric, base, ctx);
  } catch (error) {
    return {
      ...headOf(metric),
      is_ok: false,
      result: {
        error: ALGORITHM_FAILED,
        error_code: 'algorithm_failed',
        details: { reason: 'failed', message: error instanceof Error ? error.message : String(error) },
      },
    };
  }
}

function runOne(metric: MetricModule, base: BaseContext, ctx: MetricContext): AlgorithmResult {
  const head = headOf(metric);
  if (metric.minPxPerMm > 0 && base.face.pxPerMm < metric.minPxPerMm) {
    return {
      ...head,
      is_ok: false,
      result: {
        error: NOT_ASSESSABLE_RESOLUTION,
        error_code: 'not_assessable_resolution',
        details: {
          reason: 'resolution',
          px_per_mm: round(base.face.pxPerMm, 2),
          required_px_per_mm: metric.minPxPerMm,
        },
      },
    };
  }
  const out = metric.compute(ctx);
  const masks = out.masks ?? { mask_type: metric.outputs.maskType, features: [] };
  const toOriginal = base.image.toOriginal;
  const original = mapMask(masks, new ScalePoints(toOriginal));
  const restored = mapMask(original, new RestorePoints(base.restore));
  return {
    ...head,
    is_ok: true,
    result: {
      area_results: out.area_results,
      masks_original: original,
      masks_restored: restored,
      ...(out.not_assessable_areas?.length ? { not_assessable_areas: out.not_assessable_areas } : {}),
      ...(out.raw ? { raw: out.raw } : {}),
    },
  };
}

/** A failed result for every selected algorithm, e.g. when no face was found. */
export function failAll(
  selection: readonly MetricModule[],
  error: string,
  errorCode: string,
): AlgorithmResult[] {
  return selection.map((m) => ({
    ...headOf(m),
    is_ok: false,
    result: { error, error_code: errorCode },
  }));
}

/** A map of mask points from one image's coordinates to another's. */
interface PointMap {
  map(p: Point): Point;
}

/** Points scaled by `s` (working image to original image). */
class ScalePoints implements PointMap {
  constructor(private readonly s: number) {}
  map(p: Point): Point {
    return [p[0] * this.s, p[1] * this.s];
  }
}

/** Original-image points to the restored image. */
class RestorePoints implements PointMap {
  constructor(private readonly t: RestoreTransform) {}
  map(p: Point): Point {
    return originalToRestored(this.t, p);
  }
}

/** Every point of the mask's features mapped by `f` and rounded to 2 decimals. */
function mapMask(mask: MaskCollection, f: PointMap): MaskCollection {
  const features: MaskFeature[] = [];
  for (const feature of mask.features)
    features.push({ ...feature, geometry: mapGeometry(feature.geometry, f) });
  return { mask_type: mask.mask_type, features };
}

function mapGeometry(g: Geometry, f: PointMap): Geometry {
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: mapPoint(g.coordinates, f) };
    case 'MultiPoint':
    case 'LineString':
      return { type: g.type, coordinates: mapPoints(g.coordinates, f) } as Geometry;
    case 'MultiLineString':
    case 'Polygon':
      return { type: g.type, coordinates: mapRings(g.coordinates, f) } as Geometry;
    case 'MultiPolygon': {
      const coordinates: Point[][][] = [];
      for (const poly of g.coordinates) coordinates.push(mapRings(poly, f));
      return { type: 'MultiPolygon', coordinates };
    }
  }
}

function mapRings(rings: readonly Point[][], f: PointMap): Point[][] {
  const out: Point[][] = [];
  for (const ring of rings) out.push(mapPoints(ring, f));
  return out;
}

function mapPoints(points: readonly Point[], f: PointMap): Point[] {
  const out: Point[] = [];
  for (const p of points) out.push(mapPoint(p, f));
  return out;
}

function mapPoint(p: Point, f: PointMap): Point {
  const q = f.map(p);
  return [round(q[0], 2), round(q[1], 2)];
}
