import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { createCompanyApiKey } from '../accounts.service.ts';
import { createEngineAnalyzer } from '../engine.analyzer.ts';
import type { Analyzer } from '../ports/analyzer.ts';
import { createTestApp, FACES_DIR, type TestApp } from '../testing/test-app.ts';

const ADVANCED = '/api/portrait/analysis/skin-analysis-advanced';
const BASIC = '/api/portrait/analysis/skin-analysis';
const PORTRAIT = join(FACES_DIR, 'ageitgey__examples_knn_examples_test_alex_lacamoire1.jpg');

/** A multipart/form-data body as a browser or `curl -F` sends it. */
async function form(fields: Record<string, string | { bytes: Uint8Array; name: string; type: string }>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') data.append(k, v);
    else data.append(k, new Blob([Buffer.from(v.bytes)], { type: v.type }), v.name);
  }
  const response = new Response(data);
  return {
    payload: Buffer.from(await response.arrayBuffer()),
    headers: { 'content-type': response.headers.get('content-type')! },
  };
}

const jpeg = (bytes: Uint8Array, name = 'face.jpg') => ({ bytes, name, type: 'image/jpeg' });

const isInt = (v: unknown, lo: number, hi: number) =>
  Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;
const isNum = (v: unknown, lo: number, hi: number) =>
  typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;

/** A `{value, confidence}` entry: value an integer of [0, max] (or null with confidence 0), confidence in [0, 1]. */
function assertEntry(name: string, e: unknown, max: number) {
  assert.ok(e && typeof e === 'object', `${name} is an object`);
  const { value, confidence } = e as { value: unknown; confidence: unknown };
  assert.ok(isNum(confidence, 0, 1), `${name}.confidence ${confidence}`);
  if (value === null) assert.equal(confidence, 0, `${name}: null value has confidence 0`);
  else assert.ok(isInt(value, 0, max), `${name}.value ${value} in 0-${max}`);
}

function assertRects(name: string, r: unknown, withConfidence: boolean, width: number, height: number) {
  const { rectangle, confidence } = r as { rectangle: unknown; confidence?: unknown };
  assert.ok(Array.isArray(rectangle), `${name}.rectangle is an array`);
  for (const box of rectangle as Record<string, unknown>[]) {
    assert.deepEqual(Object.keys(box).sort(), ['height', 'left', 'top', 'width']);
    assert.ok(isNum(box.left, 0, width) && isNum(box.top, 0, height), `${name} box inside the photo`);
    assert.ok(isNum(box.width, 0, width) && isNum(box.height, 0, height), `${name} box size`);
  }
  if (withConfidence) {
    assert.ok(Array.isArray(confidence), `${name}.confidence is an array`);
    assert.equal((confidence as unknown[]).length, (rectangle as unknown[]).length);
    for (const c of confidence as unknown[]) assert.ok(isNum(c, 0, 1), `${name} confidence ${c}`);
  } else assert.equal(confidence, undefined, `${name} has no confidence without return_rect_confidence`);
}

function assertEnvelope(body: Record<string, unknown>, status: number, code: string) {
  for (const k of ['request_id', 'log_id', 'error_code_str', 'error_msg'])
    assert.equal(typeof body[k], 'string', k);
  assert.ok((body.request_id as string).length > 0 && (body.log_id as string).length > 0);
  assert.equal(body.error_code, status === 200 ? 0 : status);
  assert.equal(body.error_code_str, code);
  const detail = body.error_detail as Record<string, unknown>;
  assert.deepEqual(Object.keys(detail).sort(), ['code', 'code_message', 'message', 'status_code']);
  assert.equal(detail.status_code, status);
  assert.equal(detail.code, code);
  if (status !== 200) {
    assert.ok((detail.code_message as string).length > 0 && (detail.message as string).length > 0);
    assert.equal(body.result, undefined, 'an error carries no result');
  }
}

const ADVANCED_KEYS = [
  'skin_color',
  'skintone_ita',
  'skin_hue_ha',
  'skin_age',
  'left_eyelids',
  'right_eyelids',
  'eye_pouch',
  'eye_pouch_severity',
  'dark_circle',
  'forehead_wrinkle',
  'crows_feet',
  'eye_finelines',
  'glabella_wrinkle',
  'nasolabial_fold',
  'nasolabial_fold_severity',
  'skin_type',
  'pores_forehead',
  'pores_left_cheek',
  'pores_right_cheek',
  'pores_jaw',
  'blackhead',
  'acne',
  'mole',
  'closed_comedones',
  'skin_spot',
  'face_maps',
  'sensitivity',
];

describe('AILab-compatible skin analysis (real engine, real key, multipart as in the seed)', () => {
  let t: TestApp;
  let analyzer: Analyzer;
  let key: string;
  let portrait: Buffer;

  before(async () => {
    analyzer = await createEngineAnalyzer(1);
    t = await createTestApp({ analyzer });
    key = (await createCompanyApiKey(t.data.store, { companyId: t.a.companyId })).key;
    portrait = readFileSync(PORTRAIT);
  });
  after(async () => {
    await t.close();
    await analyzer.close();
  });

  /** `apiKey` null sends no key header. */
  const call = async (url: string, fields: Parameters<typeof form>[0], apiKey: string | null = key) => {
    const { payload, headers } = await form(fields);
    const response = await t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { ...headers, ...(apiKey === null ? {} : { 'ailabapi-api-key': apiKey }) },
    });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };

  test('a seed-exact request returns every field with its documented type and range, and stores nothing', async () => {
    const rowsBefore = await t.data.db.selectFrom('images').select('id').execute();
    const blobsBefore = readdirSync(t.dir, { recursive: true }).length;
    const { status, body } = await call(ADVANCED, {
      image: jpeg(portrait),
      face_quality_control: '1',
      return_rect_confidence: '1',
      return_maps: 'red_area',
    });
    assert.equal(status, 200, JSON.stringify(body).slice(0, 400));
    assertEnvelope(body, 200, '');
    assert.deepEqual(body.warning, []);
    const { width, height } = await sharp(portrait).metadata();
    const face = body.face_rectangle as { left: number; top: number; width: number; height: number };
    assert.ok(isNum(face.left, 0, width!) && isNum(face.top, 0, height!));
    assert.ok(face.width > 200 && face.height > 200 && face.left + face.width <= width! + 1);

    const r = body.result as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(r).sort(), [...ADVANCED_KEYS].sort(), 'every key of the seed, no more');
    assertEntry('skin_color', r.skin_color, 4);
    assert.ok(isNum(r.skintone_ita!.ITA, -90, 90) && isInt(r.skintone_ita!.skintone, 0, 6));
    assert.ok(isNum(r.skin_hue_ha!.HA, 0, 90) && isInt(r.skin_hue_ha!.skintone, 0, 3));
    assert.ok(isInt(r.skin_age!.value, 1, 99), `skin_age ${r.skin_age!.value}`);
    for (const k of ['left_eyelids', 'right_eyelids', 'eye_pouch_severity', 'nasolabial_fold_severity'])
      assertEntry(k, r[k], 2);
    assertEntry('dark_circle', r.dark_circle, 3);
    assertEntry('blackhead', r.blackhead, 3);
    for (const k of [
      'eye_pouch',
      'forehead_wrinkle',
      'crows_feet',
      'eye_finelines',
      'glabella_wrinkle',
      'nasolabial_fold',
      'pores_forehead',
      'pores_left_cheek',
      'pores_right_cheek',
      'pores_jaw',
    ])
      assertEntry(k, r[k], 1);
    assert.ok(isInt(r.skin_type!.skin_type, 0, 3), 'skin_type measured on this portrait');
    const details = r.skin_type!.details as Record<string, unknown>;
    assert.deepEqual(Object.keys(details).sort(), ['0', '1', '2', '3']);
    for (const k of ['0', '1', '2', '3']) assertEntry(`skin_type.details.${k}`, details[k], 1);
    assert.equal((details[String(r.skin_type!.skin_type)] as { value: number }).value, 1);
    for (const k of ['acne', 'mole', 'closed_comedones', 'skin_spot'])
      assertRects(k, r[k], true, width!, height!);
    assert.ok(isNum(r.sensitivity!.sensitivity_area, 0, 1));
    assert.ok(isNum(r.sensitivity!.sensitivity_intensity, 0, 100));
    // Measured values of this portrait (wide smile lines, no blemish-free guess): read from the engine.
    assert.equal(r.dark_circle!.value === null, false);
    assert.equal(r.eye_pouch!.value === null, false);

    const map = Buffer.from(r.face_maps!.red_area as string, 'base64');
    assert.deepEqual([...map.subarray(0, 3)], [0xff, 0xd8, 0xff], 'red_area is a base64 JPEG');
    const meta = await sharp(map).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.deepEqual([meta.width, meta.height], [width, height], 'the map has the photo size');
    const redness = async (img: Uint8Array) => {
      const region = {
        left: Math.round(face.left),
        top: Math.round(face.top),
        width: Math.round(face.width),
        height: Math.round(face.height),
      };
      const { data } = await sharp(img).extract(region).raw().toBuffer({ resolveWithObject: true });
      let sum = 0;
      for (let i = 0; i < data.length; i += 3) sum += data[i]! - data[i + 1]!;
      return sum / (data.length / 3);
    };
    assert.ok((r.sensitivity!.sensitivity_area as number) > 0, 'this portrait has red areas');
    assert.ok(
      (await redness(map)) > (await redness(portrait)) + 1,
      'the map draws them in red over the face',
    );

    assert.deepEqual(await t.data.db.selectFrom('images').select('id').execute(), rowsBefore);
    assert.equal(readdirSync(t.dir, { recursive: true }).length, blobsBefore, 'no file written');
  });

  test('two concurrent calls with one key both succeed (one without confidences or maps)', async () => {
    const [x, y] = await Promise.all([
      call(ADVANCED, { image: jpeg(portrait) }),
      call(ADVANCED, { image: jpeg(portrait), return_maps: 'red_area' }),
    ]);
    assert.equal(x.status, 200);
    assert.equal(y.status, 200);
    const r = x.body.result as Record<string, Record<string, unknown>>;
    for (const k of ['acne', 'mole', 'closed_comedones', 'skin_spot']) assertRects(k, r[k], false, 1e5, 1e5);
    assert.deepEqual(r.face_maps, {});
    assert.ok(r.sensitivity, 'sensitivity is always present');
    assert.equal(
      typeof (y.body.result as Record<string, Record<string, unknown>>).face_maps!.red_area,
      'string',
    );
    assert.notEqual(x.body.request_id, y.body.request_id);
    assert.deepEqual(
      (x.body.result as Record<string, unknown>).skin_age,
      (y.body.result as Record<string, unknown>).skin_age,
    );
  });

  test('the basic skin-analysis answers its {value, confidence} subset', async () => {
    const { status, body } = await call(BASIC, { image: jpeg(portrait) });
    assert.equal(status, 200, JSON.stringify(body).slice(0, 300));
    assertEnvelope(body, 200, '');
    const r = body.result as Record<string, unknown>;
    for (const k of ['acne', 'mole', 'skin_spot', 'eye_pouch', 'pores_jaw', 'forehead_wrinkle'])
      assertEntry(k, r[k], 1);
    assertEntry('dark_circle', r.dark_circle, 3);
    assert.equal(r.skin_color, undefined, 'skin_color is advanced-only');
    assert.equal(r.face_maps, undefined);
  });

  test('a PNG, a 6 MB file and a 150 px image are refused in the AILab envelope', async () => {
    const png = await sharp(portrait).png().toBuffer();
    const a = await call(ADVANCED, { image: { bytes: png, name: 'face.jpg', type: 'image/jpeg' } });
    assert.equal(a.status, 400);
    assertEnvelope(a.body, 400, 'ERROR_IMAGE_FORMAT');

    const big = Buffer.concat([portrait, Buffer.alloc(6 * 1024 * 1024 - portrait.length + 1)]);
    const b = await call(ADVANCED, { image: jpeg(big) });
    assert.equal(b.status, 400);
    assertEnvelope(b.body, 400, 'ERROR_IMAGE_FILE_SIZE');
    const basicBig = await call(BASIC, {
      image: jpeg(Buffer.concat([portrait, Buffer.alloc(2 * 1024 * 1024)])),
    });
    assertEnvelope(basicBig.body, 400, 'ERROR_IMAGE_FILE_SIZE');

    const tiny = await sharp(portrait).resize(150).jpeg().toBuffer();
    const c = await call(ADVANCED, { image: jpeg(tiny) });
    assert.equal(c.status, 400);
    assertEnvelope(c.body, 400, 'ERROR_IMAGE_RESOLUTION');
    assert.match((c.body.error_detail as { message: string }).message, /150x99/);

    const none = await call(ADVANCED, { face_quality_control: '0' });
    assertEnvelope(none.body, 400, 'MISSING_PARAMETERS');
    const badFlag = await call(ADVANCED, { image: jpeg(portrait), face_quality_control: '2' });
    assertEnvelope(badFlag.body, 400, 'ERROR_INVALID_PARAMETER');
    const badMap = await call(ADVANCED, { image: jpeg(portrait), return_maps: 'brown_area' });
    assertEnvelope(badMap.body, 400, 'ERROR_INVALID_PARAMETER');
  });

  test('a photo without a face answers ERROR_NO_FACE_IN_FILE (422)', async () => {
    const wall = await sharp({
      create: { width: 640, height: 480, channels: 3, background: { r: 180, g: 170, b: 160 } },
    })
      .jpeg()
      .toBuffer();
    const { status, body } = await call(ADVANCED, { image: jpeg(wall) });
    assert.equal(status, 422);
    assertEnvelope(body, 422, 'ERROR_NO_FACE_IN_FILE');
  });

  test('face_quality_control=1 refuses a badly exposed face that =0 analyses', async () => {
    const dark = await sharp(portrait).linear(0.18, 0).jpeg({ quality: 90 }).toBuffer();
    const strict = await call(ADVANCED, { image: jpeg(dark), face_quality_control: '1' });
    assert.equal(strict.status, 422, JSON.stringify(strict.body).slice(0, 300));
    assertEnvelope(strict.body, 422, 'ERROR_FACE_QUALITY_NOT_PASS');
    assert.match((strict.body.error_detail as { message: string }).message, /underexposed/);
    const lenient = await call(ADVANCED, { image: jpeg(dark), face_quality_control: '0' });
    assert.equal(lenient.status, 200);
  });

  test('a missing, wrong or deleted key answers ERROR_API_KEY_INVALID (401)', async () => {
    const missing = await call(ADVANCED, { image: jpeg(portrait) }, null);
    assert.equal(missing.status, 401);
    assertEnvelope(missing.body, 401, 'ERROR_API_KEY_INVALID');
    const wrong = await call(ADVANCED, { image: jpeg(portrait) }, 'ska_not-a-key');
    assert.equal(wrong.status, 401);
    assertEnvelope(wrong.body, 401, 'ERROR_API_KEY_INVALID');
    const other = await createCompanyApiKey(t.data.store, { companyId: t.b.companyId, name: 'temp' });
    assert.ok(await t.data.store.apiKeys.delete(t.b.companyId, other.record.id));
    const deleted = await call(BASIC, { image: jpeg(portrait) }, other.key);
    assertEnvelope(deleted.body, 401, 'ERROR_API_KEY_INVALID');
  });
});
