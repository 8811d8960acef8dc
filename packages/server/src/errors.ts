import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { isEngineError } from '@skinscope/engine';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DependencyUnavailableError } from './ports/dependency-error.ts';

/** The error catalogue: every error code the API answers with, and its HTTP status. */
export const ERROR_STATUS = {
  validation_error: 400,
  invalid_base64: 400,
  invalid_json: 400,
  invalid_url: 400,
  invalid_multipart: 400,
  not_authenticated: 401,
  invalid_credentials: 401,
  token_expired: 401,
  invalid_token: 401,
  token_revoked: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  image_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  not_an_image: 422,
  truncated_image: 422,
  image_too_small: 422,
  unknown_algorithm: 400,
  rate_limited: 429,
  headers_too_large: 431,
  engine_unavailable: 503,
  dependency_unavailable: 503,
  report_timeout: 504,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one error envelope of every 4xx and 5xx answer; `details` is always an object. */
export interface ErrorEnvelope {
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** An error the API answers with: `{ code, message, details }` and the catalogue's status. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
  toJSON(): ErrorEnvelope {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export const notFound = (what: string) => new ApiError('not_found', `${what} not found`, { resource: what });

/** Fastify's and its plugins' own error codes, mapped into the catalogue. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_error',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_VALIDATION: 'validation_error',
  FST_ERR_BAD_URL: 'invalid_url',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
  FST_ERR_ASYNC_CONSTRAINT: 'validation_error',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
  FST_PROTO_VIOLATION: 'invalid_multipart',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_INVALID_JSON_FIELD_ERROR: 'invalid_multipart',
  FST_MP_PREMATURE_CLOSE: 'invalid_multipart',
};

/** Errors busboy (the multipart parser) throws for a body that does not match its boundary or is cut. */
const MULTIPART_MESSAGES =
  /^(Unexpected end of (form|multipart data)|Malformed (part header|urlencoded form)|Multipart: Boundary not found|Malformed content type)/i;

const STATUS_FALLBACK: Record<number, ErrorCode> = {
  400: 'validation_error',
  401: 'not_authenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'unsupported_media_type',
  408: 'request_timeout',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'headers_too_large',
};

type ValidationItem = { instancePath?: string; message?: string; params?: Record<string, unknown> };

/** `body.name`, `querystring.page`, ...: the field a validation error is about. */
function fieldOf(context: string | undefined, item: ValidationItem): string {
  const path = (item.instancePath ?? '').split('/').filter(Boolean).join('.');
  const missing = item.params?.missingProperty;
  const extra = item.params?.additionalProperty;
  const name = [path, typeof missing === 'string' ? missing : typeof extra === 'string' ? extra : '']
    .filter(Boolean)
    .join('.');
  return [context ?? 'body', name].filter(Boolean).join('.');
}

/** Maps any thrown value to a catalogue entry. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DependencyUnavailableError) {
    return new ApiError(
      'dependency_unavailable',
      `the ${error.dependency} is unavailable; try again shortly`,
      {
        dependency: error.dependency,
        retry_after_seconds: 5,
      },
    );
  }
  if (isEngineError(error)) {
    const code: ErrorCode = error.code in ERROR_STATUS ? (error.code as ErrorCode) : 'validation_error';
    return new ApiError(code, error.message, error.details ?? {});
  }
  const fe = (error ?? {}) as Partial<FastifyError> & {
    validation?: ValidationItem[];
    validationContext?: string;
  };
  if (Array.isArray(fe.validation)) {
    const fields = fe.validation.map((v) => ({
      field: fieldOf(fe.validationContext, v),
      message: v.message ?? 'is invalid',
    }));
    const first = fields[0];
    const message = first ? `${first.field} ${first.message}` : (fe.message ?? 'invalid request');
    return new ApiError('validation_error', message, { field: first?.field ?? null, errors: fields });
  }
  if (fe.code && FASTIFY_CODES[fe.code]) {
    return new ApiError(FASTIFY_CODES[fe.code]!, fe.message ?? fe.code, { cause: fe.code });
  }
  if (error instanceof SyntaxError) {
    return new ApiError('invalid_json', `body is not valid JSON: ${error.message}`);
  }
  if (error instanceof Error && MULTIPART_MESSAGES.test(error.message)) {
    return new ApiError('invalid_multipart', `multipart body is malformed: ${error.message}`);
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : undefined;
  if (status !== undefined && status >= 400 && status < 500) {
    return new ApiError(STATUS_FALLBACK[status] ?? 'validation_error', fe.message || 'bad request', {
      ...(fe.code ? { cause: fe.code } : {}),
    });
  }
  return new ApiError('internal_error', 'internal server error');
}

/** Sends the envelope of an error with its catalogue status. */
export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply
    .status(error.status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(error.toJSON()));
}

/**
 * Fastify's `frameworkErrors` option: a malformed URL encoding, an over-long path parameter and
 * router constraint failures answer the envelope like every other error.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  sendError(reply, toApiError(error));
}

/**
 * Fastify's `clientErrorHandler` option: errors the HTTP parser raises before there is a request
 * (headers too large 431, a request that did not arrive within the timeout 408, malformed HTTP 400)
 * are written in the envelope too, then the connection is closed.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  let apiError: ApiError;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    apiError = new ApiError('request_timeout', 'the request did not arrive in time');
  else if (error.code === 'HPE_HEADER_OVERFLOW')
    apiError = new ApiError('headers_too_large', 'the request headers are too large');
  else apiError = new ApiError('validation_error', 'malformed HTTP request', { cause: error.code ?? null });
  const body = JSON.stringify(apiError.toJSON());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${apiError.status} ${STATUS_CODES[apiError.status]}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** The one error handler and the not-found handler: every 4xx and 5xx is `{ code, message, details }`. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    if (apiError.code === 'dependency_unavailable') reply.header('retry-after', '5');
    sendError(reply, apiError);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    sendError(
      reply,
      new ApiError('not_found', `route ${request.method} ${path.slice(0, 200)} not found`, {
        method: request.method,
      }),
    );
  });
}
