import { isEngineError } from '@skinscope/engine';
import type { FastifyError, FastifyInstance } from 'fastify';

/** The error catalogue: every error code the API answers with, and its HTTP status. */
export const ERROR_STATUS = {
  validation_error: 400,
  invalid_base64: 400,
  invalid_json: 400,
  not_authenticated: 401,
  invalid_credentials: 401,
  token_expired: 401,
  invalid_token: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  image_too_large: 413,
  unsupported_media_type: 415,
  not_an_image: 422,
  truncated_image: 422,
  image_too_small: 422,
  unknown_algorithm: 400,
  rate_limited: 429,
  engine_unavailable: 503,
  report_timeout: 504,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** An error the API answers with: `{ code, message, details }` and the catalogue's status. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string) => new ApiError('not_found', `${what} not found`);

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_error',
  FST_ERR_VALIDATION: 'validation_error',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_FILES_LIMIT: 'validation_error',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
};

/** Maps any thrown value to a catalogue entry. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isEngineError(error)) {
    const code: ErrorCode = error.code in ERROR_STATUS ? (error.code as ErrorCode) : 'validation_error';
    return new ApiError(code, error.message, error.details);
  }
  const fe = error as Partial<FastifyError> & { validation?: unknown; validationContext?: string };
  if (fe.validation) {
    return new ApiError('validation_error', fe.message ?? 'invalid request', { errors: fe.validation });
  }
  if (fe.code && FASTIFY_CODES[fe.code]) return new ApiError(FASTIFY_CODES[fe.code]!, fe.message ?? fe.code);
  if (error instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new ApiError('invalid_json', `body is not valid JSON: ${(error as Error).message}`);
  }
  if (fe.statusCode === 429) return new ApiError('rate_limited', fe.message ?? 'too many requests');
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new ApiError(
      fe.statusCode === 413 ? 'payload_too_large' : 'validation_error',
      fe.message ?? 'bad request',
    );
  }
  return new ApiError('internal_error', 'internal server error');
}

/** The one error handler: answers `{ code, message, detail, details }` with the catalogue's status. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    reply.status(apiError.status).send({
      code: apiError.code,
      message: apiError.message,
      detail: apiError.message,
      ...(apiError.details ? { details: apiError.details } : {}),
    });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      code: 'not_found',
      message: `route ${request.method} ${request.url.split('?')[0]} not found`,
      detail: 'not found',
    });
  });
}
