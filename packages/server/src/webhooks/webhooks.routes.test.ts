import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { tokenSigner } from '../auth/tokens.ts';
import type { JobOf } from '../ports/job-queue.ts';
import { loadConcernTable } from '../recommendations/recommend.ts';
import { type SeededImage, seedImage } from '../testing/seed.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { SIGNATURE_HEADER, verifySignature } from './signature.ts';
import { createWebhookService, type WebhookService } from './webhook.service.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('webhooks: configuration over HTTP, signed calls to a real receiver', () => {
  let t: TestApp;
  let token: string;
  let image: SeededImage;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let answer = 200;
  let service: WebhookService;
  let base: string;

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, tk = token) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tk}` },
      ...(payload ? { payload } : {}),
    });

  before(async () => {
    t = await createTestApp();
    token = await t.login(t.a);
    image = await seedImage(t, t.a, token, { scores: { face_detector: 100, acne: 80, redness: 60 } });
    base = `/api/v1/companies/${t.a.companyId}/datasets/${image.datasetId}/webhooks/`;
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.statusCode = answer;
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    service = createWebhookService({
      store: t.data.store,
      queue: t.data.queue,
      signer: tokenSigner(t.data.secret, Date.now),
      now: Date.now,
      publicUrl: () => 'http://skinscope.test',
      retryBaseMs: 100,
      concerns: loadConcernTable(),
    });
  });
  after(async () => {
    receiver.close();
    await t.close();
  });

  /** Runs each runnable delivery job once, as the job runner would (a failed one waits for its back-off). */
  async function runQueued(): Promise<{ failed: number }> {
    let failed = 0;
    for (;;) {
      const job = await t.data.queue.claim('test', 10_000);
      if (!job) return { failed };
      if (job.kind !== 'deliver_webhook') {
        await t.data.queue.complete(job.id);
        continue;
      }
      try {
        await service.handler.run(job as JobOf<'deliver_webhook'>);
        await t.data.queue.complete(job.id);
      } catch (error) {
        failed++;
        await t.data.queue.fail(job.id, String(error));
      }
    }
  }

  test('create answers 201 with the secret once; list and get never show it; bad input is a 400', async () => {
    const created = await call('POST', base, {
      url: receiverUrl,
      authorization: 'bearer',
      authorization_value: 'receiver-token',
    });
    assert.equal(created.statusCode, 201, created.body);
    const hook = created.json();
    assert.match(hook.secret_key, /^whsec_/);
    assert.equal(hook.method, 'post');
    assert.equal(hook.enabled, true);
    const list = await call('GET', base);
    assert.equal(list.json().count, 1);
    assert.equal(list.json().results[0].secret_key, undefined);
    assert.equal(list.json().results[0].authorization_value, '********');
    assert.equal((await call('GET', `${base}${hook.id}/`)).json().secret_key, undefined);
    for (const bad of [
      { url: 'ftp://x.y/z' },
      { url: receiverUrl, authorization: 'query', authorization_value: 'v' },
      { url: receiverUrl, authorization: 'bearer' },
      { url: receiverUrl, method: 'delete' },
      {},
    ]) {
      const r = await call('POST', base, bad);
      assert.equal(r.statusCode, 400, JSON.stringify(bad));
      assert.equal(r.json().code, 'validation_error');
    }
    const other = await t.login(t.b);
    assert.equal((await call('GET', base, undefined, other)).statusCode, 404);
    assert.equal((await call('GET', `${base}${hook.id}/`, undefined, other)).statusCode, 404);
    assert.equal((await call('DELETE', `${base}${hook.id}/`, undefined, other)).statusCode, 404);
    await call('DELETE', `${base}${hook.id}/`);
  });

  test('one signed POST per application and image: ids, area results, recommendations, signed URLs; logged', async () => {
    const hook = (
      await call('POST', base, { url: receiverUrl, authorization: 'bearer', authorization_value: 'tk' })
    ).json();
    const record = (await t.data.store.images.get(t.a.companyId, image.imageId))!;
    assert.equal(await service.scheduleDeliveries(record), 1);
    assert.equal(await service.scheduleDeliveries(record), 0, 'scheduling again owes nothing more');
    received.length = 0;
    answer = 503;
    assert.equal((await runQueued()).failed, 1);
    answer = 200;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal((await runQueued()).failed, 0);
    assert.equal(received.length, 2);
    const [first, second] = received as [Received, Received];
    assert.equal(
      first.headers['x-skinscope-delivery'],
      second.headers['x-skinscope-delivery'],
      'one delivery id',
    );
    assert.equal(second.headers.authorization, 'Bearer tk');
    assert.equal(second.headers['content-type'], 'application/json');
    assert.ok(verifySignature(hook.secret_key, second.body, second.headers[SIGNATURE_HEADER] as string));
    assert.ok(
      !verifySignature(hook.secret_key, `${second.body} `, second.headers[SIGNATURE_HEADER] as string),
    );
    const payload = JSON.parse(second.body);
    assert.deepEqual(
      [payload.company_id, payload.dataset_id, payload.subject_id, payload.batch_id, payload.image_id],
      [t.a.companyId, image.datasetId, image.subjectId, image.batchId, image.imageId],
    );
    assert.equal(payload.application.name, 'Face Skin Metrics 2.0');
    assert.deepEqual(
      payload.area_results.map((a: { algorithm_tech_name: string }) => a.algorithm_tech_name).sort(),
      ['acne', 'face_detector', 'redness'],
    );
    assert.equal(
      payload.area_results.find((a: { algorithm_tech_name: string }) => a.algorithm_tech_name === 'acne')
        .main_metric.value,
      80,
    );
    assert.deepEqual(payload.recommendations.concern_tags, ['acne', 'redness']);
    assert.match(
      payload.images.original.signed_url,
      /^http:\/\/skinscope\.test\/images\/.+\?expires=\d+&signature=/,
    );
    const signedPath = payload.images.original.signed_url.replace('http://skinscope.test', '');
    assert.equal((await t.app.inject({ method: 'GET', url: signedPath })).statusCode, 200);
    const log = (await call('GET', `${base}${hook.id}/deliveries/`)).json();
    assert.equal(log.count, 1);
    assert.deepEqual(
      [
        log.results[0].status,
        log.results[0].attempts,
        log.results[0].last_status_code,
        log.results[0].image_id,
      ],
      ['delivered', 2, 200, image.imageId],
    );
    await call('DELETE', `${base}${hook.id}/`);
  });

  test('GET webhooks carry the ids in the query (signed) and query or basic authorization', async () => {
    const img = await seedImage(t, t.a, token, { datasetId: image.datasetId });
    const q = (
      await call('POST', base, {
        url: receiverUrl,
        method: 'get',
        authorization: 'query',
        authorization_key: 'key',
        authorization_value: 'v 1',
      })
    ).json();
    const b = (
      await call('POST', base, {
        url: receiverUrl,
        authorization: 'basic',
        authorization_key: 'user',
        authorization_value: 'pw',
      })
    ).json();
    const disabled = (await call('POST', base, { url: receiverUrl, enabled: false })).json();
    received.length = 0;
    await service.scheduleDeliveries((await t.data.store.images.get(t.a.companyId, img.imageId))!);
    await runQueued();
    assert.equal(received.length, 2, 'the disabled webhook is not called');
    const get = received.find((r) => r.method === 'GET')!;
    const url = new URL(get.url, 'http://x');
    assert.equal(url.searchParams.get('image_id'), img.imageId);
    assert.equal(url.searchParams.get('key'), 'v 1');
    url.searchParams.delete('key');
    assert.ok(
      verifySignature(q.secret_key, url.searchParams.toString(), get.headers[SIGNATURE_HEADER] as string),
    );
    const post = received.find((r) => r.method === 'POST')!;
    assert.equal(post.headers.authorization, `Basic ${Buffer.from('user:pw').toString('base64')}`);
    assert.ok(verifySignature(b.secret_key, post.body, post.headers[SIGNATURE_HEADER] as string));
    const patched = await call('PATCH', `${base}${disabled.id}/`, {
      enabled: true,
      url: `${receiverUrl}?x=1`,
    });
    assert.equal(patched.statusCode, 200);
    assert.deepEqual([patched.json().enabled, patched.json().url], [true, `${receiverUrl}?x=1`]);
    assert.equal((await call('PATCH', `${base}${disabled.id}/`, { authorization: 'basic' })).statusCode, 400);
  });
});
