import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelRegions } from './regions.ts';

/** A deterministic pseudo-random 0/1 grid (xorshift), `density` of it set, in blobs of `grain` px. */
function randomGrid(width: number, height: number, density: number, grain: number, seed: number): Uint8Array {
  let s = seed;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  const cells = new Uint8Array(Math.ceil(width / grain) * Math.ceil(height / grain)).map(() =>
    next() < density ? 1 : 0,
  );
  const cw = Math.ceil(width / grain);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      out[y * width + x] =
        cells[Math.floor(y / grain) * cw + Math.floor(x / grain)]! & (next() < 0.9 ? 1 : 0);
  return out;
}

describe('labelRegions', () => {
  it('labels a U, two diagonal pixels and a ring with its hole as 8-connected regions in raster order', () => {
    const grid = ['#.#..#', '#.#.#.', '###...', '......', '.###..', '.#.#..', '.###..'];
    const on = Uint8Array.from(grid.join('').split(''), (c) => (c === '#' ? 1 : 0));
    const { labels, regions } = labelRegions(on, 6, 7);
    assert.deepEqual(
      regions.map((r) => [r.label, r.area, r.start, r.x0, r.y0, r.x1, r.y1]),
      [
        [1, 7, 0, 0, 0, 2, 2],
        [2, 2, 5, 4, 0, 5, 1],
        [3, 8, 25, 1, 4, 3, 6],
      ],
    );
    assert.equal(labels[2 * 6 + 1], 1);
    assert.equal(labels[5 * 6 + 2], 0);
    assert.equal(regions[0]!.cx, (0 + 2 + 0 + 2 + 0 + 1 + 2) / 7);
  });

  it('gives the same labels and regions by raster union-find (no weights) as by the flood fill', () => {
    const cases: [number, number, number, number][] = [
      [1, 1, 1, 1],
      [1, 57, 0.5, 1],
      [61, 1, 0.5, 1],
      [40, 30, 0, 1],
      [40, 30, 1, 1],
      [97, 83, 0.5, 1],
      [97, 83, 0.35, 1],
      [128, 96, 0.6, 3],
      [200, 150, 0.45, 7],
    ];
    for (const [k, [w, h, density, grain]] of cases.entries()) {
      const on = randomGrid(w, h, density, grain, 0x9e3779b9 ^ (k + 1));
      const scanned = labelRegions(on, w, h);
      const flooded = labelRegions(on, w, h, new Float32Array(w * h));
      assert.deepEqual(scanned.labels, flooded.labels, `labels, case ${k}`);
      assert.deepEqual(scanned.regions, flooded.regions, `regions, case ${k}`);
    }
  });
});
