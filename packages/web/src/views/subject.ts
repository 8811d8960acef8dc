import type { HistoryResult, ImageRecord, ImageRef, SmoothingMethod } from '@skinscope/sdk';
import { lineChart, type Point } from '../charts/line-chart.ts';
import { h, message, mount, statusLine, when } from '../dom.ts';
import { mainMetric } from '../metrics.ts';
import { downloadPdf } from '../pdf.ts';
import type { Session } from '../session.ts';
import { confirmDialog } from './confirm.ts';

const CHARTED_OUT = new Set(['face_detector', 'facial_landmarks']);

/** A subject: its photos over time, each metric's history raw and smoothed, the PDF, and deletion (GDPR). */
export async function subjectView(
  session: Session,
  datasetId: string,
  subjectId: string,
): Promise<HTMLElement> {
  const { client, companyId } = session;
  const [subject, batches, history] = await Promise.all([
    client.getSubject(companyId, datasetId, subjectId),
    client.listBatches(companyId, datasetId, subjectId),
    client.allResults(companyId, datasetId, subjectId),
  ]);
  const images = (
    await Promise.all(
      batches.results.map((b) => client.listImages({ companyId, datasetId, subjectId, batchId: b.id })),
    )
  )
    .flatMap((page) => page.results)
    .sort((a, b) => a.creation_time.localeCompare(b.creation_time));
  const refOf = (image: ImageRecord): ImageRef => ({
    companyId,
    datasetId,
    subjectId,
    batchId: image.image_batch_id,
    imageId: image.id,
  });
  const status = statusLine();
  const base = `#/d/${datasetId}/s/${subjectId}`;

  const gallery = h(
    'ol',
    { class: 'gallery', 'aria-label': 'Photos, oldest first' },
    images.map((image) =>
      h(
        'li',
        {},
        h(
          'a',
          { href: `${base}/b/${image.image_batch_id}/i/${image.id}` },
          h('img', {
            src: client.imageFileUrl(image.id),
            alt: `Photo of ${when(image.creation_time)}`,
            loading: 'lazy',
          }),
          h('span', {}, when(image.creation_time)),
          h('span', { class: `badge ${image.status}` }, image.status),
        ),
      ),
    ),
  );

  const method = h(
    'select',
    { id: 'smoothing-method' },
    h('option', { value: 'mean' }, 'Mean'),
    h('option', { value: 'mean_without_outliers' }, 'Mean without outliers'),
    h('option', { value: 'linear_approximation' }, 'Linear trend'),
  );
  const windowDays = h('input', { id: 'smoothing-window', type: 'number', min: 1, max: 365, value: '14' });
  const charts = h('div', { class: 'charts', 'aria-live': 'polite', 'aria-busy': 'true' });
  const drawCharts = async () => {
    charts.setAttribute('aria-busy', 'true');
    const done = images.filter((i) => i.status === 'done');
    const smoothed = await Promise.all(
      done.map(async (image) => ({
        t: Date.parse(image.creation_time),
        values: await client.smoothedResults(refOf(image), {
          method: method.value as SmoothingMethod,
          windowDays: Number(windowDays.value) || 14,
        }),
      })),
    );
    mount(charts, historyCharts(history, smoothed));
    charts.setAttribute('aria-busy', 'false');
  };
  method.addEventListener('change', () => void drawCharts().catch((e) => (status.textContent = message(e))));
  windowDays.addEventListener(
    'change',
    () => void drawCharts().catch((e) => (status.textContent = message(e))),
  );

  const latest = [...images].reverse().find((i) => i.status === 'done');
  const pdf = h('button', { type: 'button', disabled: !latest }, 'Download PDF report (latest photo)');
  pdf.addEventListener('click', () => latest && void downloadPdf(client, refOf(latest), status));

  const del = h('button', { type: 'button', class: 'danger' }, 'Delete subject…');
  del.addEventListener('click', async () => {
    const confirmed = await confirmDialog({
      title: `Delete ${subject.name}?`,
      text: `This deletes ${subject.name} with every photo and result (${images.length} photo${images.length === 1 ? '' : 's'}). It cannot be undone.`,
      confirm: 'Delete permanently',
    });
    if (!confirmed) return del.focus();
    try {
      await client.deleteSubject(companyId, datasetId, subjectId);
      sessionStorage.setItem('skinscope.flash', `${subject.name} and all their data were deleted.`);
      window.location.hash = `#/d/${datasetId}`;
    } catch (e) {
      status.textContent = `Could not delete: ${message(e)}`;
    }
  });

  const view = h(
    'section',
    { 'aria-labelledby': 'subject-title' },
    h(
      'nav',
      { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/' }, 'Datasets'),
      ' / ',
      h('a', { href: `#/d/${datasetId}` }, subject.dataset.name ?? 'Dataset'),
    ),
    h('h1', { id: 'subject-title' }, subject.name),
    h(
      'div',
      { class: 'actions' },
      h('a', { class: 'button primary', href: `${base}/new` }, 'New analysis'),
      pdf,
      del,
    ),
    status,
    h('h2', {}, 'Photos over time'),
    images.length ? gallery : h('p', { class: 'empty' }, 'No photos yet: start a new analysis.'),
    h('h2', { id: 'history-title' }, 'History'),
    h(
      'div',
      { class: 'inline-form', role: 'group', 'aria-label': 'Smoothing' },
      h('label', { for: 'smoothing-method' }, 'Smoothing'),
      method,
      h('label', { for: 'smoothing-window' }, 'over days'),
      windowDays,
    ),
    charts,
  );
  void drawCharts().catch((e) => {
    status.textContent = `History unavailable: ${message(e)}`;
  });
  return view;
}

/** One chart per numeric main metric: the raw value of each photo and the smoothed value at each photo. */
function historyCharts(
  history: HistoryResult[],
  smoothed: { t: number; values: { algorithm_tech_name: string; value: number }[] }[],
): HTMLElement[] {
  const byAlgorithm = new Map<string, { title: string; score: boolean; raw: Point[] }>();
  for (const r of history) {
    const m = mainMetric(r);
    if (CHARTED_OUT.has(r.algorithm_tech_name) || !m || typeof m.value !== 'number') continue;
    const entry = byAlgorithm.get(r.algorithm_tech_name) ?? {
      title: m.name,
      score: m.widget_type === 'bad_good_line',
      raw: [],
    };
    entry.raw.push({ t: Date.parse(r.image_creation_time), v: m.value });
    byAlgorithm.set(r.algorithm_tech_name, entry);
  }
  if (byAlgorithm.size === 0) return [h('p', { class: 'empty' }, 'No measurements yet.')];
  return [...byAlgorithm].map(([algorithm, entry]) =>
    lineChart(
      entry.title,
      [
        { label: 'Each photo', points: entry.raw, className: 'raw' },
        {
          label: 'Smoothed',
          className: 'smoothed',
          points: smoothed.flatMap((s) => {
            const v = s.values.find((x) => x.algorithm_tech_name === algorithm);
            return v ? [{ t: s.t, v: v.value }] : [];
          }),
        },
      ],
      entry.score,
    ),
  );
}
