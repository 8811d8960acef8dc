import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type SeededImage, seedImage } from '../testing/seed.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const DAY = 86_400_000;
const T = Date.UTC(2026, 0, 31, 12);
const at = (days: number) => new Date(T + days * DAY).toISOString();

describe('history: all_results over time and smoothed_results over HTTP', () => {
  let t: TestApp;
  let token: string;
  let images: SeededImage[];
  let latest: SeededImage;
  let subjectUrl: string;
  const get = (url: string, tk = token) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tk}` } });

  before(async () => {
    t = await createTestApp();
    token = await t.login(t.a);
    // redness of one subject: 10 at day -20 (outside a 14-day window), 60 exactly 14 days back (the
    // window's edge, inside), then 62, 61, 63 and an outlier 95 on the image asked about.
    const series: [number, number][] = [
      [-20, 10],
      [-14, 60],
      [-9, 62],
      [-6, 61],
      [-3, 63],
      [0, 95],
    ];
    images = [];
    let first: SeededImage | undefined;
    for (const [days, redness] of [...series].reverse()) {
      const img = await seedImage(t, t.a, token, {
        datasetId: first?.datasetId,
        subjectId: first?.subjectId,
        scores: { face_detector: 100, redness, skin_tone: 'Light' },
        creationTime: at(days),
      });
      first ??= img;
      images.unshift(img);
    }
    latest = images[images.length - 1]!;
    // Another subject of the same dataset, the day before: not part of this subject's history.
    await seedImage(t, t.a, token, {
      datasetId: latest.datasetId,
      scores: { redness: 0 },
      creationTime: at(-1),
    });
    subjectUrl = `/api/v1/companies/${t.a.companyId}/datasets/${latest.datasetId}/subjects/${latest.subjectId}`;
  });
  after(() => t.close());

  test('all_results: every result of the subject, oldest image first, in the results/ element shape', async () => {
    const r = await get(`${subjectUrl}/all_results/`);
    assert.equal(r.statusCode, 200);
    const rows = r.json() as {
      image_id: string;
      algorithm_tech_name: string;
      algorithm_family_tech_name: string;
      is_ok: boolean;
      result: { area_results: { main_metric: { value: unknown } }[] };
      image_creation_time: string;
      batch_id: string;
    }[];
    assert.equal(rows.length, 6 * 3);
    assert.deepEqual(
      [...new Set(rows.map((x) => x.image_id))],
      images.map((i) => i.imageId),
    );
    const redness = rows.filter((x) => x.algorithm_tech_name === 'redness');
    assert.deepEqual(
      redness.map((x) => x.result.area_results[0]!.main_metric.value),
      [10, 60, 62, 61, 63, 95],
    );
    assert.equal(redness[0]!.algorithm_family_tech_name, 'selfie_v2.redness');
    assert.equal(redness[0]!.image_creation_time, at(-20).replace('T', ' ').slice(0, 19));
    assert.equal(redness[0]!.batch_id, images[0]!.batchId);
  });

  test('all_results: date_from / date_to bound the image time (dates, date-times without a zone)', async () => {
    const values = async (query: string) => {
      const r = await get(`${subjectUrl}/all_results/?${query}`);
      assert.equal(r.statusCode, 200, r.body);
      return (
        r.json() as {
          algorithm_tech_name: string;
          result: { area_results: { main_metric: { value: number } }[] };
        }[]
      )
        .filter((x) => x.algorithm_tech_name === 'redness')
        .map((x) => x.result.area_results[0]!.main_metric.value);
    };
    assert.deepEqual(await values(`date_from=${at(-7).slice(0, 19)}`), [61, 63, 95]);
    assert.deepEqual(
      await values(`date_to=${at(-9).slice(0, 10)}`),
      [10, 60, 62],
      'a date includes its whole day',
    );
    assert.deepEqual(
      await values(`date_from=${at(-14).slice(0, 10)}&date_to=${at(-6).slice(0, 10)}`),
      [60, 62, 61],
    );
    const bad = await get(`${subjectUrl}/all_results/?date_from=last-week`);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'validation_error');
  });

  test('smoothed_results: mean, mean_without_outliers and linear_approximation match the hand-computed values', async () => {
    const smoothed = async (query: string) => {
      const r = await get(`${latest.url}/smoothed_results/?${query}`);
      assert.equal(r.statusCode, 200, r.body);
      const rows = r.json() as { algorithm_tech_name: string; value: number; sample_size: number }[];
      assert.ok(
        !rows.some((x) => x.algorithm_tech_name === 'skin_tone'),
        'a categorical metric is not smoothed',
      );
      return rows.find((x) => x.algorithm_tech_name === 'redness')!;
    };
    // Window 14 days: 60 (edge), 62, 61, 63, 95; the day -20 value and the other subject are out.
    const mean = await smoothed('sample_time_window=14&sample_max_size=10&smoothing_method=mean');
    assert.deepEqual([mean.value, mean.sample_size], [68.2, 5]);
    const robust = await smoothed(
      'sample_time_window=14&sample_max_size=10&smoothing_method=mean_without_outliers',
    );
    assert.equal(robust.value, 61.5, '95 is outside [58, 66]');
    const line = await smoothed('smoothing_method=linear_approximation');
    assert.equal(line.value, 80.73, 'least squares over days -14..0 evaluated at day 0');
    assert.equal((await smoothed('')).value, 68.2, 'defaults: 14 days, 10 images, mean');
    assert.equal((await smoothed('sample_time_window=13')).value, 70.25, 'the day -14 image falls out');
    assert.equal((await smoothed('sample_max_size=3')).value, 73, 'the newest 3: 61, 63, 95');
    // The day -9 image sees only what came before it: 10, 60, 62 (day -23 to -9), mean 44.
    const older = await get(`${images[2]!.url}/smoothed_results/?sample_time_window=14`);
    assert.equal(
      older.json().find((x: { algorithm_tech_name: string }) => x.algorithm_tech_name === 'redness').value,
      44,
    );
  });

  test('smoothed_results: bad parameters answer 400; another company answers 404', async () => {
    for (const q of ['smoothing_method=median', 'sample_time_window=0', 'sample_max_size=abc']) {
      const r = await get(`${latest.url}/smoothed_results/?${q}`);
      assert.equal(r.statusCode, 400, q);
      assert.equal(r.json().code, 'validation_error');
    }
    const other = await t.login(t.b);
    assert.equal((await get(`${latest.url}/smoothed_results/`, other)).statusCode, 404);
    assert.equal((await get(`${subjectUrl}/all_results/`, other)).statusCode, 404);
  });
});
