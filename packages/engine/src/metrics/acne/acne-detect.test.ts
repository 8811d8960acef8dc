import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { separateLesions } from './acne-detect.ts';

describe('separateLesions', () => {
  const lesion = (x: number, y: number, radiusPx: number, score: number) => ({ x, y, radiusPx, score });

  it('keeps the higher-scored of two overlapping discs and every disc that overlaps none kept', () => {
    const a = lesion(10, 10, 4, 1);
    const b = lesion(16, 10, 3, 2); // 6 px from a, radii sum 7: overlaps, scores higher
    const c = lesion(30, 10, 3, 0.5); // 14 px from b, radii sum 6: apart
    const d = lesion(10, 16.9, 3, 0.8); // 6.9 px from a (dropped), 9.6 px from b: kept
    assert.deepEqual(separateLesions([a, b, c, d]), [b, d, c]);
  });

  it('keeps discs that only touch (centre distance equal to the sum of the radii)', () => {
    const out = separateLesions([lesion(0, 0, 2, 1), lesion(5, 0, 3, 1)]);
    assert.equal(out.length, 2);
  });
});
