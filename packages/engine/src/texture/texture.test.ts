import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FloatImage } from '../image/rgb-image.ts';
import type { AreaCrop } from './area-crop.ts';
import { darkBlobs } from './blob-detector.ts';
import { detectLines } from './line-detector.ts';

/** A flat L* = 70 crop with every pixel in the mask. */
function flat(w: number, h: number): AreaCrop {
  const data = new Float32Array(w * h).fill(70);
  return {
    area: 'forehead',
    x0: 0,
    y0: 0,
    lightness: { data, width: w, height: h },
    mask: { data: new Uint8Array(w * h).fill(1), width: w, height: h },
    skinPixels: w * h,
    occludedFraction: 0,
  };
}

/** Draws a dark valley (Gaussian profile of std `s` px, `depth` L*) from a to b. */
function drawLine(img: FloatImage, a: [number, number], b: [number, number], s: number, depth: number): void {
  const [ax, ay] = a;
  const dx = b[0] - ax;
  const dy = b[1] - ay;
  const len = Math.hypot(dx, dy);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const px = x + 0.5 - ax;
      const py = y + 0.5 - ay;
      const t = Math.max(0, Math.min(len, (px * dx + py * dy) / len));
      const d = Math.hypot(px - (t * dx) / len, py - (t * dy) / len);
      img.data[y * img.width + x]! -= depth * Math.exp(-(d * d) / (2 * s * s));
    }
  }
}

/** Deterministic noise of ±amp L*. */
function addNoise(img: FloatImage, amp: number, seed = 1): void {
  let a = seed;
  for (let i = 0; i < img.data.length; i++) {
    a = (a * 1664525 + 1013904223) >>> 0;
    img.data[i]! += ((a / 4294967296) * 2 - 1) * amp;
  }
}

describe('line detector (synthetic)', () => {
  for (const [angleDeg, length, s] of [
    [0, 120, 1.2],
    [90, 80, 1.5],
    [30, 100, 2],
    [-60, 60, 1.2],
  ] as const) {
    it(`finds a ${length} px line at ${angleDeg}° (σ ${s} px) with its length within 15%`, () => {
      const crop = flat(200, 200);
      const t = (angleDeg * Math.PI) / 180;
      const c: [number, number] = [100, 100];
      const half = length / 2;
      drawLine(
        crop.lightness,
        [c[0] - half * Math.cos(t), c[1] - half * Math.sin(t)],
        [c[0] + half * Math.cos(t), c[1] + half * Math.sin(t)],
        s,
        8,
      );
      addNoise(crop.lightness, 1);
      const lines = detectLines(crop, { sigmasPx: [1, 1.5, 2, 3], low: 1.6, high: 3.2, minLengthPx: 10 });
      assert.equal(lines.length, 1, `one line, got ${lines.length}`);
      const line = lines[0]!;
      assert.ok(Math.abs(line.lengthPx - length) / length < 0.15, `length ${line.lengthPx} vs ${length}`);
      let diff = Math.abs(line.angle - t) % Math.PI;
      if (diff > Math.PI / 2) diff = Math.PI - diff;
      assert.ok(diff < (5 * Math.PI) / 180, `angle ${(line.angle * 180) / Math.PI} vs ${angleDeg}`);
      assert.ok(line.depth > 4 && line.depth < 12, `depth proxy ${line.depth} for an 8 L* valley`);
    });
  }

  it('keeps lines along the orientation prior and drops the others', () => {
    const crop = flat(200, 200);
    drawLine(crop.lightness, [30, 60], [170, 60], 1.5, 8);
    drawLine(crop.lightness, [100, 90], [100, 190], 1.5, 8);
    const lines = detectLines(crop, {
      sigmasPx: [1, 1.5, 2],
      low: 1.6,
      high: 3.2,
      minLengthPx: 10,
      prior: { direction: { angle: 0 }, tolerance: (25 * Math.PI) / 180 },
    });
    assert.equal(lines.length, 1);
    assert.ok(Math.abs(lines[0]!.angle) < 0.1);
  });

  it('finds nothing on smooth noisy skin', () => {
    const crop = flat(200, 200);
    addNoise(crop.lightness, 1.5, 3);
    assert.equal(
      detectLines(crop, { sigmasPx: [1, 1.5, 2], low: 1.6, high: 3.2, minLengthPx: 10 }).length,
      0,
    );
  });
});

describe('blob detector (synthetic)', () => {
  /** Dark Gaussian spots of radius r (σ = r/√2) on a jittered grid; returns the true centres. */
  function spots(img: FloatImage, r: number, depth: number, gap: number): [number, number][] {
    const centres: [number, number][] = [];
    let a = 5;
    const rand = () => {
      a = (a * 1664525 + 1013904223) >>> 0;
      return a / 4294967296;
    };
    for (let y = gap; y < img.height - gap; y += gap)
      for (let x = gap; x < img.width - gap; x += gap)
        centres.push([x + (rand() - 0.5) * 4, y + (rand() - 0.5) * 4]);
    const s = r / Math.SQRT2;
    for (let y = 0; y < img.height; y++)
      for (let x = 0; x < img.width; x++)
        for (const [cx, cy] of centres) {
          const d2 = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2;
          if (d2 < 16 * s * s) img.data[y * img.width + x]! -= depth * Math.exp(-d2 / (2 * s * s));
        }
    return centres;
  }

  for (const r of [1.5, 2.5, 3.5]) {
    it(`counts blobs of radius ${r} px with recall and precision ≥ 0.9`, () => {
      const crop = flat(240, 240);
      const truth = spots(crop.lightness, r, 10, 20);
      addNoise(crop.lightness, 1.5, 9);
      const found = darkBlobs(crop.lightness, {
        sigmasPx: [0.8, 1.1, 1.6, 2.2, 3.1, 4.4],
        minResponse: 2,
        minCircularity: 0.5,
        minContrast: 3,
        backgroundPx: 8,
        mask: crop.mask.data,
        dropLargestScale: true,
      });
      const hit = (p: [number, number], list: { x: number; y: number }[]) =>
        list.some((q) => Math.hypot(q.x - p[0], q.y - p[1]) <= Math.max(2, r));
      const recall = truth.filter((t) => hit(t, found)).length / truth.length;
      const precision =
        found.filter((f) =>
          hit(
            [f.x, f.y],
            truth.map(([x, y]) => ({ x, y })),
          ),
        ).length / found.length;
      assert.ok(recall >= 0.9, `recall ${recall}`);
      assert.ok(precision >= 0.9, `precision ${precision} (${found.length} found, ${truth.length} true)`);
      const radii = found.map((f) => f.radius).sort((a, b) => a - b);
      const median = radii[radii.length >> 1]!;
      assert.ok(Math.abs(median - r) / r < 0.35, `median radius ${median} vs ${r}`);
    });
  }

  it('ignores lines (not round)', () => {
    const crop = flat(200, 200);
    drawLine(crop.lightness, [20, 100], [180, 100], 1.5, 10);
    const found = darkBlobs(crop.lightness, {
      sigmasPx: [0.8, 1.1, 1.6, 2.2],
      minResponse: 2,
      minCircularity: 0.5,
      minContrast: 3,
      backgroundPx: 8,
      mask: crop.mask.data,
    });
    assert.ok(found.length <= 2, `${found.length} blobs on a line`);
  });
});
