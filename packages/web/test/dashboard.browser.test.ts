import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SkinscopeClient, SkinscopeError } from '@skinscope/sdk';
import { type ChildServer, firstLoginPassword, startChildServer } from '@skinscope/server/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { writeY4m } from './fake-camera.ts';

const WEB_DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const CHROMIUM = process.env.SKINSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const FACES = process.env.SKINSCOPE_FACES_DIR
  ? join(process.env.SKINSCOPE_FACES_DIR, 'portraits')
  : fileURLToPath(new URL('../../../../shared/faces/portraits/', import.meta.url));
/** Screenshots of every step at both sizes (gitignored); `SKINSCOPE_SCREENSHOTS_DIR` moves them. */
const SHOTS =
  process.env.SKINSCOPE_SCREENSHOTS_DIR ?? fileURLToPath(new URL('../screenshots/', import.meta.url));
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const ANALYSIS_MS = 120_000;
/** The skin application (Haut's face skin metrics 2). */
const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';

/** Records, in the page, how many algorithms had arrived when the result view was marked complete. */
const WATCH_ARRIVALS = `
  window.__progress = { arrivals: 0, beforeComplete: null };
  new MutationObserver(() => {
    const p = window.__progress;
    p.arrivals = document.querySelectorAll('.arrivals li').length;
    if (p.beforeComplete === null && document.querySelector('[data-complete]')) p.beforeComplete = p.lastSeen ?? 0;
    if (!document.querySelector('[data-complete]')) p.lastSeen = p.arrivals;
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-complete'] });
`;

describe('the web dashboard in headless Chromium against a real server', () => {
  let dir: string;
  let server: ChildServer;
  let browser: Browser;
  let password: string;

  before(async () => {
    assert.ok(
      existsSync(join(WEB_DIST, 'index.html')),
      `the dashboard is not built: run "npm run build -w packages/web" (npm test does it first)`,
    );
    dir = mkdtempSync(join(tmpdir(), 'skinscope-web-'));
    mkdirSync(SHOTS, { recursive: true });
    server = await startChildServer(dir, true, { SKINSCOPE_WEB_DIR: WEB_DIST, LOG_LEVEL: 'warn' });
    password = firstLoginPassword(dir);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  });
  after(async () => {
    await browser?.close();
    server?.process.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Saves a screenshot of the step, and checks nothing sticks out sideways (the phone layout fits). */
  const shoot = async (page: Page, size: string, step: string) => {
    await page.screenshot({ path: join(SHOTS, `${size}-${step}.png`), fullPage: true });
    const [scroll, view] = (await page.evaluate(
      '[document.documentElement.scrollWidth, window.innerWidth]',
    )) as number[];
    assert.ok(scroll! <= view!, `${size} ${step}: the page is ${scroll} px wide in a ${view} px window`);
  };

  const signIn = async (page: Page) => {
    await page.goto(server.address);
    await page.getByLabel('Username').fill('admin@localhost');
    await page.getByLabel('Password').fill(password);
  };

  /** Waits for the result view to be complete; on a timeout the error carries what the page shows. */
  const waitComplete = (page: Page) =>
    page
      .locator('[data-complete]')
      .waitFor({ timeout: ANALYSIS_MS })
      .catch(async (e: Error) => {
        throw new Error(`${e.message}\npage: ${await page.locator('main').innerText()}`);
      });

  for (const size of SIZES) {
    test(`${size.name} (${size.width}x${size.height}): sign in, upload, live results, masks, history, PDF, deletion`, {
      timeout: 240_000,
    }, async () => {
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
      const page = await context.newPage();
      await page.addInitScript(WATCH_ARRIVALS);
      const shot = (step: string) => shoot(page, size.name, step);

      await signIn(page);
      await shot('01-sign-in');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Datasets' }).waitFor();

      await page.getByLabel('New dataset').fill(`Study ${size.name}`);
      await page.getByRole('button', { name: 'Create dataset' }).click();
      await page.getByRole('heading', { name: `Study ${size.name}` }).waitFor();
      await page.getByLabel('New subject').fill(`Subject ${size.name}`);
      await page.getByRole('button', { name: 'Add subject' }).click();
      await page.getByRole('heading', { name: `Subject ${size.name}` }).waitFor();
      await shot('02-subject');

      // First photo: upload, and watch the algorithms arrive over the WebSocket before the view completes.
      await page.getByRole('link', { name: 'New analysis' }).click();
      await page.locator('#photo-file').setInputFiles(join(FACES, 'ageitgey__examples_obama2.jpg'));
      await shot('03-new-analysis');
      await page.getByRole('button', { name: 'Upload and analyse' }).click();
      await page.locator('.arrivals li').first().waitFor({ timeout: ANALYSIS_MS });
      await shot('04-progress');
      await waitComplete(page);
      const progress = (await page.evaluate('window.__progress')) as {
        arrivals: number;
        beforeComplete: number;
      };
      assert.ok(
        progress.beforeComplete >= 10,
        `algorithms shown live before the end: ${progress.beforeComplete} of ${progress.arrivals}`,
      );
      const cards = page.locator('.metric-card');
      assert.ok((await cards.count()) >= 12, 'a card per skin metric');
      assert.match(await page.locator('.quality').innerText(), /Photo quality\s+\d+ \/ 100/);
      assert.ok((await page.locator('.metric-card.not-assessable').count()) >= 1, 'a metric not assessable');
      assert.match(
        await page.locator('.metric-card.not-assessable').first().innerText(),
        /Not assessable\s+— \S+/,
      );
      assert.match(await page.locator('[data-algorithm="age"] .figures').innerText(), /Accuracy: .*years/);
      assert.match(await page.locator('[data-algorithm="redness"] .figures').innerText(), /Repeatability: ±/);
      await shot('05-result');

      // A mask overlay, toggled from the keyboard.
      const toggle = page.getByLabel('pigmentation', { exact: true });
      await toggle.focus();
      await page.keyboard.press('Space');
      const overlay = page.locator('img.overlay[data-mask="pigmentation"]');
      await overlay.waitFor({ state: 'visible' });
      await page.waitForFunction(
        () =>
          (document.querySelector('img.overlay[data-mask="pigmentation"]') as HTMLImageElement | null)
            ?.naturalWidth,
      );
      await page.getByLabel('redness', { exact: true }).check();
      await page.locator('img.overlay[data-mask="redness"]').waitFor({ state: 'visible' });
      await shot('06-mask');
      await page.getByLabel('redness', { exact: true }).uncheck();
      await toggle.focus();
      await page.keyboard.press('Space');
      await overlay.waitFor({ state: 'hidden' });

      // A second photo of the same person, then the history of both.
      await page.getByRole('link', { name: 'New analysis' }).click();
      await page
        .locator('#photo-file')
        .setInputFiles(join(FACES, 'ageitgey__examples_knn_examples_test_obama1.jpg'));
      await page.getByRole('button', { name: 'Upload and analyse' }).click();
      await waitComplete(page);
      await page.getByRole('link', { name: 'History' }).click();
      await page.getByRole('heading', { name: 'Photos over time' }).waitFor();
      await page.locator('.charts[aria-busy="false"] .chart').first().waitFor();
      assert.equal(await page.locator('.gallery li').count(), 2);
      const redness = page.locator('.chart', { hasText: 'Redness Score' });
      assert.equal(await redness.locator('circle.raw').count(), 2, 'raw redness of both photos');
      assert.equal(await redness.locator('circle.smoothed').count(), 2, 'smoothed redness at both photos');
      assert.ok((await page.locator('.chart').count()) >= 8, 'a chart per numeric metric');
      await shot('07-history');

      // The PDF report of the latest photo.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: /Download PDF report/ }).click(),
      ]);
      const pdf = readFileSync((await download.path())!);
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      assert.ok(pdf.length > 20_000, `a PDF with the photo (${pdf.length} bytes)`);
      await page.getByText('PDF report downloaded.').waitFor();
      await shot('08-pdf');

      // GDPR deletion behind a confirmation: Cancel keeps the subject, confirming deletes it everywhere.
      const subjectUrl = page.url();
      const [, , datasetId, , subjectId] = new URL(subjectUrl).hash.split('/');
      await page.getByRole('button', { name: 'Delete subject…' }).click();
      await page.getByRole('dialog').waitFor();
      await shot('09-confirm-delete');
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Delete subject…' }).click();
      await page.getByRole('button', { name: 'Delete permanently' }).click();
      await page.getByText(`Subject ${size.name} and all their data were deleted.`).waitFor();
      await shot('10-deleted');
      const api = new SkinscopeClient({ baseUrl: server.address });
      const login = await api.login('admin@localhost', password);
      await assert.rejects(
        api.getSubject(login.company_id, datasetId!, subjectId!),
        (e) => e instanceof SkinscopeError && e.status === 404,
      );
      await context.close();
    });
  }

  test('camera: the fake capture of a real face gets live guidance, then is analysed', {
    timeout: 240_000,
  }, async () => {
    const y4m = join(dir, 'face.y4m');
    await writeY4m(join(FACES, 'vladmandic__samples_in_stock-emotions-a-1.jpg'), y4m);
    const camera = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        ...FLAGS,
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${y4m}`,
      ],
    });
    try {
      const context = await camera.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const api = new SkinscopeClient({ baseUrl: server.address });
      const login = await api.login('admin@localhost', password);
      // A dataset made by a script, without the application: the dashboard attaches it before the upload.
      const dataset = await api.createDataset(login.company_id, { name: 'Selfies' });
      const subject = await api.createSubject(login.company_id, dataset.id, { name: 'Camera subject' });
      await signIn(page);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Datasets' }).waitFor();
      await page.goto(`${server.address}/#/d/${dataset.id}/s/${subject.id}/new`);
      await page.getByRole('button', { name: 'Use the camera' }).click();
      await page.locator('[data-check="face"].ok').waitFor({ timeout: 90_000 });
      for (const id of ['position', 'size', 'light', 'sharpness', 'pose']) {
        await page
          .locator(`[data-check="${id}"].ok`)
          .waitFor({ timeout: 10_000 })
          .catch(async (e: Error) => {
            throw new Error(`${e.message}\nguidance: ${await page.locator('.checks').innerText()}`);
          });
      }
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await shoot(page, size.name, '11-camera-guidance');
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole('button', { name: 'Take photo' }).click();
      await waitComplete(page);
      assert.match(await page.locator('.quality').innerText(), /Photo quality\s+\d+ \/ 100/);
      assert.ok((await page.locator('.metric-card').count()) >= 12);
      const runs = await api.listApplicationRuns(login.company_id, FSM2, dataset.id);
      assert.equal(runs.count, 1, 'the dashboard attached the skin application to the bare dataset');
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await shoot(page, size.name, '12-camera-result');
      }
      await context.close();
    } finally {
      await camera.close();
    }
  });
});
