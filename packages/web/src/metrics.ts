import type { AlgorithmPayload, ImageResult, Metric } from '@skinscope/sdk';
import { explanationOf, REASONS, reasonWords } from '@skinscope/server/metric-explanations';
import type { EvalFigures, MetricFigures } from './figures/eval-figures.ts';

/** One algorithm as the result view shows it. */
export interface MetricRow {
  algorithm: string;
  name: string;
  /** The face area's main metric, formatted with its unit; undefined when not assessable. */
  value?: string;
  /** 0-100 scores only: the value as a number (for the bar). */
  score?: number;
  /** Excellent … Bad, or the class word of a class metric. */
  className?: string;
  explanation: string;
  /** Why the algorithm gave no value, in words. */
  notAssessable?: string;
  /** Areas it could not assess, with the reason in words. */
  areasNotAssessed: string[];
  figures?: MetricFigures;
}

/** Algorithms that locate the face rather than describe the skin: not listed as metrics. */
const HIDDEN = new Set(['face_detector', 'facial_landmarks']);

const AREA_NAMES: Record<string, string> = { face: 'whole face' };
const words = (s: string) => AREA_NAMES[s] ?? s.replace(/_/g, ' ');

function isPayload(result: ImageResult['result']): result is AlgorithmPayload {
  return Array.isArray((result as AlgorithmPayload).area_results);
}

/** The face area's main metric of a result, if it has one. */
export function mainMetric(result: ImageResult): Metric | undefined {
  if (!isPayload(result.result)) return undefined;
  const areas = result.result.area_results;
  return (areas.find((a) => a.area_name === 'face') ?? areas[0])?.main_metric;
}

function formatValue(m: Metric): string {
  if (typeof m.value === 'string') return m.value.replace(/_/g, ' ');
  if (m.value === null) return '';
  const v = Math.round(m.value * 10) / 10;
  if (m.widget_type === 'years') return `${v} years`;
  if (m.widget_type === 'bad_good_line') return `${Math.round(m.value)} / 100`;
  return String(v);
}

/** The rows of the result view, in the server's order, skipping the face finders. */
export function metricRows(results: ImageResult[], figures: EvalFigures): MetricRow[] {
  return results
    .filter((r) => !HIDDEN.has(r.algorithm_tech_name))
    .map((r) => {
      const algorithm = r.algorithm_tech_name;
      const base = {
        algorithm,
        name: words(algorithm).replace(/^./, (c) => c.toUpperCase()),
        explanation: explanationOf(algorithm),
        figures: figures.metrics[algorithm],
        areasNotAssessed: [] as string[],
      };
      if (!isPayload(r.result)) {
        const e = r.result as {
          error: string;
          error_code?: string;
          details?: { reason?: string; px_per_mm?: number; required_px_per_mm?: number };
        };
        const code = e.details?.reason ?? e.error_code?.replace(/^not_assessable_/, '');
        const d = e.details;
        const detail =
          d?.required_px_per_mm !== undefined && d.px_per_mm !== undefined
            ? `needs ${d.required_px_per_mm} px/mm, this photo has ${d.px_per_mm}`
            : code && code in REASONS
              ? undefined
              : e.error;
        return { ...base, notAssessable: reasonWords(code, detail) };
      }
      const notAssessed = (r.result.not_assessable_areas ?? []) as { area_name: string; reason: string }[];
      const skipped = notAssessed.map((a) => `${words(a.area_name)}: ${reasonWords(a.reason)}`);
      const main = mainMetric(r);
      if (!main)
        return { ...base, areasNotAssessed: skipped, notAssessable: reasonWords(notAssessed[0]?.reason) };
      const meta = (main.widget_meta ?? {}) as { class?: string; reason?: string };
      const row: MetricRow = { ...base, name: main.name, areasNotAssessed: skipped };
      if (main.value === null) return { ...row, notAssessable: reasonWords(meta.reason) };
      return {
        ...row,
        value: formatValue(main),
        score:
          main.widget_type === 'bad_good_line' && typeof main.value === 'number' ? main.value : undefined,
        className: meta.class,
      };
    });
}

/** Accuracy and repeatability in one line each, for beside a metric. */
export function figureLines(f: MetricFigures | undefined): string[] {
  if (!f) return ['No published accuracy figures for this metric yet.'];
  const lines: string[] = [];
  if (f.accuracy) lines.push(`Accuracy: ${f.accuracy}`);
  const repeat: string[] = [];
  if (f.retestChange !== undefined) repeat.push(`±${f.retestChange} between photos of one session`);
  if (f.perturbChange !== undefined)
    repeat.push(
      `±${f.perturbChange} when the photo is resized, recompressed or relit${f.perturbIcc != null ? ` (ICC ${f.perturbIcc.toFixed(2)})` : ''}`,
    );
  if (repeat.length) lines.push(`Repeatability: ${repeat.join('; ')}.`);
  return lines.length ? lines : ['No published accuracy figures for this metric yet.'];
}
