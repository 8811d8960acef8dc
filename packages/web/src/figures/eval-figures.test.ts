import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { evalFigures } from './eval-figures.ts';

test('the published figures of each algorithm come from eval-results/latest.json', () => {
  const latest = JSON.parse(
    readFileSync(new URL('../../../../eval-results/latest.json', import.meta.url), 'utf8'),
  );
  const figures = evalFigures(latest);
  assert.equal(figures.date, latest.date);
  for (const algorithm of ['redness', 'age', 'acne', 'lines', 'quality']) {
    const f = figures.metrics[algorithm];
    assert.ok(f, algorithm);
    const row = latest.retest.rows.find((r: { metric: string }) => r.metric === f.metric);
    assert.equal(f.retestChange, Number(row.mean_abs_change.toFixed(2)));
  }
  assert.match(figures.metrics.age!.accuracy!, /^Off by \d+(\.\d)? years/);
  assert.match(figures.metrics.acne!.accuracy!, /ACNE04 held-out half/);
  assert.match(figures.metrics.redness!.accuracy!, /Spearman ρ -0\.\d+/);
  assert.equal(figures.metrics.quality!.accuracy, undefined, 'no accuracy figure is invented');
});

test('missing sections give missing figures', () => {
  assert.deepEqual(evalFigures({}), { date: '', commit: '', metrics: {} });
  assert.deepEqual(evalFigures(null).metrics, {});
});
