import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { SIDE_NAMES } from '../catalog/catalog.ts';
import type { AppContext } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { storeImageBytes } from '../processing/upload.service.ts';
import { checkSignature, signedLink } from './links.ts';
import { loadTree } from './lookup.ts';
import { batchSchema, bearer, companyParams, idParam, paged, paginationQuery } from './schemas.ts';
import { batchOut, pageOut, pageQuery } from './serializers.ts';
import { anonymisedFace } from './v3.anonymised.ts';
import { v3Results } from './v3.results.ts';

type UploadBody = { front?: unknown; left?: unknown; right?: unknown; meta?: Record<string, unknown> | null };
const SIDES = { front: 1, right: 2, left: 3 } as const;
/** Seconds an upload link stays valid. */
const UPLOAD_LINK_SECONDS = 3600;

/**
 * The upload-then-compute flow of Haut's v3: ask for upload links, PUT the bytes to them (straight into
 * Skinscope's blob store), call `/compute/`, poll `/results/` until `all_algorithms_calculated`.
 */
export function v3Routes(app: FastifyInstance, ctx: AppContext): void {
  const tags = ['v3'];

  app.post<{ Params: { company_id: string; subject_id: string }; Body: UploadBody }>(
    '/api/v3/companies/:company_id/subjects/:subject_id/upload/',
    {
      schema: {
        tags,
        summary:
          'Create a batch with upload links for front (and left, right); PUT the image bytes to each url',
        security: bearer,
        params: companyParams('subject_id'),
        body: {
          type: 'object',
          properties: {
            front: {},
            left: {},
            right: {},
            meta: { type: ['object', 'null'], additionalProperties: true },
          },
        },
      },
    },
    async (request, reply) => {
      const { subject, companyId } = await loadTree(ctx, request, request.params);
      const body = request.body ?? {};
      const sides = (Object.keys(SIDES) as (keyof typeof SIDES)[]).filter(
        (s) => body[s] != null && body[s] !== false,
      );
      if (sides.length === 0)
        throw new ApiError('validation_error', 'ask for at least one of front, left, right');
      const batch = await ctx.store.subjects.createBatch(companyId!, subject!.datasetId, subject!.id);
      const out: Record<string, unknown> = { image_batch_id: batch.id, batch_id: batch.id };
      for (const side of sides) {
        const image = await ctx.store.images.create({
          id: randomUUID(),
          companyId: companyId!,
          datasetId: batch.datasetId,
          subjectId: batch.subjectId,
          batchId: batch.id,
          sideId: SIDES[side],
          lightId: 1,
          blobKey: null,
          width: null,
          height: null,
          format: null,
          status: 'pending_upload',
          applicationRunIds: [],
          meta: body.meta ?? {},
          error: null,
        });
        out[side] = {
          image_id: image.id,
          url: signedLink(ctx, request, `/api/v3/uploads/${image.id}`, UPLOAD_LINK_SECONDS),
          method: 'PUT',
          headers: { 'Content-Type': 'image/jpeg' },
        };
      }
      reply.status(201);
      return out;
    },
  );

  app.put<{ Params: { image_id: string }; Querystring: { expires?: string; signature?: string } }>(
    '/api/v3/uploads/:image_id',
    {
      schema: {
        tags,
        summary: 'Upload link target: the raw image bytes (image/jpeg, image/png, application/octet-stream)',
        consumes: ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'],
      },
    },
    async (request) => {
      const path = `/api/v3/uploads/${request.params.image_id}`;
      if (!checkSignature(ctx, path, request.query.expires, request.query.signature)) {
        throw new ApiError('forbidden', 'the upload link is invalid or expired');
      }
      const image = await ctx.store.images.getForProcessing(request.params.image_id);
      if (!image) throw notFound('image');
      if (image.status !== 'pending_upload' && image.status !== 'uploaded') {
        throw new ApiError('conflict', 'this image was already sent for computation');
      }
      if (!Buffer.isBuffer(request.body))
        throw new ApiError('validation_error', 'send the image bytes as the body');
      const stored = await storeImageBytes(ctx, image.companyId, image.id, new Uint8Array(request.body));
      await ctx.store.images.update(image.id, {
        status: 'uploaded',
        blobKey: stored.key,
        width: stored.width,
        height: stored.height,
        format: stored.format,
      });
      return { id: image.id, side: SIDE_NAMES[image.sideId as 1 | 2 | 3], status: 'uploaded' };
    },
  );

  const computePaths = [
    '/api/v3/companies/:company_id/subjects/:subject_id/batches/:batch_id/compute/',
    '/api/v3/companies/:company_id/batches/:batch_id/compute/',
  ];
  for (const url of computePaths) {
    app.post<{ Params: { company_id: string; subject_id?: string; batch_id: string } }>(
      url,
      {
        schema: {
          tags,
          summary: 'Start the analysis of the uploaded images of a batch (body `{}` or `{app_args: {}}`)',
          security: bearer,
          params: companyParams('batch_id'),
        },
      },
      async (request) => {
        const batch = await loadV3Batch(ctx, request, request.params);
        const images = await ctx.store.images.listByBatch(batch.companyId, batch.id);
        const ready = images.filter((i) => i.status === 'uploaded');
        if (ready.length === 0 && !images.some((i) => i.blobKey !== null)) {
          throw new ApiError(
            'validation_error',
            'no uploaded image in this batch: PUT the bytes to the upload url first',
          );
        }
        const runs = await ctx.store.datasets.activeRuns(batch.companyId, batch.datasetId);
        for (const image of ready) {
          await ctx.store.images.update(image.id, {
            status: 'queued',
            applicationRunIds: runs.map((r) => r.id),
          });
          await ctx.queue.enqueue('analyze_image', { imageId: image.id });
        }
        if (ready.length > 0) ctx.onJobQueued();
        return { image_batch_id: batch.id, images: ready.map((i) => i.id), status: 'processing' };
      },
    );
  }

  app.get<{
    Params: { company_id: string };
    Querystring: { page?: number; page_size?: number; subject_id?: string };
  }>(
    '/api/v3/companies/:company_id/batches/',
    {
      schema: {
        tags,
        summary: 'The batches of the company, newest first (optionally of one subject)',
        security: bearer,
        params: companyParams(),
        querystring: {
          type: 'object',
          properties: { ...paginationQuery.properties, subject_id: idParam },
        },
        response: { 200: paged(batchSchema) },
      },
    },
    async (request) => {
      const { companyId } = await loadTree(ctx, request, request.params);
      const q = pageQuery(request.query);
      const page = await ctx.store.subjects.listBatches(companyId!, request.query.subject_id ?? null, q);
      return pageOut(request, q, page, batchOut);
    },
  );

  app.get<{
    Params: { image_id: string; algorithm: string; view: string };
    Querystring: { expires?: string; signature?: string };
  }>(
    '/api/v3/masks/:image_id/:algorithm/:view',
    {
      schema: {
        tags,
        summary: 'The vector (GeoJSON) mask of an algorithm on an image, by signed link from v3 results',
        params: {
          type: 'object',
          properties: {
            image_id: idParam,
            algorithm: { type: 'string', pattern: '^[a-z0-9_]{1,64}$' },
            view: { type: 'string', enum: ['restored', 'original'] },
          },
        },
      },
    },
    async (request) => {
      const { image_id, algorithm, view } = request.params;
      const path = `/api/v3/masks/${image_id}/${algorithm}/${view}`;
      if (!checkSignature(ctx, path, request.query.expires, request.query.signature)) {
        throw new ApiError('forbidden', 'the link is invalid or expired');
      }
      const image = await ctx.store.images.getForProcessing(image_id);
      const results = image ? await ctx.store.images.listResults(image.companyId, image.id) : [];
      const result = results.find((r) => r.algorithmTechName === algorithm && r.isOk);
      const payload = result?.result as { masks_restored?: unknown; masks_original?: unknown } | undefined;
      const mask = view === 'restored' ? payload?.masks_restored : payload?.masks_original;
      if (!mask) throw notFound('mask');
      return mask;
    },
  );

  app.get<{ Params: { image_id: string }; Querystring: { expires?: string; signature?: string } }>(
    '/api/v3/anonymised/:image_id',
    {
      schema: {
        tags,
        summary: 'The aligned face with the eyes and brows covered, by signed link from v3 results',
        params: { type: 'object', properties: { image_id: idParam } },
      },
    },
    async (request, reply) => {
      const path = `/api/v3/anonymised/${request.params.image_id}`;
      if (!checkSignature(ctx, path, request.query.expires, request.query.signature)) {
        throw new ApiError('forbidden', 'the link is invalid or expired');
      }
      const image = await ctx.store.images.getForProcessing(request.params.image_id);
      const jpeg = image && (await anonymisedFace(ctx, image.companyId, image.id));
      if (!jpeg) throw notFound('anonymised image');
      reply.header('content-type', 'image/jpeg').header('cache-control', 'private, max-age=3600');
      return reply.send(Buffer.from(jpeg));
    },
  );

  for (const url of [
    '/api/v3/companies/:company_id/subjects/:subject_id/batches/:batch_id/results/',
    '/api/v3/companies/:company_id/batches/:batch_id/results/',
  ]) {
    app.get<{ Params: { company_id: string; subject_id?: string; batch_id: string } }>(
      url,
      {
        schema: {
          tags,
          summary: 'Results of a batch; poll until face_skin_metrics_3.all_algorithms_calculated is true',
          security: bearer,
          params: companyParams('batch_id'),
        },
      },
      async (request) => {
        const batch = await loadV3Batch(ctx, request, request.params);
        return v3Results(ctx, request, batch);
      },
    );
  }
}

async function loadV3Batch(
  ctx: AppContext,
  request: Parameters<typeof loadTree>[1],
  params: { company_id: string; subject_id?: string; batch_id: string },
) {
  const tree = await loadTree(ctx, request, { company_id: params.company_id, subject_id: params.subject_id });
  const batch = await ctx.store.subjects.getBatch(
    params.company_id,
    tree.subject?.id ?? null,
    params.batch_id,
  );
  if (!batch) throw notFound('batch');
  return batch;
}
