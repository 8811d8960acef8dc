import type { Notifier } from '../ports/notifier.ts';
import type { RetentionService } from '../retention/retention.service.ts';
import { resultOut } from '../routes/serializers.ts';
import type { WebhookService } from '../webhooks/webhook.service.ts';
import type { ProcessingEvents } from './processor.ts';

/**
 * What follows processing: each computed result is streamed to the company's `results` sockets; a processed
 * image gets its webhook deliveries queued (durably, before the analysis job completes), its photo removed
 * when the dataset says so, and is announced on the `images` sockets.
 */
export function processingEvents(deps: {
  notifier: Notifier;
  webhooks: WebhookService;
  retention: RetentionService;
}): ProcessingEvents {
  return {
    resultComputed(image, results) {
      for (const r of results) {
        deps.notifier.publish(image.companyId, 'results', {
          type: 'algorithm_result',
          company_id: image.companyId,
          dataset_id: image.datasetId,
          subject_id: image.subjectId,
          batch_id: image.batchId,
          ...resultOut(r),
        });
      }
    },
    async imageProcessed(image, status) {
      await deps.webhooks.scheduleDeliveries(image);
      await deps.retention.onImageProcessed(image);
      deps.notifier.publish(image.companyId, 'images', {
        type: 'image_processed',
        company_id: image.companyId,
        dataset_id: image.datasetId,
        subject_id: image.subjectId,
        batch_id: image.batchId,
        image_id: image.id,
        status,
      });
    },
  };
}
