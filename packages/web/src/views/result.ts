import figures from 'virtual:eval-figures';
import type { ImageRecord, ImageRef, ImageResult } from '@skinscope/sdk';
import { h, message, mount, statusLine, when } from '../dom.ts';
import { type LiveProgress, openLiveProgress } from '../live/progress.ts';
import { mainMetric, metricRows } from '../metrics.ts';
import { downloadPdf } from '../pdf.ts';
import type { Session } from '../session.ts';
import { metricCard } from './metric-card.ts';

/** Polls the image this often while it is processed (a fallback for the sockets). */
const POLL_MS = 1500;
/** Algorithms whose mask is not a skin finding: offered last. */
const MASKS_LAST = new Set(['face_detector', 'facial_landmarks']);

/**
 * One photo's analysis: live progress while it is processed (each algorithm as it arrives), then the photo
 * with a toggle per algorithm's mask, the photo-quality result, and every metric with its figures.
 */
export async function resultView(session: Session, ref: ImageRef, live?: LiveProgress): Promise<HTMLElement> {
  const { client, companyId } = session;
  const [subject, image, apps] = await Promise.all([
    client.getSubject(companyId, ref.datasetId, ref.subjectId),
    client.getImage(ref),
    client.listApplications(companyId),
  ]);
  const expected = apps.results[0]?.algorithms.length ?? 0;
  const status = statusLine();
  const progress = h('progress', { max: expected || 1, value: 0, 'aria-labelledby': 'progress-label' });
  const progressLabel = h('span', { id: 'progress-label' }, 'Waiting for the analysis…');
  const arrivals = h('ol', { class: 'arrivals', 'aria-label': 'Algorithms computed so far' });
  const progressBox = h(
    'div',
    { class: 'progress card', role: 'status', 'aria-live': 'polite' },
    progressLabel,
    progress,
    arrivals,
  );
  const body = h('div', { class: 'result-body' });
  const pdf = h('button', { type: 'button', disabled: true }, 'Download PDF report');
  pdf.addEventListener('click', () => void downloadPdf(client, ref, status));

  const view = h(
    'section',
    { 'aria-labelledby': 'result-title', 'data-image-id': ref.imageId },
    h(
      'nav',
      { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/' }, 'Datasets'),
      ' / ',
      h('a', { href: `#/d/${ref.datasetId}` }, subject.dataset.name ?? 'Dataset'),
      ' / ',
      h('a', { href: `#/d/${ref.datasetId}/s/${ref.subjectId}` }, subject.name),
    ),
    h('h1', { id: 'result-title' }, `${subject.name}, ${when(image.creation_time)}`),
    h(
      'div',
      { class: 'actions' },
      pdf,
      h('a', { class: 'button', href: `#/d/${ref.datasetId}/s/${ref.subjectId}` }, 'History'),
      h('a', { class: 'button', href: `#/d/${ref.datasetId}/s/${ref.subjectId}/new` }, 'New analysis'),
    ),
    status,
    progressBox,
    body,
  );

  const seen = new Set<string>();
  const arrived = (r: ImageResult) => {
    if (seen.has(r.algorithm_tech_name)) return;
    seen.add(r.algorithm_tech_name);
    progress.value = seen.size;
    progressLabel.textContent = `${seen.size} of ${expected} algorithms computed`;
    const m = mainMetric(r);
    const value =
      m && m.value !== null
        ? ` — ${typeof m.value === 'number' ? Math.round(m.value * 10) / 10 : String(m.value).replace(/_/g, ' ')}`
        : ' — not assessable';
    arrivals.appendChild(
      h(
        'li',
        { 'data-algorithm': r.algorithm_tech_name },
        `${r.algorithm_tech_name.replace(/_/g, ' ')}${value}`,
      ),
    );
  };

  let finished = false;
  const finish = async (record: ImageRecord) => {
    if (finished) return;
    finished = true;
    live?.close();
    try {
      const results = await client.results(ref);
      for (const r of results) arrived(r);
      progressLabel.textContent =
        record.status === 'failed'
          ? `The analysis failed: ${record.error ?? 'unknown error'}`
          : `Analysis complete: ${results.length} algorithms`;
      progress.value = progress.max;
      pdf.disabled = record.status !== 'done';
      mount(body, await resultSections(session, ref, results));
      view.setAttribute('data-complete', 'true');
    } catch (e) {
      status.textContent = `Could not load the results: ${message(e)}`;
    }
  };

  if (image.status === 'done' || image.status === 'failed') {
    progressBox.hidden = true;
    await finish(image);
    return view;
  }
  if (image.status === 'stored') {
    progressLabel.textContent = 'This dataset has no analysis attached: the photo is stored without results.';
    return view;
  }
  mount(
    body,
    h('img', {
      src: client.imageFileUrl(ref.imageId),
      alt: 'The photo being analysed',
      class: 'photo-preview',
    }),
  );
  const socket = live ?? openLiveProgress(session);
  live = socket;
  socket.onResult = (m) => arrived(m);
  socket.onProcessed = () => void client.getImage(ref).then(finish);
  socket.follow(ref.imageId);
  const poll = async () => {
    if (finished || !view.isConnected) return socket.close();
    const record = await client.getImage(ref).catch(() => undefined);
    if (record && (record.status === 'done' || record.status === 'failed')) return finish(record);
    setTimeout(() => void poll(), POLL_MS);
  };
  setTimeout(() => void poll(), POLL_MS);
  return view;
}

async function resultSections(
  session: Session,
  ref: ImageRef,
  results: ImageResult[],
): Promise<HTMLElement[]> {
  const rows = metricRows(results, figures);
  const quality = rows.find((r) => r.algorithm === 'quality');
  return [
    await photoWithMasks(session, ref, results),
    quality ? qualityPanel(results.find((r) => r.algorithm_tech_name === 'quality')!) : h('div', {}),
    h(
      'section',
      { 'aria-labelledby': 'metrics-title' },
      h('h2', { id: 'metrics-title' }, 'Skin metrics'),
      h(
        'p',
        { class: 'hint' },
        `Scores run 0-100, higher is better. Figures beside each metric come from the published evaluation${figures.date ? ` of ${when(figures.date)}` : ''}.`,
      ),
      h('div', { class: 'metric-grid' }, rows.filter((r) => r.algorithm !== 'quality').map(metricCard)),
    ),
  ];
}

/** The photo with each algorithm's SVG mask as a layer a checkbox shows or hides. */
async function photoWithMasks(session: Session, ref: ImageRef, results: ImageResult[]): Promise<HTMLElement> {
  const { client, companyId } = session;
  const withMasks = results
    .filter(
      (r) =>
        r.is_ok &&
        ((r.result as { masks_original?: { features?: unknown[] } }).masks_original?.features?.length ?? 0) >
          0,
    )
    .map((r) => r.algorithm_tech_name)
    .sort((a, b) => Number(MASKS_LAST.has(a)) - Number(MASKS_LAST.has(b)));
  const photo = h('img', {
    src: client.imageFileUrl(ref.imageId),
    alt: 'The analysed photo',
    class: 'photo',
  });
  const stack = h('div', { class: 'photo-stack' }, photo);
  const toggles = h('fieldset', { class: 'mask-toggles' }, h('legend', {}, 'Mask overlays'));
  if (withMasks.length) {
    const links = await client
      .maskLinks(companyId, {
        imageId: ref.imageId,
        imageType: 'original',
        format: 'svg',
        masks: withMasks.map((algorithm_tech_name) => ({ algorithm_tech_name })),
      })
      .catch(() => []);
    for (const link of links) {
      if (!link.masked_image_url) continue;
      const id = `mask-${link.algorithm_tech_name}`;
      const layer = h('img', {
        src: link.masked_image_url,
        alt: '',
        class: 'overlay',
        hidden: true,
        'data-mask': link.algorithm_tech_name,
      });
      const box = h('input', { type: 'checkbox', id });
      box.addEventListener('change', () => {
        layer.hidden = !box.checked;
      });
      stack.appendChild(layer);
      toggles.appendChild(
        h(
          'div',
          { class: 'toggle' },
          box,
          h('label', { for: id }, link.algorithm_tech_name.replace(/_/g, ' ')),
        ),
      );
    }
  }
  if (toggles.children.length === 1) toggles.appendChild(h('p', {}, 'No masks for this photo.'));
  return h(
    'section',
    { class: 'photo-panel', 'aria-labelledby': 'photo-title' },
    h('h2', { id: 'photo-title' }, 'Photo and masks'),
    h('div', { class: 'photo-layout' }, stack, toggles),
  );
}

/** The server's photo-quality result: the score, each check, and the problems it lists. */
function qualityPanel(result: ImageResult): HTMLElement {
  const payload = result.result as {
    area_results?: {
      main_metric: { value: unknown; widget_meta: unknown };
      sub_metrics: { name: string; tech_name: string; value: unknown; widget_meta: unknown }[];
    }[];
  };
  const face = payload.area_results?.[0];
  if (!face)
    return h(
      'section',
      { class: 'quality card' },
      h('h2', {}, 'Photo quality'),
      h('p', {}, 'Not assessable.'),
    );
  const problems =
    ((face.sub_metrics.find((s) => s.tech_name === 'problems')?.widget_meta ?? {}) as { problems?: string[] })
      .problems ?? [];
  const cls = (face.main_metric.widget_meta as { class?: string } | null)?.class;
  return h(
    'section',
    { class: 'quality card', 'aria-labelledby': 'quality-title' },
    h('h2', { id: 'quality-title' }, 'Photo quality'),
    h(
      'p',
      { class: 'value' },
      h('strong', {}, `${face.main_metric.value} / 100`),
      cls ? h('span', { class: `class-badge ${cls.toLowerCase()}` }, cls) : null,
    ),
    h(
      'p',
      {},
      problems.length
        ? `Problems found: ${problems.map((p) => p.replace(/_/g, ' ')).join(', ')}. Results may be less reliable.`
        : 'No problems found: the photo is usable for every measurement it allows.',
    ),
    h(
      'ul',
      { class: 'quality-checks' },
      face.sub_metrics
        .filter((s) => typeof s.value === 'number')
        .map((s) => h('li', {}, h('span', {}, s.name), h('strong', {}, String(s.value)))),
    ),
  );
}
