/**
 * The published accuracy and repeatability of each algorithm, taken from `eval-results/latest.json`
 * (written by `npm run eval`) when the dashboard is built. Pure: no I/O, runs in Vite's config and in tests.
 */

/** Figures of one algorithm's main (face) metric. */
export interface MetricFigures {
  /** The metric the figures are about, `algorithm/face/metric`. */
  metric: string;
  /** Test-retest: mean absolute change of the value between photos of one person in one session (metric units). */
  retestChange?: number;
  /** Mean absolute change under resizing, recompression and relighting (metric units), with the ICC (0-1). */
  perturbChange?: number;
  perturbIcc?: number | null;
  /** What the metric was checked against and how well it did, in words. */
  accuracy?: string;
}

export interface EvalFigures {
  /** When the evaluation ran (ISO date-time) and on which commit. */
  date: string;
  commit: string;
  /** Per algorithm tech name. */
  metrics: Record<string, MetricFigures>;
}

interface Row {
  metric: string;
  mean_abs_change?: number;
  icc?: number | null;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const round = (v: number, digits = 2) => Number(v.toFixed(digits));

/** Extracts the per-algorithm figures; missing sections give missing fields, never invented ones. */
export function evalFigures(latest: unknown): EvalFigures {
  const root = (latest ?? {}) as Record<string, unknown>;
  const retest = (root.retest ?? {}) as { headline?: string[]; rows?: Row[] };
  const perturb = (root.perturb ?? {}) as { rows?: Row[] };
  const metrics: Record<string, MetricFigures> = {};
  for (const metric of retest.headline ?? []) {
    const algorithm = metric.split('/')[0]!;
    const r = retest.rows?.find((x) => x.metric === metric);
    const p = perturb.rows?.find((x) => x.metric === metric);
    const change = num(r?.mean_abs_change);
    const pChange = num(p?.mean_abs_change);
    metrics[algorithm] = {
      metric,
      ...(change !== undefined ? { retestChange: round(change) } : {}),
      ...(pChange !== undefined ? { perturbChange: round(pChange), perturbIcc: num(p?.icc) ?? null } : {}),
    };
  }
  const put = (algorithm: string, metric: string, accuracy: string) => {
    metrics[algorithm] = { metric, ...metrics[algorithm], accuracy };
  };
  const inject = (root.inject ?? []) as {
    metric: string;
    injection: string;
    status: string;
    rho?: number;
    recall?: number;
    precision?: number;
  }[];
  for (const row of inject) {
    const [algorithm, area] = row.metric.split('/');
    if (area !== 'face' || row.status !== 'ok' || num(row.rho) === undefined) continue;
    if (metrics[algorithm!]?.metric !== row.metric) continue;
    const found =
      num(row.recall) !== undefined
        ? `, ${Math.round(row.recall! * 100)}% of injected marks found at ${Math.round((row.precision ?? 0) * 100)}% precision`
        : '';
    put(
      algorithm!,
      row.metric,
      `Follows graded ${row.injection} added to real faces (Spearman ρ ${round(row.rho!)})${found}.`,
    );
  }
  const age = (root.age ?? {}) as { rows?: { group: string; n: number; mae_to_bin: number }[] };
  const adults = age.rows?.find((r) => r.group === '20-69 all');
  if (adults)
    put(
      'age',
      'age/face/age',
      `Off by ${round(adults.mae_to_bin, 1)} years on average from the labelled age bracket (${adults.n} held-out FairFace faces aged 20-69).`,
    );
  const acne = (root.acne04 ?? {}) as { rows?: { group: string; recall: number; precision: number }[] };
  const heldOut = acne.rows?.find((r) => r.group.startsWith('test'));
  if (heldOut)
    put(
      'acne',
      'acne/face/acne_score',
      `Finds ${Math.round(heldOut.recall * 100)}% of dermatologist-marked lesions at ${Math.round(heldOut.precision * 100)}% precision (ACNE04 held-out half).`,
    );
  const tone = (root.tone ?? []) as { factor: number; ita_error: number }[];
  const darkened = tone.filter((t) => t.factor < 1).map((t) => t.ita_error);
  if (darkened.length)
    put(
      'skin_tone',
      'skin_tone/face/ita',
      `ITA° moves by at most ${round(Math.max(...darkened), 1)}° when the photo is darkened by 10-40% (it should not move).`,
    );
  return {
    date: typeof root.date === 'string' ? root.date : '',
    commit: typeof root.commit === 'string' ? root.commit : '',
    metrics,
  };
}
