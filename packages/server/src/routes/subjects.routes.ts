import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { parseDateTime } from '../http/dates.ts';
import type { SubjectPatch } from '../ports/store.ts';
import { loadTree, type TreeParams } from './lookup.ts';
import { bearer, companyParams, paged, paginationQuery } from './schemas.ts';
import { batchOut, pageOut, pageQuery, subjectOut } from './serializers.ts';

interface SubjectBody {
  name?: string;
  birth_date?: string | null;
  biological_sex?: string | null;
  meta?: Record<string, unknown> | null;
  age?: number | null;
  phenotype?: unknown;
}

const subjectFields = {
  name: { type: 'string', minLength: 1, maxLength: 255 },
  birth_date: { type: ['string', 'null'], format: 'date' },
  biological_sex: { type: ['string', 'null'], enum: ['male', 'female', 'other', 'unknown', null] },
  meta: { type: ['object', 'null'], additionalProperties: true },
  age: { type: ['integer', 'null'], minimum: 0, maximum: 150 },
  phenotype: {},
} as const;

const subjectSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    birth_date: { type: ['string', 'null'] },
    biological_sex: { type: ['string', 'null'] },
    meta: { type: 'object', additionalProperties: true },
    creation_time: { type: 'string' },
  },
} as const;

function patchOf(body: SubjectBody): SubjectPatch {
  const patch: SubjectPatch = {};
  if (body.name !== undefined) patch.name = body.name;
  if (body.birth_date !== undefined) patch.birthDate = body.birth_date;
  if (body.biological_sex !== undefined) patch.biologicalSex = body.biological_sex;
  if (body.meta !== undefined || body.age !== undefined || body.phenotype !== undefined) {
    patch.meta = {
      ...(body.meta ?? {}),
      ...(body.age != null ? { age: body.age } : {}),
      ...(body.phenotype !== undefined ? { phenotype: body.phenotype } : {}),
    };
  }
  return patch;
}

/** Subjects of a dataset and their batches. */
export function subjectsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const base = '/api/v1/companies/:company_id/datasets/:dataset_id/subjects/';
  const one = `${base}:subject_id/`;
  const batches = `${one}batches/`;
  const tags = ['subjects'];

  app.post<{ Params: TreeParams; Body: SubjectBody }>(
    base,
    {
      schema: {
        tags,
        summary: 'Create a subject (one real person); `name` is required',
        security: bearer,
        params: companyParams('dataset_id'),
        body: { type: 'object', required: ['name'], properties: subjectFields },
        response: { 201: subjectSchema },
      },
    },
    async (request, reply) => {
      const { dataset, principal } = await loadTree(ctx, request, request.params);
      const p = patchOf(request.body);
      const subject = await ctx.store.subjects.create(request.params.company_id, {
        datasetId: dataset!.id,
        name: p.name!,
        birthDate: p.birthDate ?? null,
        biologicalSex: p.biologicalSex ?? null,
        meta: p.meta ?? {},
        authorId: principal!.userId,
      });
      reply.status(201);
      return subjectOut(subject, dataset);
    },
  );

  app.get<{ Params: TreeParams; Querystring: { page?: number; page_size?: number } }>(
    base,
    {
      schema: {
        tags,
        summary: 'List the subjects of a dataset',
        security: bearer,
        params: companyParams('dataset_id'),
        querystring: paginationQuery,
        response: { 200: paged(subjectSchema) },
      },
    },
    async (request) => {
      const { dataset } = await loadTree(ctx, request, request.params);
      const q = pageQuery(request.query);
      const page = await ctx.store.subjects.list(request.params.company_id, dataset!.id, q);
      return pageOut(request, q, page, (s) => subjectOut(s, dataset));
    },
  );

  app.get<{ Params: TreeParams }>(
    one,
    {
      schema: {
        tags,
        summary: 'Get a subject',
        security: bearer,
        params: companyParams('dataset_id', 'subject_id'),
      },
    },
    async (request) => {
      const { subject, dataset } = await loadTree(ctx, request, request.params);
      return subjectOut(subject!, dataset);
    },
  );

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route<{ Params: TreeParams; Body: SubjectBody }>({
      method,
      url: one,
      schema: {
        tags,
        summary: 'Update a subject',
        security: bearer,
        params: companyParams('dataset_id', 'subject_id'),
        body: { type: 'object', properties: subjectFields },
      },
      handler: async (request) => {
        const { subject, dataset } = await loadTree(ctx, request, request.params);
        const patch = patchOf(request.body ?? {});
        if (Object.keys(patch).length === 0) throw new ApiError('validation_error', 'nothing to update');
        const updated = await ctx.store.subjects.update(
          request.params.company_id,
          dataset!.id,
          subject!.id,
          patch,
        );
        if (!updated) throw notFound('subject');
        return subjectOut(updated, dataset);
      },
    });
  }

  app.delete<{ Params: TreeParams }>(
    one,
    {
      schema: {
        tags,
        summary: 'Delete a subject with everything about it: batches, images, results, files (GDPR erasure)',
        security: bearer,
        params: companyParams('dataset_id', 'subject_id'),
      },
    },
    async (request, reply) => {
      const { subject, dataset } = await loadTree(ctx, request, request.params);
      await ctx.deletion.delete(request.params.company_id, {
        level: 'subjects',
        datasetId: dataset!.id,
        subjectIds: [subject!.id],
      });
      reply.status(204).send();
    },
  );

  app.post<{ Params: TreeParams }>(
    batches,
    {
      schema: {
        tags: ['batches'],
        summary: 'Create a batch (takes no body, `{}` or `{creation_time}`)',
        security: bearer,
        params: companyParams('dataset_id', 'subject_id'),
        body: {
          type: 'object',
          properties: { creation_time: { type: ['string', 'null'], maxLength: 64 } },
        },
      },
    },
    async (request, reply) => {
      const creationTime = (request.body as { creation_time?: string | null }).creation_time;
      if (typeof creationTime === 'string') parseDateTime(creationTime, 'body.creation_time');
      const { subject, dataset } = await loadTree(ctx, request, request.params);
      const batch = await ctx.store.subjects.createBatch(request.params.company_id, dataset!.id, subject!.id);
      reply.status(201);
      return batchOut(batch);
    },
  );

  app.get<{ Params: TreeParams; Querystring: { page?: number; page_size?: number } }>(
    batches,
    {
      schema: {
        tags: ['batches'],
        summary: 'List the batches of a subject',
        security: bearer,
        params: companyParams('dataset_id', 'subject_id'),
        querystring: paginationQuery,
      },
    },
    async (request) => {
      const { subject } = await loadTree(ctx, request, request.params);
      const q = pageQuery(request.query);
      const page = await ctx.store.subjects.listBatches(request.params.company_id, subject!.id, q);
      return pageOut(request, q, page, batchOut);
    },
  );

  app.get<{ Params: TreeParams }>(
    `${batches}:batch_id/`,
    {
      schema: {
        tags: ['batches'],
        summary: 'Get a batch',
        security: bearer,
        params: companyParams('dataset_id', 'subject_id', 'batch_id'),
      },
    },
    async (request) => batchOut((await loadTree(ctx, request, request.params)).batch!),
  );

  app.delete<{ Params: TreeParams }>(
    `${batches}:batch_id/`,
    {
      schema: {
        tags: ['batches'],
        summary: 'Delete a batch with its images, their results and files',
        security: bearer,
        params: companyParams('dataset_id', 'subject_id', 'batch_id'),
      },
    },
    async (request, reply) => {
      const { batch, subject } = await loadTree(ctx, request, request.params);
      await ctx.deletion.delete(request.params.company_id, {
        level: 'batch',
        subjectId: subject!.id,
        batchId: batch!.id,
      });
      reply.status(204).send();
    },
  );
}
