import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { loadConfig } from '../config.ts';
import { FIRST_LOGIN_FILE, type RunningServer, startServer } from '../main.ts';
import { FACES_DIR } from '../testing/test-app.ts';

/**
 * A Haut.AI v3 client (the upload-then-compute flow of a Node/React integration), with only the host
 * changed, over real HTTP and the real engine. It reads every field such a client reads from
 * `face_skin_metrics_3`. The photo is a real face as a close-up (a studio portrait cropped to the
 * face and enlarged to 2048 px, about 8.7 px/mm), so that pores and fine lines, which need a
 * close-up, are measured too.
 */

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';
const NAMES = [
  'lines',
  'pores',
  'redness',
  'pigmentation',
  'breakouts',
  'sagging',
  'dark_circles',
  'skin_type',
  'skintone',
  'age',
  'eyes_age',
  'sun_spots',
  'deep_lines',
  'fine_lines',
  'ita',
];

let dir: string;
let server: RunningServer;
let base: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skinscope-v3-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    SKINSCOPE_DATA_DIR: dir,
    SKINSCOPE_WORKERS: '1',
    LOG_LEVEL: 'silent',
  });
  server = await startServer(config, () => {}, false);
  base = server.address!;
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

const isUrl = (v: unknown) => typeof v === 'string' && /^http:\/\/127\.0\.0\.1:\d+\//.test(v);

async function fetchImage(url: unknown): Promise<Buffer> {
  const response = await fetch(String(url));
  assert.equal(response.status, 200, String(url));
  assert.equal(response.headers.get('content-type'), 'image/jpeg');
  return Buffer.from(await response.arrayBuffer());
}

test('a v3 client reads every parameter it shows from a real face, through HTTP', async () => {
  const login = readFileSync(join(dir, FIRST_LOGIN_FILE), 'utf8');
  const username = /username: (\S+)/.exec(login)![1]!;
  const password = /password: (\S+)/.exec(login)![1]!;
  const session = await fetch(`${base}/api/v1/login/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  }).then((r) => r.json() as Promise<{ access_token: string; company_id: string }>);
  const token = session.access_token;
  const c = session.company_id;
  const dataset = await call(token, 'POST', `/api/v1/companies/${c}/datasets/`, {
    name: 'Bloom',
    image_type_id: 1,
  });
  await call(token, 'POST', `/api/v1/companies/${c}/applications/${FSM2}/runs/`, { dataset_id: dataset.id });
  const subject = await call(token, 'POST', `/api/v1/companies/${c}/datasets/${dataset.id}/subjects/`, {
    name: 'Bloom Web User',
  });

  // 1. Upload links; 2. PUT the JPEG bytes; 3. compute; 4. poll every 2 s.
  const upload = await call(token, 'POST', `/api/v3/companies/${c}/subjects/${subject.id}/upload/`, {
    front: true,
    meta: {},
  });
  const slot = upload.front as { url: string; method: string; headers: Record<string, string> };
  const closeUp = await sharp(join(FACES_DIR, 'vladmandic__samples_in_stock-emotions-a-1.jpg'))
    .extract({ left: 70, top: 120, width: 800, height: 820 })
    .resize({ width: 2048, height: 2048, fit: 'inside' })
    .jpeg({ quality: 90 })
    .toBuffer();
  const put = await fetch(slot.url, { method: slot.method, headers: slot.headers, body: closeUp });
  assert.equal(put.status, 200, await put.text());
  const batchId = upload.image_batch_id as string;
  await call(token, 'POST', `/api/v3/companies/${c}/batches/${batchId}/compute/`, {});
  let out: Record<string, unknown> = {};
  const deadline = Date.now() + 300_000;
  for (;;) {
    out = await call(token, 'GET', `/api/v3/companies/${c}/batches/${batchId}/results/`);
    if ((out.face_skin_metrics_3 as { all_algorithms_calculated?: boolean }).all_algorithms_calculated) break;
    assert.ok(Date.now() < deadline, 'results within 5 minutes');
    await new Promise((r) => setTimeout(r, 2000));
  }

  const fsm3 = out.face_skin_metrics_3 as {
    parameters: Record<string, Record<string, unknown>>;
    not_assessable: Record<string, string>;
    predicted_images: { front: Record<string, unknown> };
    predicted_labels: Record<string, unknown>;
  };
  assert.deepEqual(
    fsm3.not_assessable,
    { hydration: 'not_repeatable' },
    'everything is measured on this close-up but hydration, which is never scored',
  );
  for (const name of NAMES) {
    const p = fsm3.parameters[name];
    assert.ok(p, `parameters.${name}`);
    assert.equal(typeof p.score, 'number', `${name}.score is a number`);
    assert.ok(Number.isFinite(p.score), `${name}.score is finite`);
    assert.equal(typeof p.tag, 'string', `${name}.tag`);
    assert.equal(typeof p.score_description, 'string', `${name}.score_description`);
    const areas = p.areas as Record<string, { score: unknown }>;
    assert.ok(areas.face && typeof areas.face.score === 'number', `${name}.areas.face.score`);
    const masks = p.masks as { front: Record<string, unknown>; vector: Record<string, unknown> };
    for (const view of ['aligned_face', 'anonymised', 'original'])
      assert.ok(isUrl(masks.front[view]), `${name}.masks.front.${view} is a URL`);
    assert.ok(isUrl(masks.vector.aligned_face) && isUrl(masks.vector.original));
  }
  assert.equal(typeof fsm3.parameters.age!.age, 'number', 'age.age');
  assert.equal(typeof fsm3.parameters.eyes_age!.eyes_age, 'number', 'eyes_age.eyes_age');
  assert.equal(fsm3.parameters.age!.age, fsm3.parameters.age!.score);
  assert.ok(['oily', 'dry', 'normal', 'combination'].includes(fsm3.parameters.skin_type!.tag as string));
  for (const view of ['aligned_face', 'anonymised', 'original'])
    assert.ok(isUrl(fsm3.predicted_images.front[view]), `predicted_images.front.${view}`);
  assert.equal(fsm3.predicted_labels.perceived_age, fsm3.parameters.age!.score);
  assert.equal(fsm3.predicted_labels.skin_type, fsm3.parameters.skin_type!.tag);
  assert.deepEqual(out.predicted_labels, fsm3.predicted_labels);

  // The links work without a token: the photos, the anonymised face and the vector mask.
  const aligned = await fetchImage(fsm3.predicted_images.front.aligned_face);
  const anonymised = await fetchImage(fsm3.predicted_images.front.anonymised);
  const original = await fetchImage(fsm3.predicted_images.front.original);
  assert.ok(original.equals(closeUp), 'the original is the uploaded photo');
  const [a, b] = await Promise.all([aligned, anonymised].map((x) => sharp(x).metadata()));
  assert.equal(a?.width, b?.width);
  const eyes = await sharp(anonymised).stats();
  const plain = await sharp(aligned).stats();
  assert.ok(
    eyes.channels[0]!.mean < plain.channels[0]!.mean,
    'the anonymised face has a dark bar over the eyes',
  );
  const masks = fsm3.parameters.lines!.masks as { vector: { aligned_face: string } };
  const vector = (await (await fetch(masks.vector.aligned_face)).json()) as {
    mask_type: string;
    features: unknown[];
  };
  assert.equal(vector.mask_type, 'polyline_mask');
  assert.ok(vector.features.length > 0);

  // The batches list of v3 clients.
  const batches = await call(token, 'GET', `/api/v3/companies/${c}/batches/`);
  assert.ok((batches.results as { id: string }[]).some((x) => x.id === batchId));
});
