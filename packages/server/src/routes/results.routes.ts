import type { FastifyInstance } from 'fastify';
import { authenticate } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { checkSignature, signedLink } from './links.ts';
import { loadTree, type TreeParams } from './lookup.ts';
import { anyObject, bearer, companyParams } from './schemas.ts';
import { auxOut, resultOutHead, resultsJsonBuffer } from './serializers.ts';

/** Default lifetime of signed image links, seconds (one hour, as Haut's). */
const LINK_SECONDS = 3600;

const resultSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    is_ok: { type: 'boolean' },
    image_id: { type: 'string' },
    algorithm_version_id: { type: 'integer' },
    algorithm_family_tech_name: { type: 'string' },
    algorithm_tech_name: { type: 'string' },
    application_id: { type: 'string' },
    application_name: { type: 'string' },
    application_description: { type: 'string' },
    application_run_id: { type: ['string', 'null'] },
    image_type: { type: 'string' },
    creation_time: { type: 'string' },
    result: anyObject,
  },
} as const;

type ResultsQuery = { application_run_id?: string; application_name?: string; application_id?: string };

/** Results and aux images of an image, and the image files themselves. */
export function resultsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const image =
    '/api/v1/companies/:company_id/datasets/:dataset_id/subjects/:subject_id/batches/:batch_id/images/:image_id/';
  const params = companyParams('dataset_id', 'subject_id', 'batch_id', 'image_id');

  app.get<{ Params: TreeParams; Querystring: ResultsQuery }>(
    `${image}results/`,
    {
      schema: {
        tags: ['results'],
        summary: 'Results of every algorithm on the image (partial while it is processed)',
        security: bearer,
        params,
        querystring: {
          type: 'object',
          properties: {
            application_run_id: { type: 'string' },
            application_name: { type: 'string' },
            application_id: { type: 'string' },
          },
        },
        response: { 200: { type: 'array', items: resultSchema } },
      },
    },
    async (request, reply) => {
      const tree = await loadTree(ctx, request, request.params);
      const q = request.query;
      const results = (await ctx.store.images.listResultsJson(tree.companyId!, tree.image!.id))
        .map(resultOutHead)
        .filter(
          (r) =>
            (!q.application_run_id || r.application_run_id === q.application_run_id) &&
            (!q.application_id || r.application_id === q.application_id) &&
            (!q.application_name || r.application_name === q.application_name),
        );
      return reply.type('application/json; charset=utf-8').send(resultsJsonBuffer(results));
    },
  );

  app.get<{ Params: TreeParams }>(
    `${image}aux/`,
    {
      schema: {
        tags: ['results'],
        summary: 'Aux images (the restored face) with signed links and their results',
        security: bearer,
        params,
      },
    },
    async (request) => {
      const tree = await loadTree(ctx, request, request.params);
      const auxImages = await ctx.store.images.listAuxImages(tree.companyId!, tree.image!.id);
      const results = await ctx.store.images.listResults(tree.companyId!, tree.image!.id);
      return auxImages.map((a) =>
        auxOut(a, signedLink(ctx, request, `/images/${a.id}.jpg`, LINK_SECONDS), results),
      );
    },
  );

  app.get<{ Params: TreeParams & { aux_id: string }; Querystring: { expiration_seconds?: number } }>(
    `${image}aux/:aux_id/signed_url/`,
    {
      schema: {
        tags: ['results'],
        summary: 'A signed, expiring link to an aux image',
        security: bearer,
        params: companyParams('dataset_id', 'subject_id', 'batch_id', 'image_id', 'aux_id'),
        querystring: {
          type: 'object',
          properties: { expiration_seconds: { type: 'integer', minimum: 1, maximum: 7 * 24 * 3600 } },
        },
      },
    },
    async (request) => {
      const tree = await loadTree(ctx, request, request.params);
      const aux = await ctx.store.images.getAuxImage(tree.companyId!, request.params.aux_id);
      if (!aux || aux.imageId !== tree.image!.id) throw notFound('aux image');
      const seconds = request.query.expiration_seconds ?? LINK_SECONDS;
      return { url: signedLink(ctx, request, `/images/${aux.id}.jpg`, seconds) };
    },
  );

  app.get<{ Params: TreeParams; Querystring: { expiration_seconds?: number } }>(
    `${image}signed_url/`,
    {
      schema: {
        tags: ['images'],
        summary: 'A signed, expiring link to the original image',
        security: bearer,
        params,
        querystring: {
          type: 'object',
          properties: { expiration_seconds: { type: 'integer', minimum: 1, maximum: 7 * 24 * 3600 } },
        },
      },
    },
    async (request) => {
      const tree = await loadTree(ctx, request, request.params);
      const seconds = request.query.expiration_seconds ?? LINK_SECONDS;
      return { url: signedLink(ctx, request, `/images/${tree.image!.id}.jpg`, seconds) };
    },
  );

  app.get<{
    Params: { file: string };
    Querystring: { token?: string; expires?: string; signature?: string };
  }>(
    '/images/:file',
    {
      schema: {
        tags: ['images'],
        summary: 'An aux or original image file, by `?token=` or by signed link (`expires`, `signature`)',
        params: { type: 'object', properties: { file: { type: 'string', maxLength: 100 } } },
      },
    },
    async (request, reply) => {
      const match = /^([A-Za-z0-9-]{1,64})\.(jpg|jpeg|png)$/.exec(request.params.file);
      if (!match) throw notFound('image');
      const id = match[1]!;
      let companyId: string | null;
      if (request.query.signature !== undefined) {
        if (
          !checkSignature(
            ctx,
            `/images/${request.params.file}`,
            request.query.expires,
            request.query.signature,
          )
        ) {
          throw new ApiError('forbidden', 'the link is invalid or expired');
        }
        companyId = null;
      } else {
        companyId = (await authenticate(ctx, request, { query: true })).companyId;
      }
      const aux = await ctx.store.images.getAuxImage(companyId, id);
      let key = aux?.blobKey;
      if (!key) {
        const original =
          companyId === null
            ? await ctx.store.images.getForProcessing(id)
            : await ctx.store.images.get(companyId, id);
        key = original?.blobKey ?? undefined;
      }
      const bytes = key ? await ctx.blobs.get(key) : undefined;
      if (!bytes) throw notFound('image');
      const type = key!.endsWith('.png') ? 'image/png' : key!.endsWith('.webp') ? 'image/webp' : 'image/jpeg';
      reply.header('content-type', type).header('cache-control', 'private, max-age=3600');
      return reply.send(Buffer.from(bytes));
    },
  );
}
