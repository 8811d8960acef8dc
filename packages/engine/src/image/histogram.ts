/**
 * A fixed-range histogram for quantiles of large samples in O(n) (no sort). Values outside
 * [min, max] are clamped to the end bins; quantiles are exact to one bin width.
 */
export class Histogram {
  readonly counts: Float64Array;
  private total = 0;
  private readonly scale: number;

  constructor(
    readonly min: number,
    readonly max: number,
    readonly bins: number,
  ) {
    this.counts = new Float64Array(bins);
    this.scale = bins / (max - min);
  }

  add(value: number, weight = 1): void {
    const i = Math.floor((value - this.min) * this.scale);
    this.counts[i < 0 ? 0 : i >= this.bins ? this.bins - 1 : i]! += weight;
    this.total += weight;
  }

  get count(): number {
    return this.total;
  }

  /** The q-quantile (0-1), at the centre of its bin; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const target = q * this.total;
    let acc = 0;
    for (let i = 0; i < this.bins; i++) {
      acc += this.counts[i]!;
      if (acc >= target && this.counts[i]! > 0) return this.min + (i + 0.5) / this.scale;
    }
    return this.max;
  }
}

/** Median and robust SD (1.4826 × median absolute deviation) of values within [min, max], via two histograms. */
export function robustCentreAndSpread(
  values: Float32Array,
  min: number,
  max: number,
  bins = 1024,
): [number, number] {
  const h = new Histogram(min, max, bins);
  for (let i = 0; i < values.length; i++) h.add(values[i]!);
  const median = h.quantile(0.5);
  const dev = new Histogram(0, max - min, bins);
  for (let i = 0; i < values.length; i++) dev.add(Math.abs(values[i]! - median));
  return [median, 1.4826 * dev.quantile(0.5)];
}
