/**
 * Refits the acne lesion score (packages/engine/src/metrics/acne/acne-detect.ts ACNE_WEIGHTS): runs
 * the engine's candidate search (`lesionCandidates`) on the ../shared/faces/acne04 photos, labels each
 * candidate 1 when its centre lies in a hand-drawn lesion box grown by ACNE04_BOX_MARGIN on each side,
 * and fits a logistic regression of that label on the candidate's surround Δa*, feature distance and
 * shape over the candidates of the 'fit' half (even-numbered photos; Newton's method). Prints the
 * recall of all the candidates together (the most any score can reach), the weights, and for both
 * halves the recall, precision and Spearman ρ of the count that `npm run eval` would report with
 * them (candidates at even odds or better, overlaps merged) and at other keep odds. The weights are
 * not written anywhere: paste them into ACNE_WEIGHTS.
 *
 *   node --import tsx scripts/fit-acne-weights.ts
 */
import { join } from 'node:path';
import { colourMapsInput } from '../packages/engine/src/colour/colour-maps.input.ts';
import { FaceModels } from '../packages/engine/src/face/face-models.ts';
import { ACNE_MIN_PX_PER_MM } from '../packages/engine/src/metrics/acne/acne.metric.ts';
import {
  ACNE_WEIGHTS,
  type LesionCandidate,
  lesionCandidates,
  separateLesions,
} from '../packages/engine/src/metrics/acne/acne-detect.ts';
import { ACNE04_DIR, type Acne04Item, inGrownBox, matchDetections, readAcne04 } from './eval/acne04.ts';
import { spearman } from './eval/values.ts';
import { photoContext } from './photo-context.ts';

interface Photo {
  item: Acne04Item;
  /** Candidates in original-image pixels, with their label (in a grown box). */
  candidates: { x: number; y: number; radiusPx: number; features: number[]; label: number }[];
}

const FEATURES = ['surroundDeltaA', 'featureMm', 'shape'] as const;
type Weights = Record<(typeof FEATURES)[number] | 'bias', number>;

function featuresOf(c: LesionCandidate): number[] {
  return FEATURES.map((f) => c[f]);
}

/** The candidates of every photo with an assessable face (null: no face, or below acne's resolution gate). */
async function candidatesOf(faces: FaceModels, item: Acne04Item): Promise<Photo | null> {
  const ctx = await photoContext(faces, join(ACNE04_DIR, 'images', item.file));
  if (!ctx || ctx.face.pxPerMm < ACNE_MIN_PX_PER_MM) return null;
  const { image, frame } = ctx;
  const toOriginal = image.toOriginal;
  return {
    item,
    candidates: lesionCandidates(ctx, ctx.input(colourMapsInput)).map((c) => {
      const x = (c.fx + frame.x0) * toOriginal;
      const y = (c.fy + frame.y0) * toOriginal;
      return {
        x,
        y,
        radiusPx: c.radiusPx * toOriginal,
        features: featuresOf(c),
        label: item.boxes.some((box) => inGrownBox(x, y, box)) ? 1 : 0,
      };
    }),
  };
}

/** Logistic regression by Newton's method (a tiny ridge keeps the Hessian invertible); returns [...weights, bias]. */
function logisticFit(rows: number[][], labels: number[]): number[] {
  const k = rows[0]!.length + 1;
  let beta = new Array<number>(k).fill(0);
  for (let iter = 0; iter < 50; iter++) {
    const grad = new Array<number>(k).fill(0);
    const hess = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    rows.forEach((r, n) => {
      const x = [...r, 1];
      const p = 1 / (1 + Math.exp(-x.reduce((s, v, j) => s + v * beta[j]!, 0)));
      const w = p * (1 - p);
      for (let i = 0; i < k; i++) {
        grad[i]! += (labels[n]! - p) * x[i]!;
        for (let j = 0; j < k; j++) hess[i]![j]! += w * x[i]! * x[j]!;
      }
    });
    for (let i = 0; i < k; i++) hess[i]![i]! += 1e-6;
    const step = solve(hess, grad);
    beta = beta.map((b, i) => b + step[i]!);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return beta;
}

/** Solves A x = b by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let j = c; j <= n; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

function report(label: string, photos: Photo[], weights: Weights, keepLogit = 0): string {
  let boxes = 0;
  let dets = 0;
  let matched = 0;
  const counts: number[] = [];
  const truth: number[] = [];
  for (const p of photos) {
    const kept = separateLesions(
      p.candidates
        .map((c) => ({
          ...c,
          score: FEATURES.reduce((s, f, j) => s + weights[f] * c.features[j]!, weights.bias),
        }))
        .filter((c) => c.score >= keepLogit),
    );
    boxes += p.item.boxes.length;
    dets += kept.length;
    matched += matchDetections(
      kept.map((c) => [c.x, c.y] as [number, number]),
      p.item.boxes,
    );
    counts.push(kept.length);
    truth.push(p.item.boxes.length);
  }
  const f = (v: number) => v.toFixed(3);
  return `${label}: ${photos.length} faces, recall ${f(matched / boxes)}, precision ${f(matched / Math.max(1, dets))}, ρ count ${f(spearman(counts, truth))}`;
}

const faces = await FaceModels.load();
const photos: Photo[] = [];
for (const item of await readAcne04()) {
  const p = await candidatesOf(faces, item);
  if (p) photos.push(p);
}
const fit = photos.filter((p) => p.item.split === 'fit');
const test = photos.filter((p) => p.item.split === 'test');
const rows = fit.flatMap((p) => p.candidates.map((c) => c.features));
const labels = fit.flatMap((p) => p.candidates.map((c) => c.label));
const beta = logisticFit(rows, labels);
const fitted = Object.fromEntries([
  ...FEATURES.map((f, j) => [f, beta[j]!]),
  ['bias', beta.at(-1)!],
]) as Weights;
const rounded = Object.fromEntries(
  Object.entries(fitted).map(([k, v]) => [k, Number(v.toPrecision(3))]),
) as Weights;
console.log(`candidates on the fit half: ${rows.length}, in a box: ${labels.filter(Boolean).length}`);
const ceiling = (photos: Photo[]) =>
  (
    photos.reduce(
      (n, p) =>
        n +
        matchDetections(
          p.candidates.map((c) => [c.x, c.y] as [number, number]),
          p.item.boxes,
        ),
      0,
    ) / photos.reduce((n, p) => n + p.item.boxes.length, 0)
  ).toFixed(3);
console.log(
  `recall of every candidate, kept or not (what no score can exceed): fit ${ceiling(fit)}, test ${ceiling(test)}`,
);
console.log(`fitted ACNE_WEIGHTS: ${JSON.stringify(rounded)}`);
for (const [name, w] of [
  ['current', ACNE_WEIGHTS],
  ['fitted', rounded],
] as const)
  console.log(`${name}:\n  ${report('fit', fit, w)}\n  ${report('test', test, w)}`);
console.log('fitted, other keep logits (the recall-precision curve):');
for (const t of [-0.5, -0.25, 0.25, 0.5, 0.75])
  console.log(`  ${t}: ${report('fit', fit, rounded, t)} | ${report('test', test, rounded, t)}`);
process.exit(0);
