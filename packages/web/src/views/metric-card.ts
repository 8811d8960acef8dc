import { h } from '../dom.ts';
import { figureLines, type MetricRow } from '../metrics.ts';

/** One metric: value, class, plain-words explanation, "not assessable" with its reason, and the published figures. */
export function metricCard(row: MetricRow): HTMLElement {
  const id = `metric-${row.algorithm}`;
  return h(
    'article',
    {
      class: `metric-card${row.notAssessable ? ' not-assessable' : ''}`,
      'data-algorithm': row.algorithm,
      'aria-labelledby': id,
    },
    h('h3', { id }, row.name),
    row.notAssessable
      ? h(
          'p',
          { class: 'value na' },
          h('strong', {}, 'Not assessable'),
          h('span', { class: 'reason' }, ` — ${row.notAssessable}`),
        )
      : h(
          'p',
          { class: 'value' },
          h('strong', {}, row.value ?? ''),
          row.className
            ? h('span', { class: `class-badge ${row.className.toLowerCase()}` }, row.className)
            : null,
        ),
    row.score !== undefined
      ? h('meter', {
          min: 0,
          max: 100,
          low: 50,
          high: 80,
          optimum: 100,
          value: row.score,
          'aria-label': `${row.name}: ${Math.round(row.score)} out of 100`,
        })
      : null,
    h('p', { class: 'explanation' }, row.explanation),
    row.areasNotAssessed.length
      ? h(
          'details',
          {},
          h(
            'summary',
            {},
            `${row.areasNotAssessed.length} area${row.areasNotAssessed.length === 1 ? '' : 's'} not assessed`,
          ),
          h(
            'ul',
            {},
            row.areasNotAssessed.map((a) => h('li', {}, a)),
          ),
        )
      : null,
    h(
      'div',
      { class: 'figures' },
      figureLines(row.figures).map((line) => h('p', {}, line)),
    ),
  );
}
