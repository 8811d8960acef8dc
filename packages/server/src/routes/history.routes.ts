import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { smoothedResults, subjectHistory } from '../history/history.service.ts';
import { SMOOTHING_METHODS, type SmoothingMethod } from '../history/smoothing.ts';
import { loadTree, type TreeParams } from './lookup.ts';
import { bearer, companyParams } from './schemas.ts';
import { resultOut, wireTime } from './serializers.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A `date_from`/`date_to` bound as an ISO-8601 UTC string: a date (`2026-01-31`: the start of that day,
 * or its end for `date_to`) or a date-time (no zone = UTC, as Python's `isoformat()` sends it).
 */
export function dateBound(name: string, value: string | undefined, end: boolean): string | undefined {
  if (value === undefined || value === '') return undefined;
  const text = value.trim();
  let ms: number;
  if (DATE.test(text)) ms = Date.parse(`${text}T00:00:00Z`) + (end ? 86_400_000 - 1 : 0);
  else if (DATE_TIME.test(text)) {
    const iso = text.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1');
    ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
  } else ms = Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ApiError('validation_error', `${name} must be a date (YYYY-MM-DD) or an ISO-8601 date-time`, {
      [name]: value,
    });
  }
  return new Date(ms).toISOString();
}

/** A subject's results over time (`all_results`) and an image's smoothed main metrics. */
export function historyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const subject = '/api/v1/companies/:company_id/datasets/:dataset_id/subjects/:subject_id/';

  app.get<{ Params: TreeParams; Querystring: { date_from?: string; date_to?: string } }>(
    `${subject}all_results/`,
    {
      schema: {
        tags: ['results'],
        summary:
          "The subject's results over time, oldest image first: result elements as in results/, with the image's batch and time",
        security: bearer,
        params: companyParams('dataset_id', 'subject_id'),
        querystring: {
          type: 'object',
          properties: {
            date_from: { type: 'string', maxLength: 40, description: 'from this date or date-time (UTC)' },
            date_to: {
              type: 'string',
              maxLength: 40,
              description: 'to this date (inclusive) or date-time (UTC)',
            },
          },
        },
      },
    },
    async (request) => {
      const tree = await loadTree(ctx, request, request.params);
      const from = dateBound('date_from', request.query.date_from, false);
      const to = dateBound('date_to', request.query.date_to, true);
      if (from && to && from > to) throw new ApiError('validation_error', 'date_from is after date_to');
      const history = await subjectHistory(ctx.store, tree.companyId!, tree.subject!.id, { from, to });
      return history.flatMap(({ image, results }) =>
        results.map((r) => ({
          ...resultOut(r),
          batch_id: image.batchId,
          subject_id: image.subjectId,
          side_id: image.sideId,
          image_creation_time: wireTime(image.creationTime),
        })),
      );
    },
  );

  app.get<{
    Params: TreeParams;
    Querystring: { sample_time_window: number; sample_max_size: number; smoothing_method: SmoothingMethod };
  }>(
    `${subject}batches/:batch_id/images/:image_id/smoothed_results/`,
    {
      schema: {
        tags: ['results'],
        summary:
          "The image's main metrics smoothed over the subject's images of the window before it: [{algorithm_tech_name, value}]",
        security: bearer,
        params: companyParams('dataset_id', 'subject_id', 'batch_id', 'image_id'),
        querystring: {
          type: 'object',
          properties: {
            sample_time_window: {
              type: 'integer',
              minimum: 1,
              maximum: 365,
              default: 14,
              description: 'days',
            },
            sample_max_size: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 10,
              description: 'images',
            },
            smoothing_method: { type: 'string', enum: [...SMOOTHING_METHODS], default: 'mean' },
          },
        },
      },
    },
    async (request) => {
      const tree = await loadTree(ctx, request, request.params);
      const q = request.query;
      const smoothed = await smoothedResults(ctx.store, tree.image!, {
        windowDays: q.sample_time_window,
        maxSize: q.sample_max_size,
        method: q.smoothing_method,
      });
      return smoothed.map((s) => ({
        algorithm_tech_name: s.algorithmTechName,
        algorithm_family_tech_name: s.algorithmFamilyTechName,
        tech_name: s.metricTechName,
        value: s.value,
        sample_size: s.sampleSize,
        smoothing_method: q.smoothing_method,
      }));
    },
  );
}
