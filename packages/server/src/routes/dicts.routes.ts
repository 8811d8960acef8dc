import type { FastifyInstance } from 'fastify';
import { algorithmDict, IMAGE_TYPES } from '../catalog/catalog.ts';
import type { AppContext } from '../context.ts';

/** The public dictionaries (no authentication, as Haut's). */
export function dictsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/dicts/image_types/',
    {
      schema: {
        tags: ['dicts'],
        summary: 'Image types with their sides (front 1, right 2, left 3) and lights',
      },
    },
    async () => IMAGE_TYPES,
  );
  for (const url of ['/api/v1/dicts/algorithms/', '/api/v1/dict/algorithms/']) {
    app.get(
      url,
      { schema: { tags: ['dicts'], summary: 'Algorithms: id, version, algorithm_family {name, tech_name}' } },
      async () => algorithmDict(ctx.analyzer.listAlgorithms()),
    );
  }
}
