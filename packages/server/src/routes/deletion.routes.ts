import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { loadTree, type TreeParams } from './lookup.ts';
import { bearer, companyParams, idParam } from './schemas.ts';
import { subjectOut } from './serializers.ts';

/**
 * Deletion and GDPR actions that have no other home: bulk subject deletion, one image, a subject's
 * photos only, a subject's personal metadata. Every deletion goes through `ctx.deletion`.
 */
export function deletionRoutes(app: FastifyInstance, ctx: AppContext): void {
  const subjects = '/api/v1/companies/:company_id/datasets/:dataset_id/subjects/';
  const subject = `${subjects}:subject_id/`;

  app.delete<{ Params: TreeParams; Body: { subjects_ids: string[] } }>(
    `${subjects}delete/`,
    {
      schema: {
        tags: ['subjects'],
        summary: 'Delete several subjects with everything about them; 404 when none is in the dataset',
        security: bearer,
        params: companyParams('dataset_id'),
        body: {
          type: 'object',
          required: ['subjects_ids'],
          properties: { subjects_ids: { type: 'array', items: idParam, minItems: 1, maxItems: 1000 } },
        },
      },
    },
    async (request, reply) => {
      const { dataset } = await loadTree(ctx, request, request.params);
      const deleted = await ctx.deletion.delete(request.params.company_id, {
        level: 'subjects',
        datasetId: dataset!.id,
        subjectIds: [...new Set(request.body.subjects_ids)],
      });
      if (!deleted) throw notFound('subject');
      reply.status(204).send();
    },
  );

  app.delete<{ Params: TreeParams }>(
    `${subject}batches/:batch_id/images/:image_id/`,
    {
      schema: {
        tags: ['images'],
        summary: 'Delete an image with its results, aux images and files',
        security: bearer,
        params: companyParams('dataset_id', 'subject_id', 'batch_id', 'image_id'),
      },
    },
    async (request, reply) => {
      const { image } = await loadTree(ctx, request, request.params);
      await ctx.deletion.delete(request.params.company_id, { level: 'image', imageId: image!.id });
      reply.status(204).send();
    },
  );

  app.post<{ Params: TreeParams }>(
    `${subject}delete_photos/`,
    {
      schema: {
        tags: ['subjects'],
        summary:
          'GDPR: delete every photo of the subject (originals, aux images, rendered masks); records and results stay',
        security: bearer,
        params: companyParams('dataset_id', 'subject_id'),
      },
    },
    async (request) => {
      const tree = await loadTree(ctx, request, request.params);
      const images = await ctx.deletion.deleteSubjectPhotos(tree.companyId!, tree.subject!.id);
      return { subject_id: tree.subject!.id, images_without_photo: images };
    },
  );

  app.post<{ Params: TreeParams }>(
    `${subject}clear_metadata/`,
    {
      schema: {
        tags: ['subjects'],
        summary: "GDPR: clear the subject's meta, birth date and biological sex, and its images' meta",
        security: bearer,
        params: companyParams('dataset_id', 'subject_id'),
      },
    },
    async (request) => {
      const tree = await loadTree(ctx, request, request.params);
      if (!(await ctx.store.deletion.clearMetadata(tree.companyId!, tree.subject!.id)))
        throw notFound('subject');
      const subjectNow = await ctx.store.subjects.get(tree.companyId!, tree.dataset!.id, tree.subject!.id);
      if (!subjectNow) throw notFound('subject');
      return subjectOut(subjectNow, tree.dataset);
    },
  );
}
