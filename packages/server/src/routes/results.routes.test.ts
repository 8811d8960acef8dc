import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AlgorithmResult, metricValue } from '@skinscope/engine';
import { FACE_SKIN_METRICS_2 } from '../catalog/catalog.ts';
import { faceResult, NO_MASKS, squareMasks } from '../testing/algorithm-result.ts';
import { type StoredImage, storeAnalysedImage } from '../testing/stored-analysis.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { resultOut } from './serializers.ts';

/** Results with text that JSON must escape (quotes, backslashes, control and non-ASCII characters) and numbers of every kind. */
const RESULTS: AlgorithmResult[] = [
  faceResult('face_detector', metricValue('face_count', 'Faces "found" \\ here', 1), {
    masks: squareMasks([10, 10, 20]),
    restored: NO_MASKS,
    raw: { note: 'tab\tnewline\nnul\u0000 é ✓ 😀', tiny: 1e-7, big: 1.5e21, negative: -0.125 },
  }),
  faceResult('acne', metricValue('acne_score', 'Acne score', 71.25, 'bad_good_line'), {
    sub: [metricValue('count', 'Count', 3)],
    masks: squareMasks([40, 40, 60], [5, 5, 5]),
    restored: NO_MASKS,
  }),
];

describe('GET results/: the stored results as they are', () => {
  let t: TestApp;
  let token: string;
  let stored: StoredImage;

  before(async () => {
    t = await createTestApp();
    token = await t.login(t.a);
    stored = await storeAnalysedImage(t.data, t.a.companyId, {
      bytes: new Uint8Array([1, 2, 3]),
      width: 100,
      height: 100,
      results: RESULTS,
    });
  });
  after(() => t.close());

  const get = (query = '') =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1/companies/${t.a.companyId}/datasets/${stored.datasetId}/subjects/${stored.subjectId}/batches/${stored.batchId}/images/${stored.image.id}/results/${query}`,
      headers: { authorization: `Bearer ${token}` },
    });

  test('the same bytes as serialising the parsed records', async () => {
    const response = await get();
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const records = await t.data.store.images.listResults(t.a.companyId, stored.image.id);
    assert.equal(records.length, RESULTS.length);
    assert.equal(response.body, JSON.stringify(records.map(resultOut)));
    const body = response.json() as { algorithm_tech_name: string; result: unknown }[];
    assert.deepEqual(
      body.map((r) => r.result),
      RESULTS.map((r) => JSON.parse(JSON.stringify(r.result))),
    );
  });

  test('the filters of the query', async () => {
    assert.equal((await get(`?application_id=${FACE_SKIN_METRICS_2.id}`)).json().length, RESULTS.length);
    assert.equal(
      (await get(`?application_name=${encodeURIComponent(FACE_SKIN_METRICS_2.name)}`)).json().length,
      RESULTS.length,
    );
    assert.deepEqual((await get('?application_id=another')).json(), []);
    assert.deepEqual((await get('?application_run_id=another')).json(), []);
    assert.equal((await get('?application_name=another')).body, '[]');
  });
});
