/** Code from which a channel counts as clipped when its top shows no saturation pile-up. */
export const CLIP_CODE = 250;

/**
 * Per channel, the code from which the pixels of `mask` count as clipped: CLIP_CODE, or lower when
 * the channel saturated and was then scaled down (exposure or tone-curve changes after capture).
 * Saturation leaves a pile-up near the channel's top, above the bulk of the skin, which JPEG smears
 * over a few codes: the 5-code window with the most pixels within 12 codes below the 99.9th
 * percentile holds at least 3% of the pixels and twice as many as the window 10 codes lower, and
 * at least half the pixels lie more than 8 codes below its centre (an unclipped channel thins out
 * towards its maximum; an even patch is one narrow mode, not a pile above a bulk). The level is then
 * the pile's centre scaled as CLIP_CODE is to 255, the same rule for a saturation left at the top
 * (its pile centred near 253 gives about 248) and for one scaled down, so both exclude alike.
 */
export function clipLevels(rgb: Uint8Array, mask: Uint8Array): [number, number, number] {
  const hist = new Uint32Array(768);
  const total = channelHistograms(rgb, mask, hist);
  return [
    clipLevel(hist.subarray(0, 256), total),
    clipLevel(hist.subarray(256, 512), total),
    clipLevel(hist.subarray(512, 768), total),
  ];
}

/** Counts the R, G and B codes of the pixels of `mask` into `hist` (3 × 256 bins); returns their number. */
function channelHistograms(rgb: Uint8Array, mask: Uint8Array, hist: Uint32Array): number {
  let total = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    hist[rgb[i * 3]!]!++;
    hist[256 + rgb[i * 3 + 1]!]!++;
    hist[512 + rgb[i * 3 + 2]!]!++;
    total++;
  }
  return total;
}

/** One channel's clip level (see clipLevels) from its 256-bin histogram `h` of `total` pixels. */
function clipLevel(h: Uint32Array, total: number): number {
  let top = 255;
  let above = h[top]!;
  while (top > 0 && above <= 0.001 * total) above += h[--top]!;
  let centre = top;
  for (let c = top - 1; c >= Math.max(12, top - 12); c--)
    if (windowSum(h, c) > windowSum(h, centre)) centre = c;
  const pile = windowSum(h, centre);
  if (total === 0 || pile < 0.03 * total || pile < 2 * windowSum(h, centre - 10)) return CLIP_CODE;
  let bulk = 0;
  for (let k = 0; k < centre - 8; k++) bulk += h[k]!;
  if (bulk < 0.5 * total) return CLIP_CODE;
  return Math.min(CLIP_CODE, Math.round((centre * CLIP_CODE) / 255));
}

/** Pixels of the histogram `h` in the 5 codes centred on `c` (clipped to 0-255). */
function windowSum(h: Uint32Array, c: number): number {
  let sum = 0;
  for (let k = Math.max(0, c - 2); k <= Math.min(255, c + 2); k++) sum += h[k]!;
  return sum;
}
