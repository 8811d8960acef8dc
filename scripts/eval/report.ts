/** Turns the evaluation's sections into markdown tables and a JSON record. */
import { markdownTable } from '../bench-stats.ts';
import type { AgeSection } from './age.ts';
import type { InjectRow } from './inject.ts';
import type { PerturbSection } from './perturb.ts';
import type { RetestSection, StabilityRow } from './retest.ts';
import type { RobustnessRow } from './robustness.ts';

export interface EvalReport {
  date: string;
  commit: string | null;
  seconds: number;
  workers: number;
  age: AgeSection;
  retest: RetestSection;
  perturb: PerturbSection;
  inject: InjectRow[];
  robustness: RobustnessRow[];
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
  out.push(`### Perceived age on fairface (held-out half, ${r.age.rows.at(-1)?.n ?? 0} faces found)\n`);
  out.push(
    'MAE to the bin in years (0 inside the bin); "raw" is faceres with test-time augmentation before the calibration.\n',
  );
  out.push(
    markdownTable(
      ['bin / gender', 'n', 'no face', 'raw MAE', 'raw inside', 'MAE', 'inside'],
      r.age.rows.map((x) => [
        x.group,
        String(x.n),
        String(x.missed),
        num(x.raw_mae_to_bin),
        pct(x.raw_inside),
        num(x.mae_to_bin),
        pct(x.inside),
      ]),
    ),
  );
  out.push(
    `\nEye age vs perceived age: r = ${num(r.age.eye_age_vs_age_r)}; mean |left − right| eye age ${num(r.age.eye_age_left_right_mean_abs)} years.\n`,
  );
  out.push('### Test-retest on the portrait groups (main metric of each algorithm, `face` area)\n');
  out.push(
    `Groups: ${Object.entries(r.retest.groups)
      .map(([k, v]) => `${k} (${v.length})`)
      .join('; ')}.\n`,
  );
  out.push(
    markdownTable(
      ['metric', 'mean abs change', 'spread (SD)', 'groups'],
      headlineRows(r.retest.rows, r.retest.headline).map((x) => [
        x.metric,
        num(x.mean_abs_change),
        num(x.spread),
        String(x.n),
      ]),
    ),
  );
  out.push(`\n### Photo perturbations (${r.perturb.photos.length} portraits)\n`);
  const names = Object.keys(r.perturb.by_perturbation);
  out.push(
    markdownTable(
      ['metric', 'mean abs change', 'ICC(2,1)', ...names],
      headlineRows(r.perturb.rows, r.perturb.headline).map((x) => [
        x.metric,
        num(x.mean_abs_change),
        num(x.icc),
        ...names.map((n) => num(r.perturb.by_perturbation[n]?.[x.metric])),
      ]),
    ),
  );
  out.push('\n### Synthetic injections (grades 0-4 on 4 portraits)\n');
  out.push(
    markdownTable(
      [
        'injection',
        'source',
        'metric',
        'expected',
        'Spearman rho',
        'lesion recall',
        'lesion precision',
        'status',
      ],
      r.inject.map((x) => [
        x.injection,
        x.source.replace(/^.*\//, ''),
        x.metric,
        x.expected_sign > 0 ? 'up' : 'down',
        num(x.rho),
        x.recall === undefined ? '' : pct(x.recall),
        x.precision === undefined ? '' : pct(x.precision),
        x.status,
      ]),
    ),
  );
  out.push('\n### Robustness\n');
  out.push(
    markdownTable(
      ['input', 'expected', 'outcome', 'pass', 'ms'],
      r.robustness.map((x) => [
        x.case,
        x.expected,
        x.outcome,
        x.pass ? 'yes' : 'NO',
        Math.round(x.ms).toString(),
      ]),
    ),
  );
  out.push(
    `\n${r.seconds.toFixed(0)} s with ${r.workers} engine workers (${r.date.slice(0, 10)}${r.commit ? `, ${r.commit.slice(0, 8)}` : ''}).`,
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
