import { type Analysis, isAlgorithmPayload, type MetricValue } from '@skinscope/engine';

/** A readable plain-text table of one image's results, one row per algorithm and area. */
export function formatTable(path: string, analysis: Analysis): string {
  const rows: string[][] = [['algorithm', 'area', 'metric', 'value', 'details']];
  for (const r of analysis.results) {
    if (!isAlgorithmPayload(r.result)) {
      rows.push([r.algorithm_tech_name, '-', 'error', r.result.error, '']);
      continue;
    }
    for (const area of r.result.area_results) {
      rows.push([
        r.algorithm_tech_name,
        area.area_name,
        area.main_metric.tech_name,
        show(area.main_metric),
        area.sub_metrics.map((m) => `${m.tech_name}=${show(m)}`).join(' '),
      ]);
    }
    for (const na of r.result.not_assessable_areas ?? [])
      rows.push([r.algorithm_tech_name, na.area_name, '-', 'not assessable', na.reason]);
  }
  const widths = rows[0]!.map((_, c) => Math.min(40, Math.max(...rows.map((row) => row[c]!.length))));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ');
  const head = `${path}  (${analysis.image.width}x${analysis.image.height} ${analysis.image.format}, faces: ${analysis.faceCount}, ${Math.round(analysis.timings.total ?? 0)} ms)`;
  return [head, ...rows.map(line)].join('\n');
}

function show(m: MetricValue): string {
  if (m.value === null) return m.widget_meta ? JSON.stringify(m.widget_meta) : '-';
  return String(m.value);
}
