import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
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
import { deleteImageRenders, maskRendersCleanup } from './mask-render.service.ts';

const W = 400;
const H = 300;
const GREY = 128;
const PX_PER_MM = 10;

const result = (
  tech: string,
  masks: MaskCollection,
  restored: MaskCollection = NO_MASKS,
  raw = {},
): AlgorithmResult =>
  faceResult(tech, metricValue(`${tech}_score`, `${tech} score`, 71, 'bad_good_line'), {
    sub: [metricValue('count', 'Count', 3)],
    masks,
    restored,
    raw,
  });

/** Known geometry on a flat grey photo: every mask type at a known place and size. */
const RESULTS: AlgorithmResult[] = [
  // Face box edge 200 px in the original and 100 px in the restored image: restored px/mm = 5.
  result('face_detector', squareMasks([100, 50, 200]), squareMasks([50, 50, 100])),
  result('quality', NO_MASKS, NO_MASKS, { pxPerMm: PX_PER_MM }),
  result('acne', squareMasks([40, 40, 60])),
  result(
    'pores',
    {
      mask_type: 'point_mask',
      features: [
        {
          type: 'Feature',
          geometry: {
            type: 'MultiPoint',
            coordinates: [
              [250, 100],
              [320, 100],
            ],
          },
          properties: { radii_mm: [0.5, 1.0] },
        },
      ],
    },
    {
      mask_type: 'point_mask',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'MultiPoint', coordinates: [[100, 100]] },
          properties: { radii_mm: [1.0] },
        },
      ],
    },
  ),
  result('lines', {
    mask_type: 'polyline_mask',
    features: [
      {
        type: 'Feature',
        geometry: {
          type: 'LineString',
          coordinates: [
            [40, 220],
            [360, 220],
          ],
        },
        properties: {},
      },
    ],
  }),
  result('redness', {
    mask_type: 'heatmap_mask',
    features: [
      {
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: squareRing(200, 160, 40) },
        properties: { intensity: 1 },
      },
      {
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: squareRing(300, 160, 40) },
        properties: { intensity: 0 },
      },
    ],
  }),
  notAssessableResult('hydration'),
];

async function flat(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: GREY, g: GREY, b: GREY } } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

async function pixels(bytes: Uint8Array) {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    at: (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)],
  };
}

/** Within `tol` of the colour `c` drawn at `alpha` over the grey photo. */
function assertBlend(px: number[], c: [number, number, number], alpha: number, where: string, tol = 16) {
  const want = c.map((v) => alpha * v + (1 - alpha) * GREY);
  for (let i = 0; i < 3; i++)
    assert.ok(Math.abs(px[i]! - want[i]!) <= tol, `${where}: got ${px} want ~${want.map(Math.round)}`);
}

const assertGrey = (px: number[], where: string) => assertBlend(px, [GREY, GREY, GREY], 1, where, 6);

describe('rasterised and SVG masks (v4, v5) with signed links and a render cache', () => {
  let t: TestApp;
  let token: string;
  let stored: StoredImage;

  before(async () => {
    t = await createTestApp();
    token = await t.login(t.a);
    stored = await storeAnalysedImage(t.data, t.a.companyId, {
      bytes: await flat(W, H),
      width: W,
      height: H,
      results: RESULTS,
      restored: { bytes: await flat(200, 200), width: 200, height: 200 },
    });
  });
  after(() => t.close());

  const post = (path: string, payload: object, auth = token, company = t.a.companyId) =>
    t.app.inject({
      method: 'POST',
      url: `${path}?company_id=${company}`,
      headers: { authorization: `Bearer ${auth}` },
      payload,
    });
  const fetchUrl = async (url: string) => {
    const u = new URL(url);
    return t.app.inject({ method: 'GET', url: `${u.pathname}${u.search}` });
  };
  const v4 = async (masks: object[], imageType = 'original') => {
    const response = await post('/service/rasterisation/v4/masks/', {
      image_id: stored.image.id,
      image_type: imageType,
      masks,
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as {
      algorithm_tech_name: string;
      masked_image_url: string | null;
      error: string | null;
      main_metric: { value: number; tech_name: string } | null;
      sub_metrics: unknown[];
    }[];
  };
  const render = async (url: string | null) => {
    assert.ok(url);
    const response = await fetchUrl(url!);
    assert.equal(response.statusCode, 200, response.body.slice(0, 200));
    return response;
  };

  test('a polygon is filled at 40% with a solid outline where it is, and nothing is drawn elsewhere', async () => {
    const [acne] = await v4([
      {
        algorithm_tech_name: 'acne',
        fill_override: [],
        polyline_line_thickness: 0.001,
        main_metric: true,
        sub_metrics: true,
      },
    ]);
    assert.equal(acne!.error, null);
    assert.equal(acne!.main_metric!.value, 71);
    assert.equal(acne!.sub_metrics.length, 1);
    const response = await render(acne!.masked_image_url);
    assert.equal(response.headers['content-type'], 'image/jpeg');
    const p = await pixels(response.rawPayload);
    assert.equal(p.width, W);
    assertBlend(p.at(70, 70), [0xff, 0x6d, 0x00], 0.4, 'inside the polygon');
    const [inside, edge] = [p.at(70, 70), p.at(40, 70)];
    assert.ok(
      edge[0]! > inside[0]! && edge[2]! < inside[2]!,
      `the outline is more opaque: ${edge} vs ${inside}`,
    );
    for (const [x, y] of [
      [150, 150],
      [10, 10],
      [110, 70],
      [70, 110],
      [390, 290],
    ])
      assertGrey(p.at(x!, y!), `outside (${x},${y})`);
  });

  test('points are drawn at their real size (radius in mm × px/mm) and fill_override sets the colour', async () => {
    const [pores] = await v4([{ algorithm_tech_name: 'pores', fill_override: [0, 0, 255] }]);
    const p = await pixels((await render(pores!.masked_image_url)).rawPayload);
    // 0.5 mm at 10 px/mm: a 5 px radius; 1 mm: 10 px.
    assertBlend(p.at(250, 100), [0, 0, 255], 0.9, 'centre of the small pore');
    assertBlend(p.at(253, 100), [0, 0, 255], 0.9, '3 px from the small pore');
    assertGrey(p.at(258, 100), '8 px from the small pore');
    assertBlend(p.at(327, 100), [0, 0, 255], 0.9, '7 px from the large pore');
    assertGrey(p.at(333, 100), '13 px from the large pore');
  });

  test('polylines have the requested thickness; heatmaps are more opaque where more intense', async () => {
    const [lines, redness] = await v4([
      { algorithm_tech_name: 'lines', polyline_line_thickness: 0.02 },
      { algorithm_tech_name: 'redness' },
    ]);
    const l = await pixels((await render(lines!.masked_image_url)).rawPayload);
    // 0.02 × 400 px = 8 px wide: 4 px either side of y = 220.
    assertBlend(l.at(200, 220), [0x29, 0x79, 0xff], 1, 'on the line');
    assertBlend(l.at(200, 222), [0x29, 0x79, 0xff], 1, '2 px off the line');
    assertGrey(l.at(200, 228), '8 px off the line');
    const r = await pixels((await render(redness!.masked_image_url)).rawPayload);
    assertBlend(r.at(220, 180), [0xff, 0x17, 0x44], 0.85, 'intense region');
    assertBlend(r.at(320, 180), [0xff, 0x17, 0x44], 0.25, 'faint region');
    assertGrey(r.at(270, 180), 'between the regions');
  });

  test('restored masks are drawn on the restored face, at its own px/mm', async () => {
    const [pores] = await v4([{ algorithm_tech_name: 'pores' }], 'restored');
    const p = await pixels((await render(pores!.masked_image_url)).rawPayload);
    assert.equal(p.width, 200);
    // 1 mm at 5 px/mm (face box 100 px instead of 200): a 5 px radius.
    assertBlend(p.at(103, 100), [0x00, 0xe6, 0x76], 0.9, '3 px from the pore');
    assertGrey(p.at(108, 100), '8 px from the pore');
  });

  test('an algorithm without a result, or a failed one, answers error and no URL', async () => {
    const [missing, failed, metricsOff] = await v4([
      { algorithm_tech_name: 'translucency' },
      { algorithm_tech_name: 'hydration' },
      { algorithm_tech_name: 'acne', main_metric: false, sub_metrics: false },
    ]);
    assert.equal(missing!.masked_image_url, null);
    assert.match(missing!.error!, /no result/i);
    assert.equal(failed!.masked_image_url, null);
    assert.equal(failed!.error, 'Not assessable at this resolution');
    assert.equal(metricsOff!.main_metric, null);
    assert.deepEqual(metricsOff!.sub_metrics, []);
  });

  test('v5 answers SVGs that parse and draw the same geometry, with or without the photo', async () => {
    for (const over of [false, true]) {
      const response = await post('/service/rasterisation/v5/svg_masks/', {
        image_id: stored.image.id,
        image_type: 'original',
        mask_over_image: over,
        masks: [{ algorithm_tech_name: 'acne' }],
      });
      assert.equal(response.statusCode, 200, response.body);
      const [acne] = response.json() as { masked_image_url: string }[];
      const svg = await render(acne!.masked_image_url);
      assert.equal(svg.headers['content-type'], 'image/svg+xml');
      assert.match(svg.body, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.equal(svg.body.includes('<image'), over);
      const drawn = await sharp(svg.rawPayload)
        .flatten({ background: { r: GREY, g: GREY, b: GREY } })
        .png()
        .toBuffer();
      const p = await pixels(drawn);
      assert.equal(p.width, W);
      assertBlend(p.at(70, 70), [0xff, 0x6d, 0x00], 0.4, 'SVG inside the polygon', 6);
      assertGrey(p.at(150, 150), 'SVG outside');
    }
  });

  test('renders are cached per (image, mask, options) and deleted with their image', async () => {
    const [first] = await v4([{ algorithm_tech_name: 'acne' }]);
    const a = await render(first!.masked_image_url);
    const before = await t.data.store.maskRenders.listByImage(t.a.companyId, stored.image.id);
    const [again] = await v4([{ algorithm_tech_name: 'acne' }]);
    const b = await render(again!.masked_image_url);
    assert.deepEqual(a.rawPayload, b.rawPayload);
    const after = await t.data.store.maskRenders.listByImage(t.a.companyId, stored.image.id);
    assert.equal(after.length, before.length, 'the second fetch is served from the cache');
    const [blue] = await v4([{ algorithm_tech_name: 'acne', fill_override: [0, 0, 255, 128] }]);
    await render(blue!.masked_image_url);
    const rows = await t.data.store.maskRenders.listByImage(t.a.companyId, stored.image.id);
    assert.equal(rows.length, after.length + 1, 'other options, another render');
    const files = rows.map((r) => join(t.dir, 'blobs', r.blobKey));
    assert.ok(
      files.every((f) => existsSync(f)),
      'render files are in the blob store',
    );

    assert.equal(await deleteImageRenders(t.data, t.a.companyId, stored.image.id), rows.length);
    assert.deepEqual(await t.data.store.maskRenders.listByImage(t.a.companyId, stored.image.id), []);
    assert.ok(
      files.every((f) => !existsSync(f)),
      'render files deleted',
    );
    assert.equal(await deleteImageRenders(t.data, t.a.companyId, stored.image.id), 0, 'idempotent');

    const [redness] = await v4([{ algorithm_tech_name: 'redness' }]);
    await render(redness!.masked_image_url);
    const [row] = await t.data.store.maskRenders.listByImage(t.a.companyId, stored.image.id);
    await maskRendersCleanup(t.data.store)(stored.image, t.data.blobs);
    assert.deepEqual(await t.data.store.maskRenders.listByImage(t.a.companyId, stored.image.id), []);
    assert.equal(
      existsSync(join(t.dir, 'blobs', row!.blobKey)),
      false,
      'the cleanup step deletes files and rows',
    );
  });

  test('links are signed (a changed path or signature is refused) and tenants stay apart', async () => {
    const [acne] = await v4([{ algorithm_tech_name: 'acne' }]);
    const url = new URL(acne!.masked_image_url!);
    const forged = await t.app.inject({
      method: 'GET',
      url: `${url.pathname.replace('/acne/', '/pores/')}${url.search}`,
    });
    assert.equal(forged.statusCode, 403);
    const unsigned = await t.app.inject({ method: 'GET', url: url.pathname });
    assert.equal(unsigned.statusCode, 403);
    const other = await t.login(t.b);
    const foreignCompany = await post(
      '/service/rasterisation/v4/masks/',
      { image_id: stored.image.id, image_type: 'original', masks: [{ algorithm_tech_name: 'acne' }] },
      other,
    );
    assert.equal(foreignCompany.statusCode, 404);
    const foreignImage = await post(
      '/service/rasterisation/v4/masks/',
      { image_id: stored.image.id, image_type: 'original', masks: [{ algorithm_tech_name: 'acne' }] },
      other,
      t.b.companyId,
    );
    assert.equal(foreignImage.statusCode, 404);
    const bad = await post('/service/rasterisation/v4/masks/', {
      image_id: stored.image.id,
      image_type: 'sideways',
      masks: [],
    });
    assert.equal(bad.statusCode, 400);
  });
});
