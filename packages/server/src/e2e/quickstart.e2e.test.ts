import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { listAlgorithms } from '@skinscope/engine';
import { type ImageRef, SkinscopeClient, SkinscopeError } from '@skinscope/sdk';
import { loadConfig } from '../config.ts';
import { FIRST_LOGIN_FILE, type RunningServer, startServer } from '../main.ts';
import { V3_PARAMETERS } from '../routes/v3.names.ts';
import { FACE_PHOTO } from '../testing/test-app.ts';

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';
const CLI = fileURLToPath(new URL('../../../cli/bin/skinscope.js', import.meta.url));
const run = promisify(execFile);

/** `skinscope admin ...` as a separate process on the server's data folder (the server keeps running). */
async function admin(dataDir: string, ...args: string[]): Promise<Record<string, string>> {
  const { stdout } = await run(process.execPath, [CLI, 'admin', ...args, '--json'], {
    env: { ...process.env, SKINSCOPE_DATA_DIR: dataDir },
  });
  return JSON.parse(stdout) as Record<string, string>;
}

describe('the quick start of the Haut.AI API guide, step by step, over real HTTP and the real engine', () => {
  let dir: string;
  let server: RunningServer;
  let client: SkinscopeClient;
  let companyId: string;
  const printed: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skinscope-e2e-'));
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SKINSCOPE_DATA_DIR: dir,
      SKINSCOPE_WORKERS: '1',
      LOG_LEVEL: 'silent',
    });
    server = await startServer(config, (line) => printed.push(line));
    client = new SkinscopeClient({ baseUrl: server.address! });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a first start prints the address and where the login is (never the password), and that login works', async () => {
    const output = printed.join('\n');
    assert.match(output, /listening on http:\/\/127\.0\.0\.1:\d+/);
    const file = join(dir, FIRST_LOGIN_FILE);
    assert.ok(output.includes(file), 'says where the password is');
    const password = /password: (\S+)/.exec(readFileSync(file, 'utf8'))?.[1];
    assert.ok(password);
    assert.ok(!output.includes(password!), 'the password is not in the printed (logged) output');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700, 'data folder 0700');
    assert.equal(statSync(join(dir, 'skinscope.db')).mode & 0o777, 0o600, 'database 0600');
    const login = await new SkinscopeClient({ baseUrl: server.address! }).login('admin@localhost', password!);
    assert.ok(login.access_token);
  });

  test('operators create a company and a user from the command line while the server runs', async () => {
    const company = await admin(dir, 'create-company', '--name', 'Acme');
    assert.ok(company.id);
    const user = await admin(
      dir,
      'create-user',
      '--company',
      company.id!,
      '--username',
      'dev@acme.test',
      '--password',
      'correct horse',
    );
    assert.equal(user.company_id, company.id);
    companyId = company.id!;
  });

  test('login, dataset, application, subject, batch, upload, results, aux', async () => {
    // Login
    const login = await client.login('dev@acme.test', 'correct horse');
    assert.equal(login.company_id, companyId);
    // Create dataset
    const dataset = await client.createDataset(companyId, { name: 'My dataset name', image_type_id: 1 });
    // Attach application
    await client.attachApplication(companyId, FSM2, dataset.id);
    // 1. Create subject; 2. create batch; 3. send image
    const subject = await client.createSubject(companyId, dataset.id, { name: 'My subject name' });
    const batch = await client.createBatch(companyId, dataset.id, subject.id);
    const image = await client.uploadImage(
      { companyId, datasetId: dataset.id, subjectId: subject.id, batchId: batch.id },
      { bytes: readFileSync(FACE_PHOTO), side_id: 1, light_id: 1, meta: { device: 'phone', shot: 3 } },
    );
    assert.ok(image.id);
    assert.deepEqual(image.meta, { device: 'phone', shot: 3 }, 'meta survives the multipart upload');
    const ref: ImageRef = {
      companyId,
      datasetId: dataset.id,
      subjectId: subject.id,
      batchId: batch.id,
      imageId: image.id,
    };
    // Algorithms dict (no auth)
    const algorithms = await new SkinscopeClient({ baseUrl: server.address! }).algorithms();
    // Results
    const results = await client.waitForResults(ref, { timeoutMs: 60_000 });
    const landed = listAlgorithms()
      .map((a) => a.familyTechName)
      .sort();
    assert.deepEqual(
      results.map((r) => r.algorithm_family_tech_name).sort(),
      landed,
      'every algorithm that has landed',
    );
    for (const result of results) {
      const algo = algorithms.find((a) => a.id === result.algorithm_version_id);
      assert.ok(algo, `algorithm ${result.algorithm_version_id} is in the dict`);
      assert.ok(algo.algorithm_family.name && algo.version);
      assert.equal(result.image_id, image.id);
      assert.equal(result.application_id, FSM2);
      assert.equal(result.application_name, 'Face Skin Metrics 2.0');
      assert.equal(result.image_type, 'selfie');
      assert.ok(result.application_run_id && result.creation_time && result.application_description);
      if (result.is_ok) assert.ok('area_results' in result.result && result.result.area_results.length > 0);
      else assert.equal(typeof (result.result as { error?: unknown }).error, 'string');
    }
    const detector = results.find((r) => r.algorithm_family_tech_name === 'selfie_v2.face_detector');
    assert.equal(detector?.is_ok, true, 'the face is found');
    // Aux images and their results
    const aux = await client.aux(ref);
    assert.equal(aux.length, 1);
    assert.equal(aux[0]!.aux_image_type.name, 'selfie_front_face_restored');
    assert.equal(aux[0]!.results.length, results.length);
    const jpeg = await client.imageFile(aux[0]!.id);
    assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff]);
    const signed = await fetch(aux[0]!.urls.original);
    assert.equal(signed.status, 200);
    // Data at rest: every folder 0700, every file 0600 (database, blobs, secret).
    const walk = (path: string): string[] =>
      statSync(path).isDirectory()
        ? [path, ...readdirSync(path).flatMap((name) => walk(join(path, name)))]
        : [path];
    const paths = walk(dir);
    assert.ok(
      paths.some((p) => p.includes(`${image.id}.`)),
      'the uploaded photo is in the walk',
    );
    for (const path of paths) {
      const mode = statSync(path).mode & 0o777;
      assert.equal(mode, statSync(path).isDirectory() ? 0o700 : 0o600, `${path} is private`);
    }
  });

  test('the v3 upload-then-compute flow: upload link, PUT bytes, compute, poll results', async () => {
    const dataset = await client.createDataset(companyId, { name: 'v3' });
    const subject = await client.createSubject(companyId, dataset.id, { name: 'v3 subject' });
    const slots = await client.v3Upload(companyId, subject.id, { front: true });
    assert.ok(slots.image_batch_id && slots.front);
    const early = await client.v3Results(companyId, subject.id, slots.image_batch_id);
    assert.equal(early.face_skin_metrics_3.all_algorithms_calculated, false);
    await client.v3Put(slots.front!, readFileSync(FACE_PHOTO));
    await client.v3Compute(companyId, subject.id, slots.image_batch_id);
    const deadline = Date.now() + 60_000;
    let out = await client.v3Results(companyId, subject.id, slots.image_batch_id);
    while (!out.face_skin_metrics_3.all_algorithms_calculated && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      out = await client.v3Results(companyId, subject.id, slots.image_batch_id);
    }
    assert.equal(out.face_skin_metrics_3.all_algorithms_calculated, true);
    const fsm3 = out.face_skin_metrics_3;
    const names = [...Object.keys(fsm3.parameters), ...Object.keys(fsm3.not_assessable)].sort();
    assert.deepEqual(
      names,
      V3_PARAMETERS.map((p) => p.name).sort(),
      'every Haut name, measured or with a reason',
    );
    for (const p of Object.values(fsm3.parameters)) assert.equal(typeof p.score, 'number');
    assert.ok(fsm3.aligned_face_url);
  });

  test('a second server on the same port fails with a configuration error naming the address; the first keeps serving', async () => {
    const other = mkdtempSync(join(tmpdir(), 'skinscope-e2e-busy-'));
    try {
      const busy = loadConfig({
        PORT: new URL(server.address!).port,
        HOST: '127.0.0.1',
        SKINSCOPE_DATA_DIR: other,
        SKINSCOPE_ROLE: 'api',
        LOG_LEVEL: 'silent',
      });
      await assert.rejects(
        startServer(busy, () => {}),
        (error: Error) => {
          assert.equal(error.name, 'ConfigError');
          assert.match(error.message, /127\.0\.0\.1:\d+ is already in use/);
          return true;
        },
      );
      assert.equal(
        (await fetch(`${server.address}/api/swagger/`)).status,
        200,
        'the first server still answers',
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('bad input over real HTTP is a 4xx, never a 500', async () => {
    const dataset = await client.createDataset(companyId, { name: 'bad' });
    const subject = await client.createSubject(companyId, dataset.id, { name: 's' });
    const batch = await client.createBatch(companyId, dataset.id, subject.id);
    const ref = { companyId, datasetId: dataset.id, subjectId: subject.id, batchId: batch.id };
    const face = readFileSync(FACE_PHOTO);
    for (const [bytes, status] of [
      [Buffer.from('not an image, just some text'), 422],
      [face.subarray(0, face.length / 3), 422],
    ] as const) {
      await assert.rejects(
        client.uploadImage(ref, { bytes }),
        (e: unknown) => e instanceof SkinscopeError && e.status === status,
      );
    }
    const expired = new SkinscopeClient({ baseUrl: server.address!, token: 'eyJhbGciOiJIUzI1NiJ9.e30.x' });
    await assert.rejects(
      expired.listDatasets(companyId),
      (e: unknown) => e instanceof SkinscopeError && e.status === 401,
    );
  });
});
