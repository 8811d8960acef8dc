import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Frame-sized working arrays reused from one analysis to the next.
 *
 * The metrics of one image compute a few dozen frame-sized maps (colour maps, box means, area
 * masks) and drop them when the image is done. Fresh typed arrays that large are zeroed by the
 * allocator and fault their pages in on first touch, about 0.3 ms per 2 MB array, several ms per
 * image; reused ones only need a fill. Each engine owns a `FrameBufferPool`. Inside
 * `withFrameBuffers(pool, fn)` or a `FrameBufferScope`'s run (the analysis runs every image's
 * metrics in one), `frameFloat32`, `frameInt32` and `frameUint8` lend zeroed arrays from the
 * running scope's pool (the scope on the stack, found through an AsyncLocalStorage, so the metrics
 * and their helpers need no pool argument); every array lent returns to the pool when the scope is
 * released (`withFrameBuffers`: when `fn` returns or throws). Outside a run they allocate plainly,
 * and so does an async continuation started within one. An array from them must therefore never
 * outlive its scope: metric results hold numbers, polygons and encoded bytes, never these maps.
 * Each run is synchronous (the metric runner's are), so two images can never share a lent array.
 */

/**
 * Largest total size of idle buffers a pool keeps between images, bytes: the colour maps of a ~1 MP
 * portrait take about 40 MB; larger frames keep what fits and allocate the rest.
 */
export const MAX_POOLED_BYTES = 64 * 2 ** 20;

/**
 * The idle frame buffers of one engine (an engine serves one thread): the arrays its scopes have
 * released, kept up to `maxBytes` for the next image's scopes to borrow.
 */
export class FrameBufferPool {
  private readonly idle: ArrayBuffer[] = [];
  private idleBytes = 0;

  /** @param maxBytes Largest total size of idle buffers kept, bytes (default MAX_POOLED_BYTES). */
  constructor(private readonly maxBytes = MAX_POOLED_BYTES) {}

  /** The smallest idle buffer of at least `bytes`, or a new one with 1/8 to spare (frame sizes vary between images). */
  take(bytes: number): ArrayBuffer {
    let best = -1;
    for (let k = 0; k < this.idle.length; k++) {
      const size = this.idle[k]!.byteLength;
      if (size >= bytes && (best < 0 || size < this.idle[best]!.byteLength)) best = k;
    }
    if (best < 0) return new ArrayBuffer(Math.ceil((bytes * 1.125) / 4096) * 4096);
    const buffer = this.idle[best]!;
    this.idle[best] = this.idle[this.idle.length - 1]!;
    this.idle.pop();
    this.idleBytes -= buffer.byteLength;
    return buffer;
  }

  /** Keeps `buffer` idle while the pool holds at most `maxBytes`; beyond that it is left to the garbage collector. */
  keep(buffer: ArrayBuffer): void {
    if (this.idleBytes + buffer.byteLength > this.maxBytes) return;
    this.idle.push(buffer);
    this.idleBytes += buffer.byteLength;
  }
}

/** The scope whose `run` is on the stack (a constant handle; the scope itself is the state). */
const runningScope = new AsyncLocalStorage<FrameBufferScope>();

/** Runs `fn` with frame buffers from `pool`; everything lent during it returns to the pool afterwards. */
export function withFrameBuffers<T>(pool: FrameBufferPool, fn: () => T): T {
  const scope = new FrameBufferScope(pool);
  try {
    return scope.run(fn);
  } finally {
    scope.release();
  }
}

/**
 * A lending scope that spans several synchronous runs, e.g. the metrics an analysis runs before and
 * after awaiting a model: the arrays lent during `run` stay lent (the shared inputs computed in one
 * run are read in the next) until `release` returns them to the pool. Between runs nothing is lent
 * to this scope, so an image analysed meanwhile in the same thread borrows other arrays.
 */
export class FrameBufferScope {
  private readonly lent: ArrayBuffer[] = [];
  private running = false;

  /** @param pool Where the scope borrows from and releases to (by default a pool of its own). */
  constructor(private readonly pool: FrameBufferPool = new FrameBufferPool()) {}

  /** Runs `fn` lending into this scope (or into the enclosing scope if one is running). */
  run<T>(fn: () => T): T {
    if (lendingScope()) return fn();
    this.running = true;
    try {
      return runningScope.run(this, fn);
    } finally {
      this.running = false;
    }
  }

  /** Returns every array lent to this scope to the pool; none of them may be used afterwards. */
  release(): void {
    for (const buffer of this.lent.splice(0)) this.pool.keep(buffer);
  }

  /** A buffer of at least `bytes` from the pool, lent to this scope. */
  borrow(bytes: number): ArrayBuffer {
    const buffer = this.pool.take(bytes);
    this.lent.push(buffer);
    return buffer;
  }

  /** Returns `buffer` to the pool now if this scope lent it; whether it did. */
  giveBack(buffer: ArrayBuffer): boolean {
    const k = this.lent.lastIndexOf(buffer);
    if (k < 0) return false;
    this.lent[k] = this.lent[this.lent.length - 1]!;
    this.lent.pop();
    this.pool.keep(buffer);
    return true;
  }

  /** Whether a `run` of this scope is on the stack (not merely an async continuation started in one). */
  get isRunning(): boolean {
    return this.running;
  }
}

/** The scope whose synchronous run is on the stack, if any. */
function lendingScope(): FrameBufferScope | undefined {
  const scope = runningScope.getStore();
  return scope?.isRunning ? scope : undefined;
}

/**
 * Returns arrays lent by the running scope to the pool before the scope ends, so that the rest of
 * the run borrows them again (a run keeps fewer arrays lent at once, and more of them fit in the
 * pool). For a function's own scratch arrays, once it is done with them: none of `arrays` may be
 * used afterwards. Arrays not lent by the running scope (e.g. allocated outside one) are left alone.
 */
export function giveBack(...arrays: ArrayBufferView[]): void {
  const scope = lendingScope();
  if (!scope) return;
  for (const array of arrays) scope.giveBack(array.buffer as ArrayBuffer);
}

/** A zeroed Float32Array of length n (lent by the running scope, if any). */
export function frameFloat32(n: number): Float32Array {
  const scope = lendingScope();
  if (!scope) return new Float32Array(n);
  const view = new Float32Array(scope.borrow(n * 4), 0, n);
  view.fill(0);
  return view;
}

/** A zeroed Uint8Array of length n (lent by the running scope, if any). */
export function frameUint8(n: number): Uint8Array {
  const scope = lendingScope();
  if (!scope) return new Uint8Array(n);
  const view = new Uint8Array(scope.borrow(n), 0, n);
  view.fill(0);
  return view;
}

/** A zeroed Int32Array of length n (lent by the running scope, if any), e.g. region labels. */
export function frameInt32(n: number): Int32Array {
  const scope = lendingScope();
  if (!scope) return new Int32Array(n);
  const view = new Int32Array(scope.borrow(n * 4), 0, n);
  view.fill(0);
  return view;
}
