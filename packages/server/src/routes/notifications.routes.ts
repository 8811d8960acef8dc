import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate, type Principal } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { NotificationChannel } from '../ports/notifier.ts';

/**
 * WebSockets: `/notifications/?user_id=` announces the company's processed images; `/notifications/results/
 * ?company_id=` streams each algorithm's result the moment it is computed. The token comes from the
 * `authorization` cookie or header; the handshake answers 401 without a valid one and 404
 * for another user's or company's id, so a client only ever hears its own company.
 */
export function notificationsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const principals = new WeakMap<FastifyRequest, Principal>();

  const endpoint = (
    url: string,
    channel: NotificationChannel,
    param: 'user_id' | 'company_id',
    summary: string,
  ) => {
    app.get<{ Querystring: Record<string, string | undefined> }>(
      url,
      {
        websocket: true,
        schema: {
          tags: ['notifications'],
          summary,
          querystring: {
            type: 'object',
            required: [param],
            properties: {
              [param]: { type: 'string', minLength: 1, maxLength: 64 },
              token: { type: 'string' },
            },
          },
        },
        preValidation: async (request) => {
          const principal = await authenticate(ctx, request, { cookie: true });
          const wanted = param === 'user_id' ? principal.userId : principal.companyId;
          const given = (request.query as Record<string, unknown>)[param];
          if (given !== undefined && given !== wanted) {
            throw new ApiError('not_found', `${param === 'user_id' ? 'user' : 'company'} not found`);
          }
          principals.set(request, principal);
        },
      },
      (socket, request) => {
        const principal = principals.get(request);
        if (!principal) {
          socket.close(1008, 'not authenticated');
          return;
        }
        const stop = ctx.notifier.subscribe(principal.companyId, channel, (message) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
        });
        socket.on('close', stop);
        socket.on('error', stop);
        socket.on('message', () => {});
      },
    );
  };

  endpoint(
    '/notifications/',
    'images',
    'user_id',
    'WebSocket: a message {type: "image_processed", image_id, batch_id, subject_id, dataset_id, status} per processed image',
  );
  endpoint(
    '/notifications/results/',
    'results',
    'company_id',
    'WebSocket: each algorithm\'s result (the results/ element shape, type "algorithm_result") as soon as it is computed',
  );
}
