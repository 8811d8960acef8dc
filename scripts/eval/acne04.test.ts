import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchDetections, readAcne04 } from './acne04.ts';
import { darkenLinear } from './tone.ts';

describe('acne04 matching', () => {
  const box: [number, number, number, number] = [100, 100, 120, 120];

  it('matches a centre inside the box or its 25% margin, not beyond', () => {
    assert.equal(matchDetections([[110, 110]], [box]), 1);
    assert.equal(matchDetections([[124, 110]], [box]), 1);
    assert.equal(matchDetections([[126, 110]], [box]), 0);
  });

  it('is one-to-one: two detections in one box match once, one detection matches the nearer box', () => {
    assert.equal(
      matchDetections(
        [
          [108, 108],
          [112, 112],
        ],
        [box],
      ),
      1,
    );
    const next: [number, number, number, number] = [118, 100, 138, 120];
    assert.equal(
      matchDetections(
        [
          [119, 110],
          [130, 110],
        ],
        [box, next],
      ),
      2,
    );
  });

  it('reads the labels: 283 photos, alternating fit and test halves, boxes with four numbers', async () => {
    const items = await readAcne04();
    assert.equal(items.length, 283);
    assert.equal(items.filter((i) => i.split === 'fit').length, 142);
    assert.ok(items.every((i) => i.boxes.every((b) => b.length === 4 && b[2] > b[0] && b[3] > b[1])));
  });
});

describe('tone darkening', () => {
  it('scales linear RGB: factor 1 keeps the pixels, a smaller factor darkens every channel', () => {
    const px = Uint8Array.from([200, 150, 120, 30, 20, 10]);
    assert.deepEqual(darkenLinear(px, 1), px);
    const dark = darkenLinear(px, 0.6);
    assert.ok(dark.every((v, i) => v < px[i]! || px[i] === 0));
  });
});
