import { FACE_SKIN_METRICS_2 } from '../catalog/catalog.ts';
import type { AlgorithmResultRecord, ImageRecord, WebhookDelivery } from '../ports/store.ts';
import type { Recommendations } from '../recommendations/recommend.ts';
import { wireTime } from '../routes/serializers.ts';

/** Seconds the signed image URLs of a payload stay valid (one hour, as Haut's). */
export const PAYLOAD_LINK_SECONDS = 3600;

type Payload = { area_results?: unknown[]; error?: unknown };

/**
 * The `image.processed` payload of one delivery: the ids receivers read (company, dataset, subject, batch,
 * image), the application, every algorithm's area results with main and sub-metrics (masks are left out
 * for weight: fetch `results/`), the recommendations and signed image URLs.
 */
export function webhookPayload(input: {
  delivery: WebhookDelivery;
  image: ImageRecord;
  results: readonly AlgorithmResultRecord[];
  recommendations: Recommendations;
  links: { original: string | null; restored: string | null };
}) {
  const { delivery, image, results } = input;
  const runId = results.find((r) => r.applicationRunId)?.applicationRunId ?? null;
  return {
    event: 'image.processed',
    delivery_id: delivery.id,
    company_id: image.companyId,
    dataset_id: image.datasetId,
    subject_id: image.subjectId,
    batch_id: image.batchId,
    image_id: image.id,
    side_id: image.sideId,
    light_id: image.lightId,
    status: image.status,
    image_creation_time: wireTime(image.creationTime),
    application_id: delivery.applicationId,
    application_run_id: runId,
    application: {
      id: delivery.applicationId,
      name:
        delivery.applicationId === FACE_SKIN_METRICS_2.id ? FACE_SKIN_METRICS_2.name : delivery.applicationId,
      tech_name: delivery.applicationId === FACE_SKIN_METRICS_2.id ? FACE_SKIN_METRICS_2.techName : null,
    },
    area_results: results.flatMap((r) =>
      ((r.result as Payload | null)?.area_results ?? []).map((area) => ({
        algorithm_tech_name: r.algorithmTechName,
        algorithm_family_tech_name: r.algorithmFamilyTechName,
        ...(area as object),
      })),
    ),
    results: results.map((r) => ({
      id: r.id,
      algorithm_tech_name: r.algorithmTechName,
      algorithm_family_tech_name: r.algorithmFamilyTechName,
      algorithm_version_id: r.algorithmVersionId,
      is_ok: r.isOk,
      ...(r.isOk
        ? { area_results: (r.result as Payload | null)?.area_results ?? [] }
        : { error: (r.result as Payload | null)?.error ?? 'failed' }),
    })),
    recommendations: input.recommendations,
    images: {
      original: { signed_url: input.links.original },
      restored: { signed_url: input.links.restored },
      expires_in_seconds: PAYLOAD_LINK_SECONDS,
    },
  };
}
