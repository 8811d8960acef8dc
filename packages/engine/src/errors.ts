/**
 * Typed errors of the engine. Every failure a caller can act on has a code; the server maps these
 * codes to HTTP statuses in its one error catalogue.
 */
export type EngineErrorCode =
  | 'not_an_image'
  | 'truncated_image'
  | 'image_too_large'
  | 'image_too_small'
  | 'unknown_algorithm'
  | 'engine_unavailable';

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: EngineErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }
}

export function isEngineError(value: unknown): value is EngineError {
  return value instanceof Error && (value as EngineError).name === 'EngineError' && 'code' in value;
}
