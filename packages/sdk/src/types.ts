/** Wire types of the Skinscope API (the Haut.AI SaaS API v1 shapes). */

export interface LoginResponse {
  access_token: string;
  token_access: string;
  refresh_token: string;
  token_type: string;
  /** Seconds the access token lives (3600). */
  expires_in: number;
  company_id: string;
  /** The user id (the WebSocket `user_id`). */
  id: string;
}

export interface Paginated<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface PrivateToken {
  id: string;
  name: string;
  expiration_time: string | null;
  creation_time: string;
  /** The secret; only in the answer of the create call. */
  data?: string;
}

export interface ImageTypeDict {
  id: number;
  name: string;
  tech_name: string;
  sides: { id: number; name: string; tech_name: string }[];
  lights: { id: number; name: string; tech_name: string }[];
}

export interface AlgorithmDict {
  id: number;
  tech_name: string;
  algorithm_tech_name: string;
  version: string;
  name: string;
  description: string;
  areas: string[];
  mask_type: string;
  algorithm_family: { id: number; name: string; tech_name: string };
  application_id: string;
}

export interface DatasetInput {
  name: string;
  image_type_id?: number;
  /** 1-365, or null to keep images. */
  expire_images_after_days?: number | null;
  expire_metadata_after_days?: number | null;
  clean_images_as_soon_as_ready?: boolean;
}

export interface Dataset extends Required<DatasetInput> {
  id: string;
  company_id: string;
  creation_time: string;
}

export interface Application {
  id: string;
  name: string;
  tech_name: string;
  description: string;
  image_type: string;
  algorithms: AlgorithmDict[];
}

export interface ApplicationRun {
  id: string;
  application_id: string;
  dataset_id: string;
  enabled_algorithms: number[] | null;
  creation_time: string;
}

export interface SubjectInput {
  name: string;
  birth_date?: string | null;
  biological_sex?: 'male' | 'female' | 'other' | 'unknown' | null;
  meta?: Record<string, unknown> | null;
}

export interface Subject {
  id: string;
  name: string;
  birth_date: string | null;
  biological_sex: string | null;
  meta: Record<string, unknown>;
  author_id: string | null;
  creation_time: string;
  company: { id: string };
  dataset: { id: string; name: string | null };
}

export interface Batch {
  id: string;
  subject_id: string;
  dataset_id: string;
  creation_time: string;
}

export type ImageStatus =
  | 'pending_upload'
  | 'uploaded'
  | 'stored'
  | 'queued'
  | 'processing'
  | 'done'
  | 'failed';

export interface ImageRecord {
  id: string;
  image_batch_id: string;
  subject_id: string;
  dataset_id: string;
  side_id: number;
  light_id: number;
  width: number | null;
  height: number | null;
  format: string | null;
  status: ImageStatus;
  error: string | null;
  meta: Record<string, unknown>;
  creation_time: string;
}

export interface UploadInput {
  /** The image file bytes (JPEG, PNG, WebP). */
  bytes: Uint8Array;
  /** 1 front (default), 2 right, 3 left. */
  side_id?: 1 | 2 | 3;
  /** 1 regular (default). */
  light_id?: number;
  meta?: Record<string, unknown>;
}

export interface Metric {
  value: number | string | null;
  widget_type: string;
  name: string;
  tech_name: string;
  widget_meta: Record<string, unknown> | null;
}

export interface AreaResult {
  area_name: string;
  main_metric: Metric;
  sub_metrics: Metric[];
}

export interface AlgorithmPayload {
  area_results: AreaResult[];
  masks_original: { mask_type: string; features: unknown[] };
  masks_restored: { mask_type: string; features: unknown[] };
  [key: string]: unknown;
}

export interface ImageResult {
  id: string;
  is_ok: boolean;
  image_id: string;
  algorithm_version_id: number;
  algorithm_family_tech_name: string;
  algorithm_tech_name: string;
  application_id: string;
  application_name: string;
  application_description: string;
  application_run_id: string | null;
  image_type: string;
  creation_time: string;
  result: AlgorithmPayload | { error: string; error_code?: string };
}

export interface AuxImage {
  id: string;
  image_id: string;
  aux_image_type: { id: number; name: string; tech_name: string };
  width: number;
  height: number;
  urls: { original: string };
  creation_time: string;
  results: ImageResult[];
}

export interface V3UploadSlot {
  image_id: string;
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
}

export interface V3UploadResponse {
  image_batch_id: string;
  front?: V3UploadSlot;
  left?: V3UploadSlot;
  right?: V3UploadSlot;
}

/** Links to the aligned (restored) face, an anonymised face (null until one is made) and the original photo. */
export interface V3ImageLinks {
  aligned_face: string | null;
  anonymised: string | null;
  original: string | null;
}

/** `face_skin_metrics_3.parameters.<Haut name>` (see the server's README table of names). */
export interface V3Parameter {
  score: number;
  tag: string;
  score_description: string;
  areas: Record<string, { score: number; tag: string; amount?: number }>;
  amount?: number;
  masks: { front: V3ImageLinks; vector: { aligned_face: string; original: string } };
  /** `age.age`, `eyes_age.eyes_age`, `ita.ita` (numbers), `skin_type.skin_type` (the class). */
  [alias: string]: unknown;
}

export interface V3Results {
  image_batch_id: string;
  images: {
    id: string;
    side: string;
    status: ImageStatus;
    error: string | null;
    urls: { original: string } | null;
  }[];
  predicted_labels: Record<string, string | number>;
  face_skin_metrics_3: {
    all_algorithms_calculated: boolean;
    aligned_face_url: string | null;
    predicted_images: { front: V3ImageLinks };
    predicted_labels: Record<string, string | number>;
    parameters: Record<string, V3Parameter>;
    /** Parameters that could not be measured on this photo, with the reason. */
    not_assessable: Record<string, string>;
  };
}

/** One element of `all_results/`: a result with its image's batch, side and time. */
export interface HistoryResult extends ImageResult {
  batch_id: string;
  subject_id: string;
  side_id: number;
  image_creation_time: string;
}

export type SmoothingMethod = 'mean' | 'mean_without_outliers' | 'linear_approximation';

/** One element of `smoothed_results/`. */
export interface SmoothedResult {
  algorithm_tech_name: string;
  algorithm_family_tech_name: string;
  /** The main metric's tech name. */
  tech_name: string;
  value: number;
  /** Images the value was computed from. */
  sample_size: number;
  smoothing_method: SmoothingMethod;
}

export interface Recommendations {
  concern_tags: string[];
  concerns: { tag: string; name: string; care_group: string; products: string[] }[];
  care_group: { basic_care: string[]; eye_care: string[]; additional_care: string[] };
  products: string[];
}

export interface WebhookInput {
  url: string;
  method?: 'post' | 'get';
  authorization?: 'none' | 'query' | 'basic' | 'bearer';
  authorization_key?: string | null;
  authorization_value?: string | null;
  enabled?: boolean;
}

export interface Webhook {
  id: string;
  dataset_id: string;
  url: string;
  method: 'post' | 'get';
  authorization: 'none' | 'query' | 'basic' | 'bearer';
  authorization_key: string | null;
  /** `********` when set: the value is never answered. */
  authorization_value: string | null;
  enabled: boolean;
  creation_time: string;
  /** The HMAC key of the signature header; only in the answer of the create call. */
  secret_key?: string;
}

/** One entry of a webhook's delivery log. */
export interface WebhookDelivery {
  id: string;
  webhook_id: string;
  image_id: string;
  application_id: string;
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  creation_time: string;
  updated_at: string;
  delivered_at: string | null;
}

/** The error body of every 4xx/5xx answer. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** One requested mask of `maskLinks` (the v4/v5 rasterisation body's `masks` element). */
export interface MaskRequest {
  algorithm_tech_name: string;
  /** `[r, g, b]` or `[r, g, b, a]`, 0-255. */
  fill_override?: number[] | null;
  /** Line thickness as a fraction of the image width (default 0.003). */
  polyline_line_thickness?: number | null;
  main_metric?: boolean;
  sub_metrics?: boolean;
}

/** One element of the v4/v5 answer: a signed link to the render, or `error` when the algorithm has no result. */
export interface MaskAnswer {
  algorithm_tech_name: string;
  masked_image_url: string | null;
  error: string | null;
  main_metric: Pick<Metric, 'name' | 'tech_name' | 'value' | 'widget_type'> | null;
  sub_metrics: Pick<Metric, 'name' | 'tech_name' | 'value' | 'widget_type'>[];
  feedback: { mask_type: string; features: number };
}

/** `algorithm_result` messages of the results socket: a `results/` element with its image's place. */
export interface AlgorithmResultMessage extends ImageResult {
  type: 'algorithm_result';
  company_id: string;
  dataset_id: string;
  subject_id: string;
  batch_id: string;
}

/** `image_processed` messages of the images socket. */
export interface ImageProcessedMessage {
  type: 'image_processed';
  company_id: string;
  dataset_id: string;
  subject_id: string;
  batch_id: string;
  image_id: string;
  status: 'done' | 'failed';
}
