import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Built files whose names carry a content hash (Vite's `assets/`): cached for a year. */
const HASHED = /\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

/**
 * Serves the web dashboard (the build of `packages/web`) at `/`: `index.html`, its hashed assets, and the
 * capture guidance's face models and WebAssembly files under `/human/`. A GET of a path that is neither an
 * API route nor a file of `webDir` falls through to the API's JSON 404 envelope; a rebuilt dashboard is
 * served without a restart.
 */
export async function serveWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    decorateReply: false,
    cacheControl: false,
    schemaHide: true,
    setHeaders(res, path) {
      res.header('x-content-type-options', 'nosniff');
      res.header('cache-control', HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      if (path.endsWith('.html')) res.header('referrer-policy', 'no-referrer');
    },
  });
}
