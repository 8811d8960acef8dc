import type { FastifyInstance } from 'fastify';
import { authorizeCompany } from '../auth/authenticate.ts';
import { IMAGE_TYPES } from '../catalog/catalog.ts';
import type { AppContext } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import type { DatasetPatch } from '../ports/store.ts';
import { bearer, companyParams, paged, paginationQuery } from './schemas.ts';
import { datasetOut, pageOut, pageQuery } from './serializers.ts';

interface DatasetBody {
  name?: string;
  image_type_id?: number;
  expire_images_after_days?: number | null;
  expire_metadata_after_days?: number | null;
  expire_metadata_after_day?: number | null;
  clean_images_as_soon_as_ready?: boolean;
  custom_branding?: unknown;
}

const days = { type: ['integer', 'null'], minimum: 1, maximum: 365 } as const;
const datasetFields = {
  name: { type: 'string', minLength: 1, maxLength: 255 },
  image_type_id: { type: 'integer', enum: IMAGE_TYPES.map((t) => t.id) },
  expire_images_after_days: days,
  expire_metadata_after_days: days,
  expire_metadata_after_day: days,
  clean_images_as_soon_as_ready: { type: 'boolean' },
  custom_branding: {},
} as const;

export const datasetSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    company_id: { type: 'string' },
    image_type_id: { type: 'integer' },
    expire_images_after_days: { type: ['integer', 'null'] },
    expire_metadata_after_days: { type: ['integer', 'null'] },
    clean_images_as_soon_as_ready: { type: 'boolean' },
    creation_time: { type: 'string' },
  },
} as const;

function patchOf(body: DatasetBody): DatasetPatch {
  const patch: DatasetPatch = {};
  if (body.name !== undefined) patch.name = body.name;
  if (body.image_type_id !== undefined) patch.imageTypeId = body.image_type_id;
  if (body.expire_images_after_days !== undefined)
    patch.expireImagesAfterDays = body.expire_images_after_days;
  const metaDays = body.expire_metadata_after_days ?? body.expire_metadata_after_day;
  if (metaDays !== undefined) patch.expireMetadataAfterDays = metaDays;
  if (body.clean_images_as_soon_as_ready !== undefined)
    patch.cleanImagesAsSoonAsReady = body.clean_images_as_soon_as_ready;
  return patch;
}

type Params = { company_id: string; dataset_id: string };

/** Datasets of a company: create, list, short list, get, update (PUT/PATCH/POST), delete. */
export function datasetsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const base = '/api/v1/companies/:company_id/datasets/';
  const one = `${base}:dataset_id/`;
  const tags = ['datasets'];

  app.post<{ Params: { company_id: string }; Body: DatasetBody }>(
    base,
    {
      schema: {
        tags,
        summary: 'Create a dataset (retention fields are enforced by the retention job)',
        security: bearer,
        params: companyParams(),
        body: { type: 'object', required: ['name'], properties: datasetFields },
        response: { 201: datasetSchema },
      },
    },
    async (request, reply) => {
      const { company_id } = request.params;
      await authorizeCompany(ctx, request, company_id);
      const p = patchOf(request.body);
      const dataset = await ctx.store.datasets.create(company_id, {
        name: p.name!,
        imageTypeId: p.imageTypeId ?? 1,
        expireImagesAfterDays: p.expireImagesAfterDays ?? null,
        expireMetadataAfterDays: p.expireMetadataAfterDays ?? null,
        cleanImagesAsSoonAsReady: p.cleanImagesAsSoonAsReady ?? false,
      });
      reply.status(201);
      return datasetOut(dataset);
    },
  );

  app.get<{ Params: { company_id: string }; Querystring: { page?: number; page_size?: number; q?: string } }>(
    base,
    {
      schema: {
        tags,
        summary: 'List datasets',
        security: bearer,
        params: companyParams(),
        querystring: paginationQuery,
        response: { 200: paged(datasetSchema) },
      },
    },
    async (request) => {
      await authorizeCompany(ctx, request, request.params.company_id);
      const q = pageQuery(request.query);
      const page = await ctx.store.datasets.list(request.params.company_id, q, request.query.q);
      return pageOut(request, q, page, datasetOut);
    },
  );

  app.get<{ Params: { company_id: string }; Querystring: { q?: string } }>(
    `${base}short_list/`,
    {
      schema: {
        tags,
        summary: 'All datasets as a bare array of {id, name}',
        security: bearer,
        params: companyParams(),
        querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 200 } } },
      },
    },
    async (request) => {
      await authorizeCompany(ctx, request, request.params.company_id);
      const page = await ctx.store.datasets.list(
        request.params.company_id,
        { page: 1, pageSize: 10000 },
        request.query.q,
      );
      return page.results.map((d) => ({ id: d.id, name: d.name }));
    },
  );

  app.get<{ Params: Params }>(
    one,
    { schema: { tags, summary: 'Get a dataset', security: bearer, params: companyParams('dataset_id') } },
    async (request) => {
      await authorizeCompany(ctx, request, request.params.company_id);
      const dataset = await ctx.store.datasets.get(request.params.company_id, request.params.dataset_id);
      if (!dataset) throw notFound('dataset');
      return datasetOut(dataset);
    },
  );

  for (const method of ['PUT', 'PATCH', 'POST'] as const) {
    app.route<{ Params: Params; Body: DatasetBody }>({
      method,
      url: one,
      schema: {
        tags,
        summary: 'Update a dataset (name, image type, retention)',
        security: bearer,
        params: companyParams('dataset_id'),
        body: { type: 'object', properties: datasetFields },
        response: { 200: datasetSchema },
      },
      handler: async (request) => {
        await authorizeCompany(ctx, request, request.params.company_id);
        const patch = patchOf(request.body ?? {});
        if (Object.keys(patch).length === 0 && method !== 'POST') {
          throw new ApiError('validation_error', 'nothing to update: send at least one dataset field');
        }
        const dataset = await ctx.store.datasets.update(
          request.params.company_id,
          request.params.dataset_id,
          patch,
        );
        if (!dataset) throw notFound('dataset');
        return datasetOut(dataset);
      },
    });
  }

  app.delete<{ Params: Params }>(
    one,
    {
      schema: {
        tags,
        summary:
          'Delete a dataset with everything in it: subjects, batches, images, results, files, webhooks',
        security: bearer,
        params: companyParams('dataset_id'),
      },
    },
    async (request, reply) => {
      await authorizeCompany(ctx, request, request.params.company_id);
      const target = { level: 'dataset', datasetId: request.params.dataset_id } as const;
      if (!(await ctx.deletion.delete(request.params.company_id, target))) {
        throw notFound('dataset');
      }
      reply.status(204).send();
    },
  );
}
