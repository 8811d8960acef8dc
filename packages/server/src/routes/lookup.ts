import type { FastifyRequest } from 'fastify';
import { authorizeCompany, type Principal } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import type { Batch, Dataset, ImageRecord, Subject } from '../ports/store.ts';

/** Path params of the resource tree `companies/{c}/datasets/{d}/subjects/{s}/batches/{b}/images/{i}`. */
export interface TreeParams {
  company_id: string;
  dataset_id?: string;
  subject_id?: string;
  batch_id?: string;
  image_id?: string;
}

export interface Tree {
  principal: Principal;
  companyId: string;
  dataset: Dataset;
  subject: Subject;
  batch: Batch;
  image: ImageRecord;
}

/**
 * Authenticates, then loads each resource named in the path, all scoped by the caller's company and
 * by their parent; anything missing or another company's answers 404 naming the first missing level.
 */
export async function loadTree(
  ctx: AppContext,
  request: FastifyRequest,
  p: TreeParams,
): Promise<Partial<Tree>> {
  const principal = await authorizeCompany(ctx, request, p.company_id);
  const c = p.company_id;
  const tree: Partial<Tree> = { principal, companyId: c };
  if (p.dataset_id !== undefined) {
    tree.dataset = await ctx.store.datasets.get(c, p.dataset_id);
    if (!tree.dataset) throw notFound('dataset');
  }
  if (p.subject_id !== undefined) {
    tree.subject = await ctx.store.subjects.get(c, p.dataset_id ?? null, p.subject_id);
    if (!tree.subject) throw notFound('subject');
  }
  if (p.batch_id !== undefined && tree.subject) {
    tree.batch = await ctx.store.subjects.getBatch(c, tree.subject.id, p.batch_id);
    if (!tree.batch) throw notFound('batch');
  }
  if (p.image_id !== undefined) {
    const image = await ctx.store.images.get(c, p.image_id);
    const parentOk =
      image &&
      (!tree.batch || image.batchId === tree.batch.id) &&
      (!tree.subject || image.subjectId === tree.subject.id) &&
      (!tree.dataset || image.datasetId === tree.dataset.id);
    if (!image || !parentOk) throw notFound('image');
    tree.image = image;
  }
  return tree;
}
