import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countMask, dilateMask, emptyMask } from './raster.ts';

describe('dilateMask', () => {
  it('grows a pixel to a (2r+1)² square, clipped at the borders', () => {
    const mask = emptyMask(20, 15);
    mask.data[7 * 20 + 10] = 1;
    mask.data[0] = 1;
    const grown = dilateMask(mask, 3);
    for (let y = 0; y < 15; y++)
      for (let x = 0; x < 20; x++) {
        const inSquare = Math.abs(x - 10) <= 3 && Math.abs(y - 7) <= 3;
        const inCorner = x <= 3 && y <= 3;
        assert.equal(grown.data[y * 20 + x], inSquare || inCorner ? 1 : 0, `pixel ${x},${y}`);
      }
    assert.equal(countMask(grown), 49 + 16);
  });
});
