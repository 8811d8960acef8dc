/** Turns the evaluation's sections into markdown tables and a JSON record. */
import { markdownTable } from '../bench-stats.ts';
import type { Acne04Section } from './acne04.ts';
import type { AgeSection } from './age.ts';
import type { InjectRow } from './inject.ts';
import type { PerturbSection } from './perturb.ts';
import type { RetestSection, StabilityRow } from './retest.ts';
import type { RobustnessRow } from './robustness.ts';
import type { ToneRow } from './tone.ts';

export interface EvalReport {
  date: string;
  commit: string | null;
  seconds: number;
  workers: number;
  /** Absent when EVAL_ONLY left the section out. */
  age?: AgeSection;
  acne04?: Acne04Section;
  retest?: RetestSection;
  perturb?: PerturbSection;
  perturb_acne04?: PerturbSection;
  inject?: InjectRow[];
  tone?: ToneRow[];
  robustness?: RobustnessRow[];
}

const pct = (v: number) => (Number.isFinite(v) ? `${Math.round(v * 100)}%` : '-');
const num = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v)
    ? '-'
    : Math.abs(v) >= 100
      ? v.toFixed(0)
      : Math.abs(v) >= 10
        ? v.toFixed(1)
        : v.toFixed(2);

function headlineRows(rows: StabilityRow[], keys: string[]): StabilityRow[] {
  const byKey = new Map(rows.map((r) => [r.metric, r]));
  return keys.map((k) => byKey.get(k)).filter((r): r is StabilityRow => r !== undefined);
}

export function renderMarkdown(r: EvalReport): string {
  const out: string[] = [];
  if (r.age) out.push(renderAge(r.age));
  if (r.acne04) out.push(renderAcne04(r.acne04));
  if (r.retest) out.push(renderRetest(r.retest));
  if (r.perturb) out.push(renderPerturb(r.perturb));
  if (r.perturb_acne04) out.push(renderPerturb(r.perturb_acne04));
  if (r.inject) out.push(renderInject(r.inject));
  if (r.tone) out.push(renderTone(r.tone));
  if (r.robustness) out.push(renderRobustness(r.robustness));
  out.push(
    `\n${r.seconds.toFixed(0)} s with ${r.workers} engine workers (${r.date.slice(0, 10)}${r.commit ? `, ${r.commit.slice(0, 8)}` : ''}).`,
  );
  return out.join('\n');
}

function renderTone(tone: ToneRow[]): string {
  return [
    '\n### Skin tone under a known darkening (linear RGB × factor on every pixel, 4 portraits)\n',
    'Expected ITA: the engine\'s own L*, a*, b* of the original, darkened by the same factor; error = |measured − expected|; "share" = measured / expected change of ITA.\n',
    markdownTable(
      ['factor', 'expected ΔL*', 'photos', 'ITA error (°)', 'share of the change'],
      tone.map((x) => [
        String(x.factor),
        num(x.delta_l),
        String(x.photos),
        num(x.ita_error),
        num(x.change_ratio),
      ]),
    ),
  ].join('\n');
}

function renderAcne04(a: Acne04Section): string {
  const out: string[] = [];
  const all = a.rows.find((x) => x.group === 'all');
  out.push(
    `\n### Acne on acne04's boxed lesions (${all?.photos ?? 0} photos${a.step > 1 ? `, every ${a.step}th of each split` : ''}, ${all?.faces_found ?? 0} faces found)\n`,
  );
  out.push(
    `A detection matches a lesion box when its centre lies inside the box grown by ${Math.round(a.margin * 100)}% on each side (one-to-one). Recall and precision over photos with a face; "recall (all)" counts lesions on photos without a face as missed. ρ: Spearman of the detection count with the box count and with the grade, and of the acne score with the box count. "fit" (even-numbered photos) may set thresholds; "test" (odd) is held out.\n`,
  );
  out.push(
    markdownTable(
      [
        'photos',
        'n',
        'faces',
        'lesions',
        'detections',
        'recall',
        'recall (all)',
        'precision',
        'ρ count',
        'ρ grade',
        'ρ score',
        'grade-0 false / photo',
        'score by grade 0-3',
        'detections by grade 0-3',
      ],
      a.rows.map((x) => [
        x.group,
        String(x.photos),
        String(x.faces_found),
        String(x.boxes),
        String(x.detections),
        num(x.recall),
        num(x.recall_all),
        num(x.precision),
        num(x.rho_count),
        num(x.rho_grade),
        num(x.rho_score),
        num(x.grade0_false_per_photo),
        x.score_by_grade.map((v) => num(v)).join(' / '),
        x.detections_by_grade.map((v) => num(v)).join(' / '),
      ]),
    ),
  );
  return out.join('\n');
}

function renderAge(age: AgeSection): string {
  const out: string[] = [];
  out.push(`### Perceived age on fairface (held-out half, ${age.rows.at(-1)?.n ?? 0} faces found)\n`);
  out.push(
    'MAE to the bin in years (0 inside the bin); "raw" is faceres with test-time augmentation before the calibration; "bias" is the mean signed distance to the bin (negative: read younger), the per-decade bias for the adult bins.\n',
  );
  out.push(
    markdownTable(
      ['bin / gender', 'n', 'no face', 'raw MAE', 'raw inside', 'MAE', 'inside', 'bias'],
      age.rows.map((x) => [
        x.group,
        String(x.n),
        String(x.missed),
        num(x.raw_mae_to_bin),
        pct(x.raw_inside),
        num(x.mae_to_bin),
        pct(x.inside),
        num(x.bias),
      ]),
    ),
  );
  out.push(
    `\nEye age vs perceived age: r = ${num(age.eye_age_vs_age_r)}; mean |left − right| eye age ${num(age.eye_age_left_right_mean_abs)} years.\n`,
  );
  return out.join('\n');
}

function renderRetest(retest: RetestSection): string {
  const out: string[] = [];
  out.push('\n### Test-retest on the portrait groups (main metric of each algorithm, `face` area)\n');
  out.push(
    `Groups: ${Object.entries(retest.groups)
      .map(([k, v]) => `${k} (${v.length})`)
      .join('; ')}.\n`,
  );
  out.push(
    markdownTable(
      ['metric', 'mean abs change', 'spread (SD)', 'groups'],
      headlineRows(retest.rows, retest.headline).map((x) => [
        x.metric,
        num(x.mean_abs_change),
        num(x.spread),
        String(x.n),
      ]),
    ),
  );
  return out.join('\n');
}

function renderPerturb(perturb: PerturbSection): string {
  const out: string[] = [];
  out.push(`\n### Photo perturbations (${perturb.photos.length} ${perturb.label})\n`);
  const names = Object.keys(perturb.by_perturbation);
  out.push(
    markdownTable(
      ['metric', 'mean abs change', 'ICC(2,1)', ...names],
      headlineRows(perturb.rows, perturb.headline).map((x) => [
        x.metric,
        num(x.mean_abs_change),
        num(x.icc),
        ...names.map((n) => num(perturb.by_perturbation[n]?.[x.metric])),
      ]),
    ),
  );
  return out.join('\n');
}

function renderInject(inject: InjectRow[]): string {
  const out: string[] = [];
  out.push('\n### Synthetic injections (grades 0-4 on 4 portraits)\n');
  out.push(
    'Lesion recall counts the lesions painted on a photo the metric does not assess (below its resolution gate) as missed; "assessed photos" counts only the painted photos (grades 1-4) it assessed.\n',
  );
  out.push(
    markdownTable(
      [
        'injection',
        'source',
        'metric',
        'expected',
        'Spearman rho',
        'lesion recall',
        'lesion recall (assessed photos)',
        'lesion precision',
        'status',
      ],
      inject.map((x) => [
        x.injection,
        x.source.replace(/^.*\//, ''),
        x.metric,
        x.expected_sign > 0 ? 'up' : 'down',
        num(x.rho),
        x.recall === undefined ? '' : pct(x.recall),
        x.recall_assessed === undefined
          ? ''
          : `${pct(x.recall_assessed)} (${x.assessed_photos} of ${x.painted_photos})`,
        x.precision === undefined ? '' : pct(x.precision),
        x.status,
      ]),
    ),
  );
  return out.join('\n');
}

function renderRobustness(robustness: RobustnessRow[]): string {
  const out: string[] = [];
  out.push('\n### Robustness\n');
  out.push(
    markdownTable(
      ['input', 'expected', 'outcome', 'pass', 'ms'],
      robustness.map((x) => [
        x.case,
        x.expected,
        x.outcome,
        x.pass ? 'yes' : 'NO',
        Math.round(x.ms).toString(),
      ]),
    ),
  );
  return out.join('\n');
}

/** JSON with numbers rounded to 4 significant digits and NaN as null. */
export function renderJson(r: EvalReport): string {
  return `${JSON.stringify(
    r,
    (_, v) => (typeof v === 'number' ? (Number.isFinite(v) ? Number(v.toPrecision(4)) : null) : v),
    2,
  )}\n`;
}
