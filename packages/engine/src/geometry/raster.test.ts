import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  andInBox,
  andNotInto,
  chessboardDistanceAt,
  countBothInBox,
  countInBox,
  countMask,
  dilateMask,
  emptyMask,
  indicesInBox,
  intersectMasks,
} from './raster.ts';

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

describe('chessboardDistanceAt', () => {
  it('is max(|dx|, |dy|) to the nearest set pixel, capped', () => {
    const mask = emptyMask(30, 20);
    mask.data[5 * 30 + 4] = 1;
    mask.data[15 * 30 + 25] = 1;
    for (let y = 0; y < 20; y++)
      for (let x = 0; x < 30; x++) {
        const exact = Math.min(
          Math.max(Math.abs(x - 4), Math.abs(y - 5)),
          Math.max(Math.abs(x - 25), Math.abs(y - 15)),
        );
        assert.equal(chessboardDistanceAt(mask, x, y, 8), Math.min(8, exact), `pixel ${x},${y}`);
      }
  });

  it('matches a brute-force search on random masks, the cap rounded', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const density of [0.002, 0.02, 0.2]) {
      const mask = emptyMask(41, 23);
      for (let i = 0; i < mask.data.length; i++) mask.data[i] = random() < density ? 1 : 0;
      for (let y = 0; y < 23; y++)
        for (let x = 0; x < 41; x++) {
          let exact = Number.POSITIVE_INFINITY;
          for (let j = 0; j < mask.data.length; j++)
            if (mask.data[j])
              exact = Math.min(exact, Math.max(Math.abs((j % 41) - x), Math.abs(Math.floor(j / 41) - y)));
          assert.equal(chessboardDistanceAt(mask, x, y, 12.4), Math.min(12, exact), `pixel ${x},${y}`);
        }
    }
  });

  it('is the cap on an empty mask', () => {
    assert.equal(chessboardDistanceAt(emptyMask(5, 4), 2, 1, 3), 3);
  });
});

describe('box operations', () => {
  // A 5 × 4 raster; the box covers columns 1-3 of rows 1-2.
  const width = 5;
  const box = { x0: 1, y0: 1, x1: 4, y1: 3 };
  const a = Uint8Array.from([1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
  const b = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);

  it('andInBox writes a & b inside the box only and counts the set pixels', () => {
    const out = new Uint8Array(20).fill(7);
    assert.equal(andInBox(a, b, out, width, box), 3);
    assert.deepEqual([...out], [7, 7, 7, 7, 7, 7, 1, 0, 0, 7, 7, 0, 1, 1, 7, 7, 7, 7, 7, 7]);
  });

  it('countBothInBox counts the pixels set in both, inside the box only', () => {
    assert.equal(countBothInBox(a, b, width, box), 3);
    assert.equal(countBothInBox(a, a, width, { x0: 0, y0: 0, x1: 0, y1: 0 }), 0);
  });

  it('countInBox counts the set pixels inside the box only', () => {
    assert.equal(countInBox(a, width, box), 4);
  });

  it('intersectMasks and andNotInto combine whole masks', () => {
    const both = intersectMasks({ data: a, width, height: 4 }, { data: b, width, height: 4 });
    assert.deepEqual(
      [...both.data],
      [...a].map((v, i) => v & b[i]!),
    );
    const only = new Uint8Array(20);
    andNotInto(a, b, only);
    assert.deepEqual(
      [...only.keys()].filter((i) => only[i]),
      [7],
    );
  });

  it('indicesInBox lists the set pixels inside the box in raster order', () => {
    assert.deepEqual([...indicesInBox(a, width, box, 4)], [6, 7, 12, 13]);
  });
});
