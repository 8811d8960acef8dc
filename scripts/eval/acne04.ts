/**
 * Acne on real lesions: the acne04 photos of ../shared/faces (283 close-ups, every lesion boxed by
 * hand, Hayashi grade 0-3). Per photo the `acne` algorithm's detections (centres of its
 * `masks_original` features, original-image pixels) are matched to the boxes:
 *
 * - matching rule: a detection matches a box when its centre lies inside the box grown by
 *   ACNE04_BOX_MARGIN of the box's size on each side (hand-drawn boxes are loose and a lesion's
 *   redness peak need not be its box centre); one-to-one, greedily, each detection taking the
 *   unmatched box whose centre is nearest;
 * - recall = matched boxes / boxes, precision = matched detections / detections, both over the photos
 *   where a face was found (boxes on photos without a face are counted by `recall_all`);
 * - Spearman ρ of the detection count with the box count and with the grade (photos with a face);
 * - false detections per grade-0 photo (unmatched detections) and the grade-0 mean acne score.
 *
 * Split: photos sorted by file name, even positions 'fit' (where detector thresholds may be set),
 * odd positions 'test' (held out); each is reported, with the two together. ACNE04_STEP (default 1)
 * keeps every k-th photo of each split while iterating; the printed n says how many were used.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Analysis, EnginePool } from '../../packages/engine/src/index.ts';
import { isAlgorithmPayload } from '../../packages/engine/src/index.ts';
import { FACES_DIR } from '../../packages/engine/src/testing/faces.ts';
import { detections } from './inject.ts';
import { analyzeAll } from './pool.ts';
import { mean, spearman } from './values.ts';

export const ACNE04_DIR = join(FACES_DIR, 'acne04');
/** Margin added on each side of a lesion box, as a fraction of its width/height. */
export const ACNE04_BOX_MARGIN = 0.25;

export interface Acne04Item {
  file: string;
  grade: number;
  /** [x1, y1, x2, y2] in image pixels. */
  boxes: [number, number, number, number][];
  split: 'fit' | 'test';
}

export interface Acne04Row {
  group: string;
  photos: number;
  faces_found: number;
  boxes: number;
  detections: number;
  recall: number;
  /** Recall counting the boxes of photos where no face was found as missed. */
  recall_all: number;
  precision: number;
  /** Spearman ρ(detections, boxes) over photos with a face. */
  rho_count: number;
  /** Spearman ρ(detections, grade). */
  rho_grade: number;
  /** Spearman ρ(acne_score, boxes): negative when the score falls with more lesions. */
  rho_score: number;
  /** Mean unmatched detections per grade-0 photo with a face. */
  grade0_false_per_photo: number;
  grade0_mean_score: number;
  /** Mean acne_score per grade 0-3. */
  score_by_grade: number[];
  /** Mean detections per grade 0-3. */
  detections_by_grade: number[];
}

export interface Acne04Section {
  step: number;
  margin: number;
  rows: Acne04Row[];
}

export async function readAcne04(): Promise<Acne04Item[]> {
  const lines = (await readFile(join(ACNE04_DIR, 'labels.csv'), 'utf8')).trim().split(/\r?\n/).slice(1);
  return lines
    .map((l) => {
      const [file, grade, , boxes] = l.split(',');
      return {
        file: file!.trim(),
        grade: Number(grade),
        boxes: (boxes ?? '')
          .split(';')
          .map((b) => b.trim().split(/\s+/).map(Number))
          .filter((b) => b.length === 4 && b.every(Number.isFinite)) as [number, number, number, number][],
      };
    })
    .sort((a, b) => a.file.localeCompare(b.file))
    .map((x, i) => ({ ...x, split: i % 2 === 0 ? 'fit' : 'test' }));
}

/** Whether (x, y) lies inside `box` grown by `margin` of its width and height on each side. */
export function inGrownBox(
  x: number,
  y: number,
  [x1, y1, x2, y2]: readonly [number, number, number, number],
  margin = ACNE04_BOX_MARGIN,
): boolean {
  const mx = margin * (x2 - x1);
  const my = margin * (y2 - y1);
  return x >= x1 - mx && x <= x2 + mx && y >= y1 - my && y <= y2 + my;
}

/** One-to-one greedy matching of detection centres to (grown) boxes; returns the matched count. */
export function matchDetections(
  dets: readonly [number, number][],
  boxes: readonly [number, number, number, number][],
  margin = ACNE04_BOX_MARGIN,
): number {
  const used = new Set<number>();
  let matched = 0;
  for (const [x, y] of dets) {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    boxes.forEach((box, j) => {
      if (used.has(j) || !inGrownBox(x, y, box, margin)) return;
      const [x1, y1, x2, y2] = box;
      const d = Math.hypot(x - (x1 + x2) / 2, y - (y1 + y2) / 2);
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    });
    if (best >= 0) {
      used.add(best);
      matched++;
    }
  }
  return matched;
}

interface Sample {
  item: Acne04Item;
  face: boolean;
  dets: number;
  matched: number;
  score: number | null;
}

function acneScore(a: Analysis | null): number | null {
  const r = a?.results.find((x) => x.algorithm_tech_name === 'acne');
  if (!r?.is_ok || !isAlgorithmPayload(r.result)) return null;
  const face = r.result.area_results.find((x) => x.area_name === 'face');
  return typeof face?.main_metric.value === 'number' ? face.main_metric.value : null;
}

function rowOf(group: string, xs: Sample[]): Acne04Row {
  const withFace = xs.filter((s) => s.face);
  const sum = (f: (s: Sample) => number, of = withFace) => of.reduce((t, s) => t + f(s), 0);
  const boxes = sum((s) => s.item.boxes.length);
  const dets = sum((s) => s.dets);
  const matched = sum((s) => s.matched);
  const g0 = withFace.filter((s) => s.item.grade === 0);
  const scored = withFace.filter((s) => s.score !== null);
  const byGrade = (f: (s: Sample) => number, of: Sample[]) =>
    [0, 1, 2, 3].map((g) => mean(of.filter((s) => s.item.grade === g).map(f)));
  return {
    group,
    photos: xs.length,
    faces_found: withFace.length,
    boxes,
    detections: dets,
    recall: boxes ? matched / boxes : Number.NaN,
    recall_all:
      matched /
      Math.max(
        1,
        sum((s) => s.item.boxes.length, xs),
      ),
    precision: dets ? matched / dets : Number.NaN,
    rho_count: spearman(
      withFace.map((s) => s.dets),
      withFace.map((s) => s.item.boxes.length),
    ),
    rho_grade: spearman(
      withFace.map((s) => s.dets),
      withFace.map((s) => s.item.grade),
    ),
    rho_score: spearman(
      scored.map((s) => s.score!),
      scored.map((s) => s.item.boxes.length),
    ),
    grade0_false_per_photo: mean(g0.map((s) => s.dets - s.matched)),
    grade0_mean_score: mean(g0.filter((s) => s.score !== null).map((s) => s.score!)),
    score_by_grade: byGrade((s) => s.score!, scored),
    detections_by_grade: byGrade((s) => s.dets, withFace),
  };
}

export async function evalAcne04(pool: EnginePool): Promise<Acne04Section> {
  const step = Math.max(1, Math.floor(Number(process.env.ACNE04_STEP ?? 1)));
  const all = await readAcne04();
  const items = (['fit', 'test'] as const).flatMap((s) =>
    all.filter((i) => i.split === s).filter((_, k) => k % step === 0),
  );
  const analyses = await analyzeAll(
    pool,
    await Promise.all(items.map((i) => readFile(join(ACNE04_DIR, 'images', i.file)))),
    { algorithms: ['acne'] },
  );
  const samples: Sample[] = items.map((item, i) => {
    const a = analyses[i] ?? null;
    const face = (a?.faceCount ?? 0) > 0;
    const dets = detections(a, 'acne');
    return {
      item,
      face,
      dets: dets.length,
      matched: matchDetections(dets, item.boxes),
      score: acneScore(a),
    };
  });
  const rows = [
    rowOf(
      'fit (even)',
      samples.filter((s) => s.item.split === 'fit'),
    ),
    rowOf(
      'test (odd)',
      samples.filter((s) => s.item.split === 'test'),
    ),
    rowOf('all', samples),
  ];
  rows.push(
    ...[0, 1, 2, 3].map((g) =>
      rowOf(
        `grade ${g}`,
        samples.filter((s) => s.item.grade === g),
      ),
    ),
  );
  return { step, margin: ACNE04_BOX_MARGIN, rows };
}
