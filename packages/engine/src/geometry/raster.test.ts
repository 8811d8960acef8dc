import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chessboardDistance, countMask, dilateMask, emptyMask } from './raster.ts';

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

describe('chessboardDistance', () => {
  it('is max(|dx|, |dy|) to the nearest set pixel, capped', () => {
    const mask = emptyMask(30, 20);
    mask.data[5 * 30 + 4] = 1;
    mask.data[15 * 30 + 25] = 1;
    const d = chessboardDistance(mask, 8);
    for (let y = 0; y < 20; y++)
      for (let x = 0; x < 30; x++) {
        const exact = Math.min(
          Math.max(Math.abs(x - 4), Math.abs(y - 5)),
          Math.max(Math.abs(x - 25), Math.abs(y - 15)),
        );
        assert.equal(d[y * 30 + x], Math.min(8, exact), `pixel ${x},${y}`);
      }
  });

  it('is the cap everywhere on an empty mask', () => {
    assert.ok(chessboardDistance(emptyMask(5, 4), 3).every((v) => v === 3));
  });
});
