import { isEngineError } from '@skinscope/engine';
import type { Analyzer } from '../ports/analyzer.ts';
import { AilabError } from './ailab-errors.ts';
import {
  type AilabAdvancedResult,
  type AilabBasicResult,
  type AilabFaceRectangle,
  ailabView,
} from './ailab-view.ts';
import { renderRedAreaMap } from './red-area-map.ts';

/** The two AILab endpoints Skinscope serves, with the seed's input limits. */
export const AILAB_VARIANTS = {
  /** `skin-analysis-advanced` (seed 004): JPG/JPEG, at most 5 MB, sides 200-4096 px. */
  advanced: { maxBytes: 5 * 1024 * 1024, minSide: 200, maxSide: 4096 },
  /** `skin-analysis` (research notes §3): JPG/JPEG, at most 2 MB, sides 200-4096 px. */
  basic: { maxBytes: 2 * 1024 * 1024, minSide: 200, maxSide: 4096 },
} as const;

export type AilabVariant = keyof typeof AILAB_VARIANTS;

/** The algorithms the AILab view reads; the others are not run for these calls. */
const AILAB_ALGORITHMS = [
  'quality',
  'age',
  'skin_tone',
  'redness',
  'pigmentation',
  'lines',
  'pores',
  'acne',
  'skin_type',
  'eye_area_condition',
] as const;

export interface AilabRequest {
  image: Uint8Array | undefined;
  /** 1: refuse a face with quality problems (`ERROR_FACE_QUALITY_NOT_PASS`). */
  faceQualityControl: 0 | 1;
  /** 1: add per-box `confidence` arrays to the rectangle lists. */
  returnRectConfidence: 0 | 1;
  /** Map names from `return_maps` (only `red_area` exists). */
  returnMaps: string[];
}

export interface AilabAdvancedBody {
  warning: string[];
  face_rectangle: AilabFaceRectangle;
  result: AilabAdvancedResult & { face_maps: { red_area?: string } };
}

export interface AilabBasicBody {
  warning: string[];
  face_rectangle: AilabFaceRectangle;
  result: AilabBasicResult;
}

/** Parses the optional form fields; a value outside the seed's ranges is `ERROR_INVALID_PARAMETER`. */
export function parseAilabFields(fields: Record<string, unknown>): Omit<AilabRequest, 'image'> {
  const flag = (name: string): 0 | 1 => {
    const v = fields[name];
    if (v === undefined || v === '') return 0;
    if (v === '0' || v === 0) return 0;
    if (v === '1' || v === 1) return 1;
    throw new AilabError('ERROR_INVALID_PARAMETER', `${name} must be 0 or 1`);
  };
  const maps = fields.return_maps;
  const returnMaps =
    typeof maps === 'string' && maps.trim()
      ? maps
          .split(',')
          .map((m) => m.trim())
          .filter(Boolean)
      : [];
  const unknown = returnMaps.filter((m) => m !== 'red_area');
  if (unknown.length)
    throw new AilabError('ERROR_INVALID_PARAMETER', `unknown return_maps: ${unknown.join(', ')}`);
  return {
    faceQualityControl: flag('face_quality_control'),
    returnRectConfidence: flag('return_rect_confidence'),
    returnMaps,
  };
}

/** Checks the seed's input limits: JPEG bytes (not the file name), byte size, sides in pixels. */
async function checkImage(analyzer: Analyzer, bytes: Uint8Array | undefined, variant: AilabVariant) {
  const limits = AILAB_VARIANTS[variant];
  if (!bytes || bytes.length === 0) throw new AilabError('MISSING_PARAMETERS', 'image is required');
  if (bytes.length > limits.maxBytes)
    throw new AilabError(
      'ERROR_IMAGE_FILE_SIZE',
      `image is ${bytes.length} bytes; at most ${limits.maxBytes} bytes (${limits.maxBytes / 1024 / 1024} MB)`,
    );
  let header: { width: number; height: number; format: string };
  try {
    header = await analyzer.validateImage(bytes);
  } catch (error) {
    if (isEngineError(error) && (error.code === 'image_too_large' || error.code === 'image_too_small'))
      throw new AilabError('ERROR_IMAGE_RESOLUTION', error.message);
    throw new AilabError('ERROR_FILE_CONTENT', isEngineError(error) ? error.message : 'image cannot be read');
  }
  if (header.format !== 'jpeg')
    throw new AilabError('ERROR_IMAGE_FORMAT', `image is ${header.format}; JPG/JPEG only`);
  const small = Math.min(header.width, header.height);
  const large = Math.max(header.width, header.height);
  if (small < limits.minSide || large > limits.maxSide)
    throw new AilabError(
      'ERROR_IMAGE_RESOLUTION',
      `image is ${header.width}x${header.height} px; each side must be ${limits.minSide}-${limits.maxSide} px`,
    );
}

/**
 * Runs one AILab call synchronously through the Analyzer port and maps the engine's output to the
 * AILab view. Nothing is stored: the bytes and the results live only for the call.
 */
export async function runAilabAnalysis(
  analyzer: Analyzer,
  variant: AilabVariant,
  request: AilabRequest,
): Promise<AilabAdvancedBody | AilabBasicBody> {
  await checkImage(analyzer, request.image, variant);
  const image = request.image!;
  let analysis: Awaited<ReturnType<Analyzer['analyze']>>;
  try {
    analysis = await analyzer.analyze(image, { algorithms: AILAB_ALGORITHMS, restored: false });
  } catch (error) {
    if (isEngineError(error) && error.code === 'engine_unavailable')
      throw new AilabError('ERROR_SERVICE_UNAVAILABLE', error.message);
    if (isEngineError(error)) throw new AilabError('ERROR_FILE_CONTENT', error.message);
    throw error;
  }
  const view =
    analysis.faceCount > 0 ? ailabView(analysis.results, request.returnRectConfidence === 1) : undefined;
  if (!view) throw new AilabError('ERROR_NO_FACE_IN_FILE', 'pic not has face');
  if (request.faceQualityControl === 1 && view.qualityProblems.length > 0)
    throw new AilabError(
      'ERROR_FACE_QUALITY_NOT_PASS',
      `face quality problems: ${view.qualityProblems.join(', ')}`,
    );
  if (variant === 'basic')
    return { warning: view.warning, face_rectangle: view.face_rectangle, result: view.basic };
  const face_maps: { red_area?: string } = {};
  if (request.returnMaps.includes('red_area'))
    face_maps.red_area = await renderRedAreaMap(image, view.redArea);
  return {
    warning: view.warning,
    face_rectangle: view.face_rectangle,
    result: { ...view.advanced, face_maps },
  };
}
