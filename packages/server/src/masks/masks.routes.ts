import type { FastifyInstance } from 'fastify';
import { authorizeCompany } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { checkSignature, signedLink } from '../routes/links.ts';
import { bearer, idParam } from '../routes/schemas.ts';
import { MASK_LINK_SECONDS, parseOptionsSegment, RENDER_PATH, renderPath } from './mask-links.ts';
import { type MaskFormat, MaskUnavailable, renderMask } from './mask-render.service.ts';
import type { MaskImageType } from './mask-source.ts';
import { describeMasks, type MaskRequest } from './masks.service.ts';

const maskItem = {
  type: 'object',
  required: ['algorithm_tech_name'],
  properties: {
    algorithm_tech_name: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z0-9_.]+$' },
    fill_override: {
      type: ['array', 'null'],
      maxItems: 4,
      items: { type: 'number', minimum: 0, maximum: 255 },
      description: '[r, g, b] or [r, g, b, a], 0-255; empty = the default colour',
    },
    polyline_line_thickness: {
      type: ['number', 'null'],
      exclusiveMinimum: 0,
      maximum: 0.05,
      description: 'line thickness as a fraction of the image width (default 0.003)',
    },
    main_metric: { type: 'boolean', default: true },
    sub_metrics: { type: 'boolean', default: true },
    concentric_lines: { type: 'boolean' },
  },
} as const;

const body = (svg: boolean) =>
  ({
    type: 'object',
    required: ['image_id', 'image_type', 'masks'],
    properties: {
      image_id: idParam,
      image_type: { type: 'string', enum: ['original', 'restored'] },
      masks: { type: 'array', minItems: 1, maxItems: 40, items: maskItem },
      ...(svg ? { mask_over_image: { type: 'boolean', default: false } } : {}),
    },
  }) as const;

interface MasksBody {
  image_id: string;
  image_type: MaskImageType;
  masks: MaskRequest[];
  mask_over_image?: boolean;
}

/**
 * Masks as pictures: `POST /service/rasterisation/v4/masks/` (JPEG per mask) and
 * `/v5/svg_masks/` (SVG per mask, optionally over the photo), answering signed links to
 * `GET /service/rasterisation/renders/...`, which draws on first fetch and then serves the cache.
 */
export function masksRoutes(app: FastifyInstance, ctx: AppContext): void {
  const routes: [string, MaskFormat][] = [
    ['/service/rasterisation/v4/masks/', 'jpg'],
    ['/service/rasterisation/v5/svg_masks/', 'svg'],
  ];
  for (const [path, format] of routes) {
    app.post<{ Querystring: { company_id: string }; Body: MasksBody }>(
      path,
      {
        schema: {
          tags: ['masks'],
          summary:
            format === 'jpg'
              ? 'Images with masks drawn over them: one signed JPEG URL per requested mask, with its metrics'
              : 'Masks as SVG: one signed SVG URL per requested mask (mask_over_image embeds the photo)',
          querystring: {
            type: 'object',
            required: ['company_id'],
            properties: { company_id: idParam },
          },
          body: body(format === 'svg'),
          security: bearer,
        },
      },
      async (request) => {
        const companyId = request.query.company_id;
        await authorizeCompany(ctx, request, companyId);
        return describeMasks(
          ctx,
          {
            companyId,
            imageId: request.body.image_id,
            imageType: request.body.image_type,
            masks: request.body.masks,
            format,
            overImage: request.body.mask_over_image === true,
          },
          (spec) => signedLink(ctx, request, renderPath(spec), MASK_LINK_SECONDS),
        );
      },
    );
  }

  app.get<{
    Params: { company_id: string; image_id: string; image_type: string; algorithm: string; file: string };
    Querystring: { expires?: string; signature?: string };
  }>(
    `${RENDER_PATH}/:company_id/:image_id/:image_type/:algorithm/:file`,
    {
      schema: {
        tags: ['masks'],
        summary: 'A rendered mask (by the signed link the v4/v5 answers give)',
      },
    },
    async (request, reply) => {
      const p = request.params;
      const match = /^([A-Za-z0-9_-]+)\.(jpg|svg)$/.exec(p.file);
      const path = request.url.split('?')[0]!;
      if (!checkSignature(ctx, path, request.query.expires, request.query.signature))
        throw new ApiError('forbidden', 'the link is invalid or expired');
      const options = match ? parseOptionsSegment(match[1]!) : undefined;
      if (!match || !options || (p.image_type !== 'original' && p.image_type !== 'restored'))
        throw notFound('mask render');
      try {
        const { bytes, contentType } = await renderMask(ctx, {
          companyId: p.company_id,
          imageId: p.image_id,
          imageType: p.image_type,
          algorithm: decodeURIComponent(p.algorithm),
          format: match[2] as MaskFormat,
          options,
        });
        reply.header('content-type', contentType).header('cache-control', 'private, max-age=3600');
        return reply.send(Buffer.from(bytes));
      } catch (error) {
        if (error instanceof MaskUnavailable) throw notFound(`mask render (${error.reason})`);
        throw error;
      }
    },
  );
}
