import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LIGHT_IDS, SIDE_IDS } from '../catalog/catalog.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { acceptImage, decodeBase64Image } from '../processing/upload.service.ts';
import { loadTree, type TreeParams } from './lookup.ts';
import { bearer, companyParams } from './schemas.ts';
import { imageOut } from './serializers.ts';

interface UploadBody {
  b64data?: string;
  side_id?: number;
  light_id?: number;
  meta?: Record<string, unknown> | null;
  name?: string;
  file?: unknown;
  image?: unknown;
}

/**
 * The upload's JSON body. `b64data` has no length bounds here: Ajv would count the code points of the
 * whole upload for them; `decodeBase64Image` and the image check refuse what is empty or too large.
 */
const uploadBody = {
  type: 'object',
  properties: {
    b64data: {
      type: 'string',
      description: 'The image file (JPEG, PNG, WebP) in plain base64, no data: prefix',
    },
    side_id: { type: 'integer', enum: [...SIDE_IDS], default: 1, description: '1 front, 2 right, 3 left' },
    light_id: { type: 'integer', enum: [...LIGHT_IDS], default: 1, description: '1 regular' },
    meta: { type: ['object', 'null'], additionalProperties: true },
    name: { type: 'string', maxLength: 255 },
    file: { description: 'multipart/form-data only: the image file' },
    image: { description: 'multipart/form-data only: the image file (alias of file)' },
  },
} as const;

const imageResponse = {
  type: 'object',
  additionalProperties: true,
  properties: { id: { type: 'string' }, image_batch_id: { type: 'string' }, status: { type: 'string' } },
} as const;

/** The image bytes of an upload: `b64data` in JSON, or a `file`/`image` part in multipart. */
function uploadBytes(ctx: AppContext, request: FastifyRequest<{ Body: UploadBody }>): Uint8Array {
  const body = request.body;
  const file = body.file ?? body.image;
  if (file !== undefined) {
    if (!Buffer.isBuffer(file)) throw new ApiError('validation_error', 'file must be a file part');
    return new Uint8Array(file);
  }
  if (typeof body.b64data !== 'string') {
    throw new ApiError('validation_error', 'body must have property b64data (or a multipart file part)');
  }
  return decodeBase64Image(body.b64data, ctx.maxImageBytes);
}

/** Image upload (base64 JSON or multipart) and image records. */
export function imagesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const subject = '/api/v1/companies/:company_id/datasets/:dataset_id/subjects/:subject_id/';
  const tags = ['images'];
  const upload = async (
    request: FastifyRequest<{ Params: TreeParams; Body: UploadBody }>,
    createBatch: boolean,
  ) => {
    if (!request.body || typeof request.body !== 'object') {
      throw new ApiError('validation_error', 'body must be a JSON object with b64data, side_id and light_id');
    }
    const tree = await loadTree(ctx, request, request.params);
    const bytes = uploadBytes(ctx, request);
    const batch = createBatch
      ? await ctx.store.subjects.createBatch(tree.companyId!, tree.dataset!.id, tree.subject!.id)
      : tree.batch!;
    const image = await acceptImage(ctx, {
      batch,
      sideId: request.body.side_id ?? 1,
      lightId: request.body.light_id ?? 1,
      bytes,
      meta: { ...(request.body.meta ?? {}), ...(request.body.name ? { name: request.body.name } : {}) },
    });
    return imageOut(image);
  };

  app.post<{ Params: TreeParams; Body: UploadBody }>(
    `${subject}batches/:batch_id/images/`,
    {
      schema: {
        tags,
        summary: 'Upload an image to a batch; answers its id at once, analysis runs in the background',
        security: bearer,
        consumes: ['application/json', 'multipart/form-data'],
        params: companyParams('dataset_id', 'subject_id', 'batch_id'),
        body: uploadBody,
        response: { 201: imageResponse },
      },
    },
    async (request, reply) => {
      const out = await upload(request, false);
      reply.status(201);
      return out;
    },
  );

  app.post<{ Params: TreeParams; Body: UploadBody }>(
    `${subject}images/`,
    {
      schema: {
        tags,
        summary: 'Upload an image to a new batch of the subject; answers {id, image_batch_id}',
        security: bearer,
        consumes: ['application/json', 'multipart/form-data'],
        params: companyParams('dataset_id', 'subject_id'),
        body: uploadBody,
        response: { 201: imageResponse },
      },
    },
    async (request, reply) => {
      const out = await upload(request, true);
      reply.status(201);
      return out;
    },
  );

  app.get<{ Params: TreeParams }>(
    `${subject}batches/:batch_id/images/`,
    {
      schema: {
        tags,
        summary: 'The images of a batch',
        security: bearer,
        params: companyParams('dataset_id', 'subject_id', 'batch_id'),
      },
    },
    async (request) => {
      const { batch, companyId } = await loadTree(ctx, request, request.params);
      const images = await ctx.store.images.listByBatch(companyId!, batch!.id);
      return { count: images.length, next: null, previous: null, results: images.map(imageOut) };
    },
  );

  app.get<{ Params: TreeParams }>(
    `${subject}batches/:batch_id/images/:image_id/`,
    {
      schema: {
        tags,
        summary: 'An image record with its processing status',
        security: bearer,
        params: companyParams('dataset_id', 'subject_id', 'batch_id', 'image_id'),
      },
    },
    async (request) => imageOut((await loadTree(ctx, request, request.params)).image!),
  );
}
