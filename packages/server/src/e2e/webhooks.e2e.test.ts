import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SkinscopeClient } from '@skinscope/sdk';
import { firstLoginPassword, startChildServer } from '../testing/child-server.ts';
import { FACES_DIR } from '../testing/test-app.ts';
import { verifySignature } from '../webhooks/signature.ts';

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'skinscope-webhooks-'));
const receiver = createServer();
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Call {
  delivery: string;
  signature: string;
  authorization: string | undefined;
  body: string;
  accepted: boolean;
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 240_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a receiver down for the first attempts and a kill -9 between attempts: one accepted, signed payload per image', async () => {
  // The receiver answers 503 to the first three calls, then accepts (and records) every call.
  const calls: Call[] = [];
  receiver.on('request', (req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const accepted = calls.length >= 3;
      calls.push({
        delivery: String(req.headers['x-skinscope-delivery']),
        signature: String(req.headers['x-skinscope-signature']),
        authorization: req.headers.authorization,
        body,
        accepted,
      });
      res.statusCode = accepted ? 200 : 503;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/skin`;
  const env = { SKINSCOPE_WEBHOOK_RETRY_MS: '1500', LOG_LEVEL: 'warn' };

  const first = await startChildServer(dir, true, env);
  children.push(first.process);
  const password = firstLoginPassword(dir);
  const client = new SkinscopeClient({ baseUrl: first.address });
  const c = (await client.login('admin@localhost', password)).company_id;
  const dataset = await client.createDataset(c, { name: 'hooks' });
  await client.attachApplication(c, FSM2, dataset.id);
  const hook = await client.createWebhook(c, dataset.id, {
    url: hookUrl,
    authorization: 'bearer',
    authorization_value: 'receiver-secret',
  });
  const subject = await client.createSubject(c, dataset.id, { name: 's' });
  const faces = readdirSync(FACES_DIR)
    .filter((f) => /\.jpe?g$/i.test(f))
    .slice(0, 2);
  const imageIds: string[] = [];
  for (const face of faces) {
    const batch = await client.createBatch(c, dataset.id, subject.id);
    const image = await client.uploadImage(
      { companyId: c, datasetId: dataset.id, subjectId: subject.id, batchId: batch.id },
      { bytes: readFileSync(join(FACES_DIR, face)) },
    );
    imageIds.push(image.id);
  }

  // Both images processed and their first calls refused: kill the server while the retries wait.
  await until(() => calls.length >= 2, 'the first two (refused) calls');
  first.process.kill('SIGKILL');
  await new Promise((r) => first.process.once('exit', r));
  assert.ok(calls.every((x) => !x.accepted));

  const second = await startChildServer(dir, false, env);
  children.push(second.process);
  await until(() => calls.filter((x) => x.accepted).length >= 2, 'two accepted calls after the restart');
  // Nothing more is owed: no call arrives in the next retry period.
  await new Promise((r) => setTimeout(r, 3000));
  const accepted = calls.filter((x) => x.accepted);
  assert.equal(accepted.length, 2, `accepted calls: ${accepted.length} of ${calls.length}`);

  const payloads = accepted.map((x) => JSON.parse(x.body));
  assert.deepEqual(payloads.map((p) => p.image_id).sort(), [...imageIds].sort(), 'one per image');
  for (const [i, call] of accepted.entries()) {
    assert.ok(verifySignature(hook.secret_key!, call.body, call.signature), 'the signature verifies');
    assert.equal(call.authorization, 'Bearer receiver-secret');
    const p = payloads[i];
    assert.equal(p.delivery_id, call.delivery);
    assert.equal(p.company_id, c);
    assert.equal(p.application_id, FSM2);
    assert.ok(p.area_results.length > 10, 'area results of every algorithm');
    assert.ok(Array.isArray(p.recommendations.concern_tags));
  }
  // Every refused call was retried under the same delivery id.
  for (const refused of calls.filter((x) => !x.accepted)) {
    assert.ok(accepted.some((x) => x.delivery === refused.delivery));
  }

  const again = new SkinscopeClient({ baseUrl: second.address });
  await again.login('admin@localhost', password);
  const log = await again.webhookDeliveries(c, dataset.id, hook.id);
  assert.deepEqual(
    log.results.map((d) => d.status),
    ['delivered', 'delivered'],
  );
  assert.equal(
    log.results.reduce((n, d) => n + d.attempts, 0) >= calls.length,
    true,
    'the log counts every attempt',
  );
  second.process.kill('SIGTERM');
  await new Promise((r) => second.process.once('exit', r));
});
