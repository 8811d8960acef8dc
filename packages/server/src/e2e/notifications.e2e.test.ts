import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listAlgorithms } from '@skinscope/engine';
import { SkinscopeClient } from '@skinscope/sdk';
import WebSocket from 'ws';
import { createCompany, createUser } from '../accounts.service.ts';
import { loadConfig } from '../config.ts';
import { openDataDir } from '../data-dir.ts';
import { type RunningServer, startServer } from '../main.ts';
import { loadConcernTable } from '../recommendations/recommend.ts';
import { firstLoginPassword } from '../testing/child-server.ts';
import { FACE_PHOTO } from '../testing/test-app.ts';

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';

/** Opens a socket and resolves once it is open, or rejects with the handshake's HTTP status. */
function connect(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('WebSockets over a real server and the real engine', () => {
  let dir: string;
  let server: RunningServer;
  let wsBase: string;
  const printed: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skinscope-ws-'));
    server = await startServer(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        SKINSCOPE_DATA_DIR: dir,
        SKINSCOPE_WORKERS: '1',
        LOG_LEVEL: 'silent',
      }),
      (line) => printed.push(line),
    );
    wsBase = server.address!.replace(/^http/, 'ws');
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the results stream delivers every algorithm before the image is done; another company hears nothing', async () => {
    const password = firstLoginPassword(dir);
    const a = new SkinscopeClient({ baseUrl: server.address! });
    const loginA = await a.login('admin@localhost', password);
    const other = await openDataDir(dir);
    const companyB = await createCompany(other.store, 'B');
    await createUser(other.store, { companyId: companyB.id, username: 'b@b.test', password: 'b-password' });
    await other.close();
    const b = new SkinscopeClient({ baseUrl: server.address! });
    const loginB = await b.login('b@b.test', 'b-password');
    const cA = loginA.company_id;

    // The seed's clients: results by the Authorization header, notifications by the authorization cookie.
    const arrivals: { socket: 'results' | 'images'; message: Record<string, unknown> }[] = [];
    const results = await connect(`${wsBase}/notifications/results/?company_id=${cA}`, {
      Authorization: loginA.access_token,
    });
    const images = await connect(`${wsBase}/notifications/?user_id=${loginA.id}`, {
      Cookie: `authorization=${loginA.access_token}`,
    });
    results.on('message', (m) => arrivals.push({ socket: 'results', message: JSON.parse(String(m)) }));
    images.on('message', (m) => arrivals.push({ socket: 'images', message: JSON.parse(String(m)) }));
    const heardByB: unknown[] = [];
    const bResults = await connect(`${wsBase}/notifications/results/?company_id=${loginB.company_id}`, {
      Authorization: `Bearer ${loginB.access_token}`,
    });
    const bImages = await connect(`${wsBase}/notifications/?user_id=${loginB.id}`, {
      Cookie: `authorization=${loginB.access_token}`,
    });
    bResults.on('message', (m) => heardByB.push(String(m)));
    bImages.on('message', (m) => heardByB.push(String(m)));

    await assert.rejects(
      connect(`${wsBase}/notifications/results/?company_id=${cA}`, { Authorization: loginB.access_token }),
      /HTTP 404/,
      "B cannot listen to A's company",
    );
    await assert.rejects(
      connect(`${wsBase}/notifications/?user_id=${loginA.id}`, {
        Cookie: `authorization=${loginB.access_token}`,
      }),
      /HTTP 404/,
    );
    await assert.rejects(connect(`${wsBase}/notifications/results/?company_id=${cA}`, {}), /HTTP 401/);
    await assert.rejects(
      connect(`${wsBase}/notifications/results/?company_id=${cA}`, { Authorization: 'not-a-token' }),
      /HTTP 401/,
    );

    const dataset = await a.createDataset(cA, { name: 'live' });
    await a.attachApplication(cA, FSM2, dataset.id);
    const subject = await a.createSubject(cA, dataset.id, { name: 's' });
    const batch = await a.createBatch(cA, dataset.id, subject.id);
    const image = await a.uploadImage(
      { companyId: cA, datasetId: dataset.id, subjectId: subject.id, batchId: batch.id },
      { bytes: readFileSync(FACE_PHOTO) },
    );

    const deadline = Date.now() + 90_000;
    while (!arrivals.some((x) => x.socket === 'images')) {
      if (Date.now() > deadline) throw new Error('no image_processed notification');
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    const doneAt = arrivals.findIndex((x) => x.socket === 'images');
    const done = arrivals[doneAt]!.message;
    assert.deepEqual(
      [done.type, done.image_id, done.batch_id, done.subject_id, done.status],
      ['image_processed', image.id, batch.id, subject.id, 'done'],
    );
    const streamed = arrivals.slice(0, doneAt).filter((x) => x.socket === 'results');
    assert.deepEqual(
      streamed.map((x) => x.message.algorithm_family_tech_name).sort(),
      listAlgorithms()
        .map((x) => x.familyTechName)
        .sort(),
      'every algorithm arrives, each once, before the image is announced done',
    );
    for (const { message } of streamed) {
      assert.equal(message.type, 'algorithm_result');
      assert.equal(message.image_id, image.id);
      assert.equal(message.application_id, FSM2);
      assert.ok('is_ok' in message && 'result' in message);
    }
    assert.ok(!arrivals.slice(doneAt + 1).some((x) => x.socket === 'results'), 'nothing streams after done');
    assert.deepEqual(heardByB, [], 'another company hears nothing');

    // The recommendations of the processed image, from the concern table.
    const ref = {
      companyId: cA,
      datasetId: dataset.id,
      subjectId: subject.id,
      batchId: batch.id,
      imageId: image.id,
    };
    const recommendations = await a.recommendations(ref);
    const known = new Set(loadConcernTable().concerns.map((c) => c.tag));
    assert.ok(recommendations.concern_tags.every((tag) => known.has(tag)));
    assert.ok(recommendations.products.includes('spf'));
    assert.equal((await a.results(ref)).length, streamed.length);
    for (const ws of [results, images, bResults, bImages]) ws.close();
  });
});
