import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type AlgorithmResult, type MaskCollection, metricValue } from '@skinscope/engine';
import sharp from 'sharp';
import {
  faceResult,
  NO_MASKS,
  notAssessableResult,
  squareMasks,
  squareRing,
} from '../testing/algorithm-result.ts';
import { type StoredImage, storeAnalysedImage } from '../testing/stored-analysis.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { CHART_COLOUR } from './pdf-report.ts';

const run = promisify(execFile);
const ok = (
  tech: string,
  name: string,
  value: number | string,
  widget: 'bad_good_line' | 'years' | 'class',
  masks: MaskCollection = NO_MASKS,
): AlgorithmResult => faceResult(tech, metricValue(`${tech}_score`, name, value, widget), { masks });

/** One analysis of the subject, with redness and acne scores that change over time. */
function results(redness: number, acne: number): AlgorithmResult[] {
  return [
    ok('face_detector', 'Face Confidence', 1, 'years', squareMasks([100, 60, 200])),
    ok('age', 'Perceived Age', 34.4, 'years'),
    ok('skin_tone', 'Skin Tone', 'Intermediate', 'class'),
    ok('redness', 'Redness Score', redness, 'bad_good_line', {
      mask_type: 'heatmap_mask',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Polygon', coordinates: squareRing(150, 120, 50) },
          properties: { intensity: 0.8 },
        },
      ],
    }),
    ok('acne', 'Acne Score', acne, 'bad_good_line', squareMasks([220, 180, 30])),
    {
      algorithm_family_tech_name: 'selfie_v2.sagging',
      algorithm_tech_name: 'sagging',
      algorithm_version: '1',
      is_ok: true,
      result: {
        area_results: [
          {
            area_name: 'face',
            main_metric: {
              value: null,
              widget_type: 'bad_good_line',
              name: 'Sagging Score',
              tech_name: 'sagging_score',
              widget_meta: null,
            },
            sub_metrics: [],
          },
        ],
        not_assessable_areas: [
          { area_name: 'face', reason: 'pose', detail: 'head pose outside |yaw| ≤ 15°' },
        ],
        masks_original: NO_MASKS,
        masks_restored: NO_MASKS,
      },
    },
    notAssessableResult('pores'),
  ];
}

describe('PDF report of an image (pdfkit), read back with poppler-utils', () => {
  let t: TestApp;
  let latest: StoredImage;
  let pdfPath: string;

  before(async () => {
    t = await createTestApp();
    const photo = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#c8a890' } })
      .jpeg()
      .toBuffer();
    const first = await storeAnalysedImage(t.data, t.a.companyId, {
      bytes: photo,
      width: 400,
      height: 300,
      results: results(52, 90),
    });
    const into = { datasetId: first.datasetId, subjectId: first.subjectId };
    await new Promise((r) => setTimeout(r, 5));
    await storeAnalysedImage(t.data, t.a.companyId, {
      bytes: photo,
      width: 400,
      height: 300,
      results: results(64, 85),
      into,
    });
    await new Promise((r) => setTimeout(r, 5));
    latest = await storeAnalysedImage(t.data, t.a.companyId, {
      bytes: photo,
      width: 400,
      height: 300,
      results: results(81, 95),
      into,
    });
    pdfPath = join(t.dir, 'report.pdf');
    if (process.env.KEEP_PDF) pdfPath = process.env.KEEP_PDF;
  });
  after(() => t.close());

  const url = (s: StoredImage, company = t.a.companyId) =>
    `/service/pdf-generator/companies/${company}/datasets/${s.datasetId}/subjects/${s.subjectId}/batches/${s.batchId}/images/${s.image.id}/pdf/`;

  test('the seed request (access-token header, timeout, waitUntil) returns a PDF with metrics, masks and history', async () => {
    const token = await t.login(t.a);
    const response = await t.app.inject({
      method: 'POST',
      url: url(latest),
      headers: { 'access-token': token, 'content-type': 'application/json' },
      payload: { timeout: 30000, waitUntil: 'networkidle0' },
    });
    assert.equal(response.statusCode, 200, response.body.slice(0, 300));
    assert.equal(response.headers['content-type'], 'application/pdf');
    assert.equal(response.rawPayload.subarray(0, 5).toString(), '%PDF-');
    writeFileSync(pdfPath, response.rawPayload);

    const { stdout: text } = await run('pdftotext', ['-layout', pdfPath, '-']);
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [
      'Skin analysis report',
      'Redness Score',
      'Acne Score',
      'Perceived Age',
      '34 years',
      'Intermediate',
      'Not assessable at this resolution',
      'Masks',
      'History',
    ])
      assert.ok(flat.includes(expected), `the PDF says "${expected}"`);
    assert.match(text, /Redness Score\s+81\s+Great/);
    assert.match(text, /Acne Score\s+95\s+Excellent/);
    assert.match(text, /Sagging Score\s+Not assessable/);
    assert.ok(
      flat.includes('the head is turned too far'),
      'a face area the engine could not assess says why',
    );
    assert.match(text, /3 photos/);

    const { stdout: images } = await run('pdfimages', ['-list', pdfPath]);
    const rows = images.trim().split('\n').slice(2);
    assert.ok(rows.length >= 3, `the photo and two mask images are embedded:\n${images}`);

    const { stdout: info } = await run('pdfinfo', [pdfPath]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    assert.ok(pages >= 3, `${pages} pages`);
    await run('pdftoppm', [
      '-png',
      '-r',
      '40',
      '-f',
      String(pages),
      '-l',
      String(pages),
      pdfPath,
      join(t.dir, 'page'),
    ]);
    const page = readFileSync(join(t.dir, `page-${String(pages).padStart(String(pages).length, '0')}.png`));
    const { data, info: png } = await sharp(page).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(CHART_COLOUR.slice(i, i + 2), 16));
    let line = 0;
    for (let i = 0; i < png.width * png.height; i++)
      if (
        Math.abs(data[3 * i]! - r!) < 40 &&
        Math.abs(data[3 * i + 1]! - g!) < 40 &&
        Math.abs(data[3 * i + 2]! - b!) < 40
      )
        line++;
    assert.ok(line > 40, `the history page draws the chart lines (${line} pixels of the chart colour)`);
  });

  test('a bearer token works; another company gets 404; an image not analysed yet gets 409', async () => {
    const token = await t.login(t.a);
    const bearer = await t.app.inject({
      method: 'POST',
      url: url(latest),
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(bearer.statusCode, 200);
    const other = await t.login(t.b);
    const foreign = await t.app.inject({
      method: 'POST',
      url: url(latest),
      headers: { authorization: `Bearer ${other}` },
    });
    assert.equal(foreign.statusCode, 404);
    const asB = await t.app.inject({
      method: 'POST',
      url: url(latest, t.b.companyId),
      headers: { authorization: `Bearer ${other}` },
    });
    assert.equal(asB.statusCode, 404);
    await t.data.store.images.update(latest.image.id, { status: 'processing' });
    const busy = await t.app.inject({
      method: 'POST',
      url: url(latest),
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(busy.statusCode, 409);
    await t.data.store.images.update(latest.image.id, { status: 'done' });
    const bad = await t.app.inject({
      method: 'POST',
      url: url(latest),
      headers: { authorization: `Bearer ${token}` },
      payload: { timeout: 5 },
    });
    assert.equal(bad.statusCode, 400);
  });
});
