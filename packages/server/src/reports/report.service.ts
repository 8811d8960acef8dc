import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { MaskUnavailable } from '../masks/mask-render.service.ts';
import type { ImageRecord, Subject } from '../ports/store.ts';
import { drawReport } from './pdf-report.ts';
import { gatherReport } from './report-data.ts';

/** Default and largest time a report may take, ms (the seed's `timeout` option). */
export const REPORT_TIMEOUT_MS = { default: 30_000, max: 120_000 } as const;

/**
 * The PDF report of one analysed image. Answers `report_timeout` (504) when it takes longer than
 * `timeoutMs`, `conflict` while the image is not analysed yet, `not_found` when its file is gone.
 */
export async function generateReport(
  ctx: AppContext,
  image: ImageRecord,
  subject: Subject,
  timeoutMs: number,
): Promise<Buffer> {
  if (image.status !== 'done')
    throw new ApiError('conflict', `the image is not analysed yet (status ${image.status})`);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ApiError('report_timeout', `the report took longer than ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([gatherReport(ctx, image, subject).then(drawReport), deadline]);
  } catch (error) {
    if (error instanceof MaskUnavailable) throw new ApiError('not_found', error.reason);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
