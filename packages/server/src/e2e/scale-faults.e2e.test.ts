import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type ImageRef, SkinscopeClient, SkinscopeError } from '@skinscope/sdk';
import { firstLoginPassword } from '../testing/child-server.ts';
import { type ScaleCluster, startScaleCluster } from '../testing/scale-cluster.ts';
import { FACES_DIR } from '../testing/test-app.ts';

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';
let cluster: ScaleCluster | undefined;
const receiver = createServer();
after(async () => {
  receiver.close();
  await cluster?.destroy();
});

async function until<T>(check: () => Promise<T | undefined | false>, what: string, ms = 180_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The call fails with 503 and the `dependency_unavailable` envelope naming `dependency`. */
async function assertUnavailable(call: Promise<unknown>, dependency: string) {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof SkinscopeError, String(error));
    assert.equal(error.status, 503, JSON.stringify(error.body));
    const body = error.body as { code: string; message: string; details: Record<string, unknown> };
    assert.equal(body.code, 'dependency_unavailable');
    assert.equal(body.details.dependency, dependency);
    assert.equal(typeof body.message, 'string');
    return true;
  });
}

test('api and workers over PostgreSQL, Redis and S3 survive kill -9, a Redis restart, a database and an S3 outage: nothing lost or doubled, webhooks delivered, 503 while down', async () => {
  const deliveries: { image: string; delivery: string }[] = [];
  receiver.on('request', (req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const payload = JSON.parse(body) as { image_id: string; delivery_id: string };
      deliveries.push({ image: payload.image_id, delivery: payload.delivery_id });
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  cluster = await startScaleCluster({
    SKINSCOPE_JOB_LEASE_SECONDS: '3',
    SKINSCOPE_WEBHOOK_RETRY_MS: '500',
    SKINSCOPE_MAINTENANCE_INTERVAL_SECONDS: '3',
  });
  const api = await cluster.startApi(true);
  const doomedWorker = cluster.startWorker();
  const client = new SkinscopeClient({ baseUrl: api.address });
  const c = (await client.login('admin@localhost', firstLoginPassword(api.dataDir))).company_id;
  const dataset = await client.createDataset(c, { name: 'scale' });
  await client.attachApplication(c, FSM2, dataset.id);
  await client.createWebhook(c, dataset.id, { url: hookUrl });
  const subject = await client.createSubject(c, dataset.id, { name: 's' });
  const faces = readdirSync(FACES_DIR)
    .filter((f) => /\.jpe?g$/i.test(f))
    .slice(0, 6)
    .map((f) => readFileSync(join(FACES_DIR, f)));
  const accepted: ImageRef[] = [];
  const upload = async (bytes: Uint8Array) => {
    const batch = await client.createBatch(c, dataset.id, subject.id);
    const ref = { companyId: c, datasetId: dataset.id, subjectId: subject.id, batchId: batch.id };
    const image = await client.uploadImage(ref, { bytes });
    accepted.push({ ...ref, imageId: image.id });
  };
  for (const face of faces.slice(0, 3)) await upload(face);

  // kill -9 the only worker while it analyses an image; two new workers take over.
  await until(
    async () =>
      (await Promise.all(accepted.map((r) => client.getImage(r)))).some((i) => i.status === 'processing'),
    'an image in analysis',
  );
  doomedWorker.kill('SIGKILL');
  await new Promise((r) => doomedWorker.once('exit', r));
  cluster.startWorker();
  cluster.startWorker();

  // Redis restarts: uploads answer 503 while it is down, then work again by themselves.
  await cluster.redis.stop();
  await assertUnavailable(upload(faces[3]!), 'queue');
  await cluster.redis.start();
  await until(() => upload(faces[3]!).then(() => true), 'uploads after the Redis restart', 30_000);

  // PostgreSQL unreachable for a few seconds.
  await cluster.postgres.stop();
  await assertUnavailable(client.getDataset(c, dataset.id), 'database');
  await assertUnavailable(upload(faces[4]!), 'database');
  await new Promise((r) => setTimeout(r, 2000));
  await cluster.postgres.start();
  await until(() => client.getDataset(c, dataset.id), 'reads after the database came back', 30_000);

  // S3 refuses writes for a moment.
  await cluster.s3.stop();
  await assertUnavailable(upload(faces[5]!), 'blob store');
  await cluster.s3.start();
  await until(() => upload(faces[5]!).then(() => true), 'uploads after S3 came back', 30_000);

  // Every accepted image is analysed exactly once into one complete set of results.
  const images = await until(async () => {
    const all = await Promise.all(accepted.map((r) => client.getImage(r)));
    return all.every((i) => i.status === 'done') && all;
  }, 'every accepted image analysed');
  assert.equal(images.length, accepted.length);
  const expected = (await client.results(accepted[0]!)).length;
  assert.ok(expected >= 10, `a complete set has every algorithm (got ${expected})`);
  for (const ref of accepted) {
    const results = await client.results(ref);
    const names = results.map((r) => r.algorithm_tech_name);
    assert.equal(results.length, expected, `image ${ref.imageId}: ${results.length} results`);
    assert.equal(new Set(names).size, names.length, `image ${ref.imageId}: no algorithm twice`);
  }

  // Uploads answered 503 after their record was written (Redis down at queueing) are analysed too:
  // no image of the dataset stays queued.
  const batches = (await client.listBatches(c, dataset.id, subject.id)).results;
  const listed = await until(
    async () => {
      const all = [];
      for (const b of batches) {
        const url = `${api.address}/api/v1/companies/${c}/datasets/${dataset.id}/subjects/${subject.id}/batches/${b.id}/images/`;
        const page = (await (
          await fetch(url, { headers: { authorization: `Bearer ${client.token}` } })
        ).json()) as {
          results: { id: string; status: string }[];
        };
        all.push(...page.results);
      }
      return all.every((i) => i.status === 'done') && all;
    },
    'every recorded image of the dataset analysed',
    60_000,
  );
  // At least the first upload while Redis was down; the retries until Redis answers can record more.
  assert.ok(
    listed.length >= accepted.length + 1,
    `the accepted images and those recorded before their 503 (${listed.length} listed, ${accepted.length} accepted)`,
  );

  // Webhooks: one delivered call per accepted image, each delivery id answered once.
  await until(
    async () => accepted.every((r) => deliveries.some((d) => d.image === r.imageId)),
    'a webhook call per image',
    60_000,
  );
  const ids = deliveries.map((d) => d.delivery);
  assert.equal(new Set(ids).size, ids.length, 'no delivery sent twice');
});
