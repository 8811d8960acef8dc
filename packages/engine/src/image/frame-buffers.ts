/**
 * Frame-sized working arrays reused from one analysis to the next (per thread).
 *
 * The metrics of one image compute a few dozen frame-sized maps (colour maps, box means, area
 * masks) and drop them when the image is done. Fresh typed arrays that large are zeroed by the
 * allocator and fault their pages in on first touch, about 0.3 ms per 2 MB array, several ms per
 * image; reused ones only need a fill. Inside `withFrameBuffers(fn)` or a `FrameBufferScope`'s run
 * (the metric runner runs every image's metrics in one), `frameFloat32`, `frameInt32` and `frameUint8` lend
 * zeroed arrays from the pool; every array lent is taken back when `fn` returns or throws; a
 * `FrameBufferScope` keeps them lent across several synchronous runs until it is released. Outside a scope they allocate plainly. An
 * array from them must therefore never outlive its scope: metric results hold numbers, polygons
 * and encoded bytes, never these maps. Each run is synchronous (the metric runner's are), so two
 * images can never share a lent array.
 *
 * The pool keeps at most MAX_POOLED_BYTES between images; arrays beyond that are left to the
 * garbage collector.
 */

/**
 * Largest total size of idle buffers kept between images, bytes: the colour maps of a ~1 MP
 * portrait take about 40 MB; larger frames keep what fits and allocate the rest.
 */
export const MAX_POOLED_BYTES = 64 * 2 ** 20;

const idle: ArrayBuffer[] = [];
let idleBytes = 0;
let lent: ArrayBuffer[] | null = null;

/** Runs `fn` with pooled frame buffers; everything lent during it returns to the pool afterwards. */
export function withFrameBuffers<T>(fn: () => T): T {
  const scope = new FrameBufferScope();
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
  private readonly buffers: ArrayBuffer[] = [];

  /** Runs `fn` lending into this scope (or into the enclosing scope if one is running). */
  run<T>(fn: () => T): T {
    if (lent) return fn();
    lent = this.buffers;
    try {
      return fn();
    } finally {
      lent = null;
    }
  }

  /** Returns every array lent to this scope to the pool; none of them may be used afterwards. */
  release(): void {
    for (const buffer of this.buffers.splice(0)) keepIdle(buffer);
  }
}

/**
 * Returns arrays lent by the running scope to the pool before the scope ends, so that the rest of
 * the run borrows them again (a run keeps fewer arrays lent at once, and more of them fit in the
 * pool). For a function's own scratch arrays, once it is done with them: none of `arrays` may be
 * used afterwards. Arrays not lent by the running scope (e.g. allocated outside one) are left alone.
 */
export function giveBack(...arrays: ArrayBufferView[]): void {
  if (!lent) return;
  for (const array of arrays) {
    const k = lent.lastIndexOf(array.buffer as ArrayBuffer);
    if (k < 0) continue;
    lent[k] = lent[lent.length - 1]!;
    lent.pop();
    keepIdle(array.buffer as ArrayBuffer);
  }
}

/** Keeps `buffer` in the pool while the pool holds at most MAX_POOLED_BYTES. */
function keepIdle(buffer: ArrayBuffer): void {
  if (idleBytes + buffer.byteLength > MAX_POOLED_BYTES) return;
  idle.push(buffer);
  idleBytes += buffer.byteLength;
}

/** A zeroed Float32Array of length n (pooled inside withFrameBuffers). */
export function frameFloat32(n: number): Float32Array {
  if (!lent) return new Float32Array(n);
  const view = new Float32Array(borrow(n * 4), 0, n);
  view.fill(0);
  return view;
}

/** A zeroed Uint8Array of length n (pooled inside withFrameBuffers). */
export function frameUint8(n: number): Uint8Array {
  if (!lent) return new Uint8Array(n);
  const view = new Uint8Array(borrow(n), 0, n);
  view.fill(0);
  return view;
}

/** A zeroed Int32Array of length n (pooled inside withFrameBuffers), e.g. region labels. */
export function frameInt32(n: number): Int32Array {
  if (!lent) return new Int32Array(n);
  const view = new Int32Array(borrow(n * 4), 0, n);
  view.fill(0);
  return view;
}

/** The smallest idle buffer of at least `bytes`, or a new one with 1/8 to spare (frame sizes vary between images). */
function borrow(bytes: number): ArrayBuffer {
  let best = -1;
  for (let k = 0; k < idle.length; k++) {
    const size = idle[k]!.byteLength;
    if (size >= bytes && (best < 0 || size < idle[best]!.byteLength)) best = k;
  }
  let buffer: ArrayBuffer;
  if (best >= 0) {
    buffer = idle[best]!;
    idle[best] = idle[idle.length - 1]!;
    idle.pop();
    idleBytes -= buffer.byteLength;
  } else {
    buffer = new ArrayBuffer(Math.ceil((bytes * 1.125) / 4096) * 4096);
  }
  lent!.push(buffer);
  return buffer;
}
