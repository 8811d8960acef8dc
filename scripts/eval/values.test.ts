import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binDistance } from './fairface.ts';
import { icc21, pearson, spearman } from './values.ts';

describe('eval statistics', () => {
  it('Spearman is 1 for any increasing relation and handles ties', () => {
    assert.equal(spearman([0, 1, 2, 3, 4], [1, 4, 9, 16, 100]), 1);
    assert.equal(spearman([0, 1, 2, 3], [4, 3, 2, 1]), -1);
    assert.ok(
      Math.abs(spearman([0, 1, 2, 3], [1, 1, 2, 2]) - pearson([0, 1, 2, 3], [0.5, 0.5, 2.5, 2.5])) < 1e-12,
    );
  });

  it('ICC(2,1) is 1 for identical ratings and drops with disagreement', () => {
    const subjects = [10, 20, 30, 40, 50];
    assert.ok(Math.abs(icc21(subjects.map((s) => [s, s])) - 1) < 1e-12);
    const noisy = icc21(subjects.map((s, i) => [s, s + (i % 2 ? 8 : -8)]));
    assert.ok(noisy < 0.95 && noisy > 0.5, String(noisy));
    const shifted = icc21(subjects.map((s) => [s, s + 10]));
    assert.ok(shifted < 1, 'absolute agreement penalises a constant shift');
  });

  it('measures the distance to an age bin, 0 inside', () => {
    const bin = { lo: 20, hi: 30 };
    assert.equal(binDistance(25, bin), 0);
    assert.equal(binDistance(29.9, bin), 0);
    assert.equal(binDistance(17, bin), 3);
    assert.equal(binDistance(32, bin), 2);
    assert.equal(binDistance(90, { lo: 70, hi: Number.POSITIVE_INFINITY }), 0);
  });
});
