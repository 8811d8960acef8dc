import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clearWhere, copyAt, excessAt, keepAboveAt, markAt } from './pixel-stats.ts';

describe('writes at pixel indices', () => {
  const idx = Int32Array.from([1, 3, 4]);

  it('markAt sets the listed pixels and leaves the others', () => {
    const mask = Uint8Array.from([0, 0, 1, 0, 0]);
    markAt(mask, idx);
    assert.deepEqual([...mask], [0, 1, 1, 1, 1]);
  });

  it('clearWhere clears the pixels set in the mask', () => {
    const out = Uint8Array.from([1, 1, 0, 1, 1]);
    clearWhere(out, Uint8Array.from([0, 1, 1, 0, 1]));
    assert.deepEqual([...out], [1, 0, 0, 1, 0]);
  });

  it('copyAt copies the listed pixels only', () => {
    const to = new Float32Array(5);
    copyAt(to, Float32Array.from([9, 8, 7, 6, 5]), idx);
    assert.deepEqual([...to], [0, 8, 0, 6, 5]);
  });

  it('excessAt writes map − a − b where positive, at the listed pixels only', () => {
    const out = new Float32Array(5);
    excessAt(out, Float32Array.from([10, 10, 10, 2, 6]), idx, 3, 1);
    assert.deepEqual([...out], [0, 6, 0, 0, 2]);
  });

  it('keepAboveAt copies the listed values above the threshold', () => {
    const out = new Float32Array(5);
    keepAboveAt(out, Float32Array.from([5, 5, 5, 2, 3]), idx, 2);
    assert.deepEqual([...out], [0, 5, 0, 0, 3]);
  });
});
