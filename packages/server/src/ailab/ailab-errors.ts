/**
 * The AILab wire's errors (research notes §3: AILabTools' public response description). These are
 * a separate wire shape used only by the AILab routes: HTTP status = `error_code` =
 * `error_detail.status_code`, with `error_detail.code` the AILab code clients branch on.
 */
export const AILAB_ERRORS = {
  /** No `ailabapi-api-key` header, or a key that does not exist, was deleted or expired. */
  ERROR_API_KEY_INVALID: { status: 401, codeMessage: 'Invalid API KEY.' },
  /** No `image` file part. */
  MISSING_PARAMETERS: { status: 400, codeMessage: 'Missing parameters.' },
  /** A parameter outside its documented values (face_quality_control, return_maps, ...). */
  ERROR_INVALID_PARAMETER: { status: 400, codeMessage: 'Invalid parameter.' },
  /** Not a JPG/JPEG file (checked from the bytes, not the file name). */
  ERROR_IMAGE_FORMAT: { status: 400, codeMessage: 'Image format not supported.' },
  /** Larger than the endpoint's byte limit (5 MB advanced, 2 MB basic). */
  ERROR_IMAGE_FILE_SIZE: { status: 400, codeMessage: 'Image file size exceeds the limit.' },
  /** A side outside 200-4096 px. */
  ERROR_IMAGE_RESOLUTION: { status: 400, codeMessage: 'Image resolution out of range.' },
  /** The file could not be decoded as an image. */
  ERROR_FILE_CONTENT: { status: 400, codeMessage: 'File content cannot be decoded.' },
  /** No face found. */
  ERROR_NO_FACE_IN_FILE: { status: 422, codeMessage: 'No face detected in the file.' },
  /** `face_quality_control=1` and the face has quality problems (blur, exposure, pose, ...). */
  ERROR_FACE_QUALITY_NOT_PASS: { status: 422, codeMessage: 'The face quality does not pass.' },
  /** The engine is not running in this process (role `api`). */
  ERROR_SERVICE_UNAVAILABLE: { status: 503, codeMessage: 'Service unavailable.' },
  PROCESSING_FAILURE: { status: 500, codeMessage: 'Processing failed.' },
} as const;

export type AilabErrorCode = keyof typeof AILAB_ERRORS;

/** An AILab error; the AILab routes answer it in the AILab envelope (`ailab-envelope.ts`). */
export class AilabError extends Error {
  readonly code: AilabErrorCode;
  constructor(code: AilabErrorCode, message: string) {
    super(message);
    this.name = 'AilabError';
    this.code = code;
  }
  get status(): number {
    return AILAB_ERRORS[this.code].status;
  }
}
