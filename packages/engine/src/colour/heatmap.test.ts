import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heatmapFeatures } from './heatmap.ts';

const W = 60;
const H = 50;

/** A square ring of positive amount (outer 10..40, inner hole 18..32) plus a one-pixel gap at (12, 12). */
function ringMap(): Float32Array {
  const amount = new Float32Array(W * H);
  for (let y = 10; y < 40; y++)
    for (let x = 10; x < 40; x++) {
      const inHole = x >= 18 && x < 32 && y >= 18 && y < 32;
      if (!inHole && !(x === 12 && y === 12)) amount[y * W + x] = 5;
    }
  return amount;
}

/** Even-odd point-in-polygon over every ring of a GeoJSON polygon. */
function inside(rings: number[][][], x: number, y: number): boolean {
  let odd = false;
  for (const ring of rings)
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number];
      const [xj, yj] = ring[j] as [number, number];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
    }
  return odd;
}

test('a ring-shaped region keeps its enclosed hole as an inner ring; holes under the minimum area are filled', () => {
  const features = heatmapFeatures(ringMap(), W, H, { x0: 100, y0: 200 }, 1, {
    minAreaMm2: 3,
    fullScale: 10,
  });
  assert.equal(features.length, 1);
  const geometry = features[0]!.geometry;
  assert.equal(geometry.type, 'Polygon');
  const rings = geometry.coordinates as number[][][];
  assert.equal(rings.length, 2, 'outer contour and the 14 x 14 hole; the one-pixel gap is no hole');
  assert.ok(inside(rings, 100 + 14.5, 200 + 14.5), 'the ring itself is inside');
  assert.ok(!inside(rings, 100 + 25.5, 200 + 25.5), 'the hole is outside');
  assert.ok(!inside(rings, 100 + 5, 200 + 5), 'the background is outside');
  assert.equal(features[0]!.properties.intensity, 0.5);
});
