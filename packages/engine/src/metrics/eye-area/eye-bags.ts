import type { MetricContext } from '../../framework/metric.ts';
import { landmarkPoint } from '../../geometry/face-geometry.ts';
import { quantileOf } from '../../image/filters.ts';
import { type MaskFeature, round, scoreValue } from '../../result/result-shape.ts';
import { lightnessOf } from '../../texture/area-crop.ts';
import { EYE_SIDES, type EyeAreaPart, type EyeSide } from './eye-area-part.ts';

/**
 * Eye bags and lacrimal groove, the structure part of `eye_area_condition` (skin-metrics-methods.md
 * §10; no validated 2-D classical method exists, this is the documented heuristic):
 * along five vertical profiles from the lower-lid margin downwards (perpendicular to the eye line,
 * each averaged over a 1.5 mm wide band, L* of the photo) the profile is smoothed at 0.7 mm, then
 * - bag = the largest drop from a bright band to a darker point below it (running maximum from 1 mm
 *   minus L* at 3-16 mm), × that point's depth below the lid (mm) / 10: a bright convex band above a
 *   dark line, the taller the worse; a profile that only brightens towards the cheek has no bag;
 * - the crease (tear trough / lid-cheek junction) is the darkest point 3-16 mm below the lid;
 * - groove = the cheek 3-7 mm below the crease minus the crease (L*): how deep the trough reads.
 * The medians of the five profiles are the raw values. Scores: eyes_bags_score = 100·exp(−bag/15),
 * lacrimal_groove_score = 100·exp(−groove/45): 15 and 45 put the median raws of the shared
 * portraits (both eyes, |yaw| ≤ 20°: bag 4.4, groove 13.0) at 75; Obama's bags read 6.8-11.2 (63, 47),
 * Biden's 6.0-10.9 (67, 48), the young studio model's 0.5-1.6 (90-96).
 * Light from above or below fakes or hides both (Haut.AI notes the same); mesh depth is not used
 * because the face model's z is a smoothed template that carries no bag volume. Needs ≥ 1 px/mm and
 * |yaw| ≤ 20°. AILab: eye_pouch (bags score < 60), eye_pouch_severity (< 60 mild, < 40 moderate,
 * < 20 severe) and left_eyelids/right_eyelids: null ("not assessable": the lid crease is a sub-mm
 * fold that neither the mesh nor a selfie resolves honestly).
 */
export const EYE_BAGS_MIN_PX_PER_MM = 1;
export const EYE_BAGS_MAX_YAW = 20;
export const BAG_SCALE = 15;
export const GROOVE_SCALE = 45;

/** Lower-lid sample points, lateral → medial (subject's right and left eyes). */
const LIDS: Record<EyeSide, readonly number[]> = {
  right_eye_area: [7, 163, 144, 145, 153],
  left_eye_area: [249, 390, 373, 374, 380],
};

export interface EyeBagsRaw {
  bag: number;
  groove: number;
  bagsScore: number;
  grooveScore: number;
  profiles: number;
}

export function eyeBagsScoreOf(bag: number): number {
  return 100 * Math.exp(-Math.max(0, bag) / BAG_SCALE);
}
export function grooveScoreOf(groove: number): number {
  return 100 * Math.exp(-Math.max(0, groove) / GROOVE_SCALE);
}

/** Median of a sample (0 when empty). */
function median(values: Float32Array | number[]): number {
  return values.length ? quantileOf(values, 0.5) : 0;
}

export function measureEyeBags(ctx: MetricContext, side: EyeSide): EyeBagsRaw | null {
  const { face, frame } = ctx;
  const ppm = face.pxPerMm;
  const roll = (face.pose.roll * Math.PI) / 180;
  const down: [number, number] = [-Math.sin(roll), Math.cos(roll)];
  const across: [number, number] = [Math.cos(roll), Math.sin(roll)];
  const stepMm = 0.25;
  const n = Math.round(24 / stepMm);
  const sample = (x: number, y: number): number | null => {
    const fx = Math.round(x - frame.x0);
    const fy = Math.round(y - frame.y0);
    if (fx < 0 || fy < 0 || fx >= frame.width || fy >= frame.height) return null;
    const i = fy * frame.width + fx;
    if (!frame.faceMask.data[i]) return null;
    const j = i * 3;
    return lightnessOf(frame.rgb.data[j]!, frame.rgb.data[j + 1]!, frame.rgb.data[j + 2]!);
  };
  const bags: number[] = [];
  const grooves: number[] = [];
  for (const index of LIDS[side]) {
    const [lx, ly] = landmarkPoint(face.landmarks, index);
    const profile = new Float32Array(n);
    let ok = true;
    for (let k = 0; k < n && ok; k++) {
      const d = k * stepMm * ppm;
      let sum = 0;
      let cnt = 0;
      for (let t = -0.75; t <= 0.75; t += 0.25) {
        const v = sample(lx + down[0] * d + across[0] * t * ppm, ly + down[1] * d + across[1] * t * ppm);
        if (v !== null) {
          sum += v;
          cnt++;
        }
      }
      if (!cnt) ok = false;
      else profile[k] = sum / cnt;
    }
    if (!ok) continue;
    const smooth = smoothProfile(profile, 0.7 / stepMm);
    const at = (mm: number) => Math.min(n - 1, Math.round(mm / stepMm));
    let crease = at(3);
    for (let k = at(3); k <= at(16); k++) if (smooth[k]! < smooth[crease]!) crease = k;
    let peak = at(1);
    let bag = 0;
    for (let k = at(1); k <= at(16); k++) {
      if (smooth[k]! > smooth[peak]!) peak = k;
      const drop = smooth[peak]! - smooth[k]!;
      const heightMm = (k - at(1)) * stepMm;
      if (k >= at(3) && drop * (heightMm / 10) > bag) bag = drop * (heightMm / 10);
    }
    let cheek = 0;
    let c = 0;
    for (let k = crease + at(3); k <= Math.min(n - 1, crease + at(7)); k++) {
      cheek += smooth[k]!;
      c++;
    }
    const groove = c ? Math.max(0, cheek / c - smooth[crease]!) : 0;
    bags.push(bag);
    grooves.push(groove);
  }
  if (bags.length < 3) return null;
  const bag = median(bags);
  const groove = median(grooves);
  return {
    bag,
    groove,
    bagsScore: eyeBagsScoreOf(bag),
    grooveScore: grooveScoreOf(groove),
    profiles: bags.length,
  };
}

function smoothProfile(p: Float32Array, sigma: number): Float32Array {
  const r = Math.ceil(3 * sigma);
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) {
    let s = 0;
    let w = 0;
    for (let k = -r; k <= r; k++) {
      const j = Math.min(p.length - 1, Math.max(0, i + k));
      const g = Math.exp(-(k * k) / (2 * sigma * sigma));
      s += p[j]! * g;
      w += g;
    }
    out[i] = s / w;
  }
  return out;
}

/** AILab eye_pouch and severity from the worse side's bags score. */
export function ailabEyePouch(score: number | null) {
  if (score === null)
    return { eye_pouch: { value: null, confidence: 0 }, eye_pouch_severity: { value: null, confidence: 0 } };
  const present = score < 60 ? 1 : 0;
  const p = 1 / (1 + Math.exp((score - 60) / 8));
  return {
    eye_pouch: { value: present, confidence: round(present ? p : 1 - p, 2) },
    eye_pouch_severity: {
      value: present ? (score < 20 ? 2 : score < 40 ? 1 : 0) : null,
      confidence: null,
    },
  };
}

/** The eye-bags part of `eye_area_condition` (eye-area-part.ts), for the given sides. */
export function eyeBagsPart(ctx: MetricContext, eyes: readonly EyeSide[] = EYE_SIDES): EyeAreaPart {
  const sides: EyeAreaPart['sides'] = {};
  const raw: Record<string, unknown> = {};
  const features: MaskFeature[] = [];
  const usable =
    ctx.face.pxPerMm >= EYE_BAGS_MIN_PX_PER_MM && Math.abs(ctx.face.pose.yaw) <= EYE_BAGS_MAX_YAW;
  const scores: number[] = [];
  for (const side of eyes) {
    const m = usable ? measureEyeBags(ctx, side) : null;
    if (!m) continue;
    scores.push(m.bagsScore);
    sides[side] = {
      score: (m.bagsScore + m.grooveScore) / 2,
      subMetrics: [
        scoreValue('eyes_bags_score', 'Eye Bags', m.bagsScore),
        scoreValue('lacrimal_groove_score', 'Lacrimal Groove', m.grooveScore),
      ],
    };
    raw[side] = { bag: round(m.bag, 2), groove: round(m.groove, 2) };
  }
  raw.ailab = {
    ...ailabEyePouch(scores.length ? Math.min(...scores) : null),
    left_eyelids: { value: null, confidence: 0, reason: 'not assessable' },
    right_eyelids: { value: null, confidence: 0, reason: 'not assessable' },
  };
  const reason = ctx.face.pxPerMm < EYE_BAGS_MIN_PX_PER_MM ? 'resolution' : !usable ? 'pose' : undefined;
  if (reason) raw.reason = reason;
  return { name: 'eye_bags', sides, features, raw, ...(reason ? { reason } : {}) };
}
