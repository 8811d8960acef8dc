import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assessFrame, type CropStats, faceCropStats, type SeenFace } from './guidance.ts';

const good: CropStats = { mean: 140, left: 138, right: 142, clipped: 0.01, sharpness: 300 };
const face = (over: Partial<SeenFace> = {}): SeenFace => ({
  box: [220, 120, 200, 240],
  yaw: 2,
  pitch: -3,
  roll: 1,
  ...over,
});
const ok = (checks: ReturnType<typeof assessFrame>) => Object.fromEntries(checks.map((c) => [c.id, c.ok]));

describe('capture guidance', () => {
  test('a centred, well-lit, sharp, frontal face of a good size passes every check', () => {
    const checks = assessFrame({ width: 640, height: 480, faces: [face()], stats: good });
    assert.deepEqual(ok(checks), {
      face: true,
      position: true,
      size: true,
      light: true,
      sharpness: true,
      pose: true,
    });
  });

  test('each problem is named with what to do', () => {
    const advice = (frame: Parameters<typeof assessFrame>[0], id: string) =>
      assessFrame(frame).find((c) => c.id === id)!;
    const frame = { width: 640, height: 480, faces: [face()], stats: good };
    assert.equal(advice({ ...frame, faces: [] }, 'face').advice, 'No face found: look at the camera');
    assert.equal(advice({ ...frame, faces: [face(), face({ box: [0, 0, 50, 60] })] }, 'face').ok, false);
    assert.equal(advice({ ...frame, faces: [face({ box: [0, 0, 200, 240] })] }, 'position').ok, false);
    assert.equal(
      advice({ ...frame, faces: [face({ box: [300, 220, 60, 70] })] }, 'size').advice,
      'Come closer to the camera',
    );
    assert.equal(
      advice({ ...frame, faces: [face({ box: [100, 20, 440, 450] })] }, 'size').advice,
      'Move a little further away',
    );
    assert.match(advice({ ...frame, stats: { ...good, mean: 40 } }, 'light').advice, /Too dark/);
    assert.match(advice({ ...frame, stats: { ...good, clipped: 0.3 } }, 'light').advice, /Too bright/);
    assert.match(advice({ ...frame, stats: { ...good, left: 80, right: 180 } }, 'light').advice, /one side/);
    assert.match(advice({ ...frame, stats: { ...good, sharpness: 10 } }, 'sharpness').advice, /blurred/);
    assert.match(advice({ ...frame, faces: [face({ yaw: 30 })] }, 'pose').advice, /Turn your head/);
    assert.match(advice({ ...frame, faces: [face({ roll: 20 })] }, 'pose').advice, /upright/);
  });

  test('crop statistics: a flat grey crop has no detail, a checkerboard a lot; halves and clipping are measured', () => {
    const crop = (w: number, h: number, f: (x: number, y: number) => number) => {
      const rgba = new Uint8ClampedArray(w * h * 4);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const v = f(x, y);
          rgba.set([v, v, v, 255], (y * w + x) * 4);
        }
      return rgba;
    };
    const flat = faceCropStats(
      crop(16, 16, () => 128),
      16,
      16,
    );
    assert.ok(Math.abs(flat.mean - 128) < 0.01);
    assert.equal(flat.sharpness, 0);
    const checker = faceCropStats(
      crop(16, 16, (x, y) => ((x + y) % 2 ? 255 : 0)),
      16,
      16,
    );
    assert.ok(checker.sharpness > 1000);
    assert.ok(Math.abs(checker.clipped - 0.5) < 0.01);
    const sided = faceCropStats(
      crop(16, 16, (x) => (x < 8 ? 50 : 200)),
      16,
      16,
    );
    assert.ok(Math.abs(sided.left - 50) < 0.5 && Math.abs(sided.right - 200) < 0.5);
  });
});
