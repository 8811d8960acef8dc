import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { loadTree, type TreeParams } from '../routes/lookup.ts';
import { bearer, companyParams } from '../routes/schemas.ts';
import { generateReport, REPORT_TIMEOUT_MS } from './report.service.ts';

interface ReportBody {
  /** Milliseconds the report may take (default 30000). */
  timeout?: number;
  /** Accepted for compatibility with the seed's browser-based generator; the PDF is drawn directly. */
  waitUntil?: string;
}

/**
 * `POST /service/pdf-generator/companies/{c}/datasets/{d}/subjects/{s}/batches/{b}/images/{i}/pdf/`
 * (header `access-token` or a bearer token): the image's PDF report.
 */
export function reportRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: TreeParams; Body: ReportBody | null }>(
    '/service/pdf-generator/companies/:company_id/datasets/:dataset_id/subjects/:subject_id/batches/:batch_id/images/:image_id/pdf/',
    {
      schema: {
        tags: ['reports'],
        summary: 'PDF report of an image: photo, metrics with explanations, masks and the subject history',
        params: companyParams('dataset_id', 'subject_id', 'batch_id', 'image_id'),
        body: {
          type: ['object', 'null'],
          properties: {
            timeout: { type: 'integer', minimum: 1000, maximum: REPORT_TIMEOUT_MS.max },
            waitUntil: { type: 'string', enum: ['load', 'domcontentloaded', 'networkidle0', 'networkidle2'] },
          },
        },
        security: bearer,
      },
    },
    async (request, reply) => {
      const tree = await loadTree(ctx, request, request.params);
      const timeout = request.body?.timeout ?? REPORT_TIMEOUT_MS.default;
      const pdf = await generateReport(ctx, tree.image!, tree.subject!, timeout);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="report-${tree.image!.id}.pdf"`)
        .send(pdf);
    },
  );
}
