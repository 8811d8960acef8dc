import { type AlgorithmPayload, isAlgorithmPayload, scoreClass } from '@skinscope/engine';
import sharp from 'sharp';
import type { AppContext } from '../context.ts';
import { DEFAULT_MASK_OPTIONS, MaskUnavailable, renderMask } from '../masks/mask-render.service.ts';
import { faceMetrics, maskOf, resultsByAlgorithm } from '../masks/mask-source.ts';
import { OUTLINE_ONLY } from '../masks/mask-svg.ts';
import type { ImageRecord, Subject } from '../ports/store.ts';
import { explanationOf, reasonWords } from './metric-explanations.ts';

/** One line of the report's metric table. */
export interface ReportMetric {
  techName: string;
  name: string;
  /** The value as shown ("64", "31 years", "Light"), or "Not assessable". */
  shown: string;
  /** The 0-100 score of a bad-good line, for the bar. */
  score: number | null;
  /** Score class of a bad-good line; null for other metrics. */
  cls: string | null;
  explanation: string;
  /** Why it could not be measured, when it could not. */
  notAssessable: string | null;
}

export interface HistorySeries {
  techName: string;
  name: string;
  /** Oldest first; `time` is the image's creation time (ISO-8601). */
  points: { time: string; value: number }[];
}

export interface ReportData {
  subjectName: string;
  imageId: string;
  imageTime: string;
  /** JPEG of the photo, at most 1200 px on its long side. */
  photo: Buffer;
  metrics: ReportMetric[];
  /** JPEG crops around the face of each algorithm's mask render. */
  masks: { techName: string; name: string; jpeg: Buffer; width: number; height: number }[];
  /** One series per 0-100 score, over the subject's images up to this one. */
  history: HistorySeries[];
}

/** Algorithms left out of the metric table (they locate the face, they do not describe the skin). */
const TECHNICAL = new Set(['face_detector', 'facial_landmarks']);

function shownValue(
  payload: AlgorithmPayload,
): Omit<ReportMetric, 'techName' | 'explanation' | 'notAssessable'> {
  const m = faceMetrics(payload);
  if (!m) return { name: 'No metric', shown: 'Not assessable', score: null, cls: null };
  const { value, widget_type, name } = m.main;
  if (widget_type === 'bad_good_line' && typeof value === 'number')
    return { name, shown: String(value), score: value, cls: scoreClass(value) };
  if (widget_type === 'years' && typeof value === 'number')
    return { name, shown: `${Math.round(value)} years`, score: null, cls: null };
  if (widget_type === 'class' && typeof value === 'string')
    return { name, shown: value, score: null, cls: null };
  return { name, shown: value === null ? '-' : String(value), score: null, cls: null };
}

/** Why the face-level value is missing, in words, when the engine says the face was not assessable. */
function faceNotAssessable(payload: AlgorithmPayload): string | null {
  const gate =
    payload.not_assessable_areas?.find((a) => a.area_name === 'face') ?? payload.not_assessable_areas?.[0];
  if (!gate) return null;
  return reasonWords(gate.reason, gate.detail);
}

/** Subject's images up to (and including) this one, oldest first, with their results. */
async function subjectImages(ctx: AppContext, image: ImageRecord): Promise<ImageRecord[]> {
  const batches = await ctx.store.subjects.listBatches(image.companyId, image.subjectId, {
    page: 1,
    pageSize: 1000,
  });
  const images = (
    await Promise.all(batches.results.map((b) => ctx.store.images.listByBatch(image.companyId, b.id)))
  ).flat();
  return images
    .filter((i) => i.status === 'done' && i.creationTime <= image.creationTime)
    .sort((a, b) => a.creationTime.localeCompare(b.creationTime) || a.id.localeCompare(b.id));
}

async function history(ctx: AppContext, image: ImageRecord, order: string[]): Promise<HistorySeries[]> {
  const series = new Map<string, HistorySeries>();
  for (const past of await subjectImages(ctx, image)) {
    for (const [techName, result] of await resultsByAlgorithm(ctx, image.companyId, past.id)) {
      if (TECHNICAL.has(techName) || !isAlgorithmPayload(result)) continue;
      const main = faceMetrics(result)?.main;
      if (main?.widget_type !== 'bad_good_line' || typeof main.value !== 'number') continue;
      const s = series.get(techName) ?? { techName, name: main.name, points: [] };
      s.points.push({ time: past.creationTime, value: main.value });
      series.set(techName, s);
    }
  }
  return [...series.values()].sort((a, b) => order.indexOf(a.techName) - order.indexOf(b.techName));
}

/** The face box of face_detector (it already holds a margin around the face), in the render's pixels. */
async function faceCrop(
  original: Uint8Array,
  face: AlgorithmPayload | undefined,
  render: Uint8Array,
): Promise<{ left: number; top: number; width: number; height: number } | undefined> {
  const g = face?.masks_original.features[0]?.geometry;
  if (g?.type !== 'Polygon') return undefined;
  const xs = g.coordinates[0]!.map((p) => p[0]);
  const ys = g.coordinates[0]!.map((p) => p[1]);
  const m = await sharp(original).metadata();
  const uprightWidth = (m.orientation ?? 1) >= 5 ? m.height : m.width;
  const r = await sharp(render).metadata();
  const k = r.width / uprightWidth;
  const left = Math.max(0, Math.floor(Math.min(...xs) * k));
  const top = Math.max(0, Math.floor(Math.min(...ys) * k));
  const width = Math.min(r.width - left, Math.ceil((Math.max(...xs) - Math.min(...xs)) * k));
  const height = Math.min(r.height - top, Math.ceil((Math.max(...ys) - Math.min(...ys)) * k));
  return width > 8 && height > 8 ? { left, top, width, height } : undefined;
}

/** Gathers what the PDF shows: the photo, each metric, the mask renders and the subject's history. */
export async function gatherReport(
  ctx: AppContext,
  image: ImageRecord,
  subject: Subject,
): Promise<ReportData> {
  const bytes = image.blobKey ? await ctx.blobs.get(image.blobKey) : undefined;
  if (!bytes) throw new MaskUnavailable('The image file was deleted');
  const order = ctx.analyzer.listAlgorithms().map((a) => a.techName);
  const results = await resultsByAlgorithm(ctx, image.companyId, image.id);
  const names = [...results.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const metrics: ReportMetric[] = [];
  const masks: ReportData['masks'] = [];
  const face = results.get('face_detector');
  const facePayload = face && isAlgorithmPayload(face) ? face : undefined;
  for (const techName of names) {
    const result = results.get(techName)!;
    if (TECHNICAL.has(techName)) continue;
    const explanation = explanationOf(techName);
    if (!isAlgorithmPayload(result)) {
      const info = ctx.analyzer.listAlgorithms().find((a) => a.techName === techName);
      metrics.push({
        techName,
        name: info?.name ?? techName,
        shown: 'Not assessable',
        score: null,
        cls: null,
        explanation,
        notAssessable: result.error,
      });
      continue;
    }
    const v = shownValue(result);
    const gate = v.shown === '-' ? faceNotAssessable(result) : null;
    metrics.push(
      gate
        ? { techName, ...v, shown: 'Not assessable', explanation, notAssessable: gate }
        : { techName, ...v, explanation, notAssessable: null },
    );
    const mask = maskOf(result, 'original');
    if (mask.mask_type === 'none' || mask.features.length === 0 || OUTLINE_ONLY.has(techName)) continue;
    const rendered = await renderMask(ctx, {
      companyId: image.companyId,
      imageId: image.id,
      imageType: 'original',
      algorithm: techName,
      format: 'jpg',
      options: DEFAULT_MASK_OPTIONS,
    });
    const crop = await faceCrop(bytes, facePayload, rendered.bytes);
    const pipeline = sharp(rendered.bytes);
    const { data: jpeg, info } = await (crop ? pipeline.extract(crop) : pipeline)
      .resize({ width: 480, withoutEnlargement: true })
      .jpeg({ quality: 85 })
      .toBuffer({ resolveWithObject: true });
    masks.push({ techName, name: v.name, jpeg, width: info.width, height: info.height });
  }
  const photo = await sharp(bytes)
    .rotate()
    .resize({ width: 1200, height: 1200, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer();
  return {
    subjectName: subject.name,
    imageId: image.id,
    imageTime: image.creationTime,
    photo,
    metrics,
    masks,
    history: await history(ctx, image, order),
  };
}
