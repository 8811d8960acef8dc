import type { FastifyInstance } from 'fastify';
import { authorizeCompany } from '../auth/authenticate.ts';
import { algorithmDict, algorithmId, FACE_DETECTOR, FACE_SKIN_METRICS_2 } from '../catalog/catalog.ts';
import type { AppContext } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import type { ApplicationRun } from '../ports/store.ts';
import { bearer, companyParams } from './schemas.ts';
import { wireTime } from './serializers.ts';

const runOut = (r: ApplicationRun) => ({
  id: r.id,
  application_id: r.applicationId,
  dataset_id: r.datasetId,
  enabled_algorithms: r.enabledAlgorithms,
  creation_time: wireTime(r.creationTime),
});

type RunBody = { dataset_id: string; enabled_algorithms?: number[] | null; algorithms_flags?: unknown };

/** Applications and their attachment to datasets ("runs"). */
export function applicationsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const tags = ['applications'];
  const applicationOut = () => ({
    id: FACE_SKIN_METRICS_2.id,
    name: FACE_SKIN_METRICS_2.name,
    tech_name: FACE_SKIN_METRICS_2.techName,
    description: FACE_SKIN_METRICS_2.description,
    image_type: FACE_SKIN_METRICS_2.imageType,
    algorithms: algorithmDict(ctx.analyzer.listAlgorithms()),
  });
  const isApp = (id: string) => id === FACE_SKIN_METRICS_2.id || id === FACE_SKIN_METRICS_2.techName;

  app.get<{ Params: { company_id: string } }>(
    '/api/v1/companies/:company_id/applications/',
    {
      schema: {
        tags,
        summary: 'Applications available to the company',
        security: bearer,
        params: companyParams(),
      },
    },
    async (request) => {
      await authorizeCompany(ctx, request, request.params.company_id);
      return { count: 1, next: null, previous: null, results: [applicationOut()] };
    },
  );

  app.get<{ Params: { company_id: string; application_id: string } }>(
    '/api/v1/companies/:company_id/applications/:application_id/',
    {
      schema: { tags, summary: 'One application', security: bearer, params: companyParams('application_id') },
    },
    async (request) => {
      await authorizeCompany(ctx, request, request.params.company_id);
      if (!isApp(request.params.application_id)) throw notFound('application');
      return applicationOut();
    },
  );

  const attach = async (companyId: string, applicationId: string, body: RunBody) => {
    if (!isApp(applicationId)) throw notFound('application');
    const dataset = await ctx.store.datasets.get(companyId, body.dataset_id);
    if (!dataset) throw notFound('dataset');
    let enabled: number[] | null = null;
    if (body.enabled_algorithms != null) {
      const known = new Set(algorithmDict(ctx.analyzer.listAlgorithms()).map((a) => a.id));
      const unknown = body.enabled_algorithms.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw new ApiError(
          'validation_error',
          `unknown algorithm ids in enabled_algorithms: ${unknown.join(', ')}`,
          {
            known: [...known],
          },
        );
      }
      enabled = [...new Set([algorithmId(FACE_DETECTOR), ...body.enabled_algorithms])].sort((a, b) => a - b);
    }
    return ctx.store.datasets.attachApplication(companyId, {
      applicationId: FACE_SKIN_METRICS_2.id,
      datasetId: dataset.id,
      enabledAlgorithms: enabled,
    });
  };
  const body = {
    type: 'object',
    required: ['dataset_id'],
    properties: {
      dataset_id: { type: 'string', minLength: 1, maxLength: 64 },
      enabled_algorithms: { type: ['array', 'null'], items: { type: 'integer' }, maxItems: 100 },
      algorithms_flags: {},
    },
  } as const;

  for (const url of [
    '/api/v1/companies/:company_id/applications/:application_id/runs/',
    '/api/v1/companies/:company_id/applications/:application_id/attach-to-dataset/',
  ]) {
    app.post<{ Params: { company_id: string; application_id: string }; Body: RunBody }>(
      url,
      {
        schema: {
          tags,
          summary: 'Attach the application to a dataset; images uploaded afterwards are processed',
          description: 'The face detector always runs, whatever `enabled_algorithms` lists.',
          security: bearer,
          params: companyParams('application_id'),
          body,
        },
      },
      async (request, reply) => {
        await authorizeCompany(ctx, request, request.params.company_id);
        const run = await attach(request.params.company_id, request.params.application_id, request.body);
        reply.status(201);
        return runOut(run);
      },
    );
  }

  app.get<{ Params: { company_id: string; application_id: string }; Querystring: { dataset_id?: string } }>(
    '/api/v1/companies/:company_id/applications/:application_id/runs/',
    {
      schema: {
        tags,
        summary: 'The active run of the application on a dataset',
        security: bearer,
        params: companyParams('application_id'),
        querystring: {
          type: 'object',
          required: ['dataset_id'],
          properties: { dataset_id: { type: 'string' } },
        },
      },
    },
    async (request) => {
      await authorizeCompany(ctx, request, request.params.company_id);
      if (!isApp(request.params.application_id)) throw notFound('application');
      const runs = await ctx.store.datasets.activeRuns(
        request.params.company_id,
        request.query.dataset_id ?? '',
      );
      const results = runs.filter((r) => r.applicationId === FACE_SKIN_METRICS_2.id).map(runOut);
      return { count: results.length, next: null, previous: null, results };
    },
  );
}
