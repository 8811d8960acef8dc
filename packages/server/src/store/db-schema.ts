/** Kysely table types of the SQL store (SQLite and PostgreSQL). Booleans are 0/1, JSON is text. */
export interface CompaniesTable {
  id: string;
  name: string;
  creation_time: string;
}

export interface UsersTable {
  id: string;
  company_id: string;
  username: string;
  password_hash: string;
  creation_time: string;
}

export interface PrivateTokensTable {
  id: string;
  user_id: string;
  company_id: string;
  name: string;
  token_hash: string;
  expiration_time: string | null;
  creation_time: string;
}

export interface DatasetsTable {
  id: string;
  company_id: string;
  name: string;
  image_type_id: number;
  expire_images_after_days: number | null;
  expire_metadata_after_days: number | null;
  clean_images_as_soon_as_ready: number;
  creation_time: string;
  /** Set when a deletion of this row (or a parent) started; reads skip it, the purge removes it. */
  deleted_at: string | null;
}

export interface ApplicationRunsTable {
  id: string;
  company_id: string;
  application_id: string;
  dataset_id: string;
  enabled_algorithms: string | null;
  creation_time: string;
}

export interface SubjectsTable {
  id: string;
  company_id: string;
  dataset_id: string;
  name: string;
  birth_date: string | null;
  biological_sex: string | null;
  meta: string;
  author_id: string | null;
  creation_time: string;
  /** Set when a deletion of this row (or a parent) started; reads skip it, the purge removes it. */
  deleted_at: string | null;
}

export interface BatchesTable {
  id: string;
  company_id: string;
  dataset_id: string;
  subject_id: string;
  creation_time: string;
  /** Set when a deletion of this row (or a parent) started; reads skip it, the purge removes it. */
  deleted_at: string | null;
}

export interface ImagesTable {
  id: string;
  company_id: string;
  dataset_id: string;
  subject_id: string;
  batch_id: string;
  side_id: number;
  light_id: number;
  blob_key: string | null;
  width: number | null;
  height: number | null;
  format: string | null;
  status: string;
  application_run_ids: string;
  meta: string;
  error: string | null;
  creation_time: string;
  /** The analysis attempt whose results are current (set when an attempt starts). */
  attempt_id: string | null;
  /** Until when the current attempt's worker holds it (its job lease); after, its partial results are hidden. */
  attempt_until: string | null;
  /** Set when a deletion of this row (or a parent) started; reads skip it, the purge removes it. */
  deleted_at: string | null;
}

export interface ResultsTable {
  id: string;
  company_id: string;
  image_id: string;
  application_run_id: string;
  application_id: string;
  algorithm_version_id: number;
  algorithm_family_tech_name: string;
  algorithm_tech_name: string;
  is_ok: number;
  result: string;
  creation_time: string;
  /** The analysis attempt that wrote the row; only the image's current attempt's rows are read. */
  attempt_id: string | null;
}

export interface AuxImagesTable {
  id: string;
  company_id: string;
  image_id: string;
  aux_image_type: string;
  blob_key: string;
  width: number;
  height: number;
  creation_time: string;
}

export interface JobsTable {
  id: string;
  kind: string;
  payload: string;
  status: string;
  attempts: number;
  max_attempts: number;
  run_after: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  /** The image a job works on (`payload.imageId`), for look-ups without reading JSON. */
  image_id: string | null;
  /** Back-off of the retry policy: first delay and cap, ms. */
  backoff_ms: number;
  backoff_cap_ms: number;
}

/** A login session: every access and refresh token issued from one login; revoked as a whole. */
export interface TokenFamiliesTable {
  id: string;
  user_id: string;
  company_id: string;
  revoked_at: string | null;
  creation_time: string;
}

/** One refresh token (its `jti`); used once, then replaced by the next of its family. */
export interface RefreshTokensTable {
  id: string;
  family_id: string;
  used_at: string | null;
  expires_at: string;
  creation_time: string;
}

export interface WebhooksTable {
  id: string;
  company_id: string;
  dataset_id: string;
  url: string;
  method: string;
  authorization: string;
  authorization_key: string | null;
  authorization_value: string | null;
  secret_key: string;
  enabled: number;
  creation_time: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  company_id: string;
  webhook_id: string;
  dataset_id: string;
  image_id: string;
  application_id: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  job_id: string | null;
  creation_time: string;
  updated_at: string;
  delivered_at: string | null;
}

/** AILab-compatible API keys (`ailabapi-api-key`); only the SHA-256 of the key is stored. */
export interface ApiKeysTable {
  id: string;
  company_id: string;
  name: string;
  key_hash: string;
  expiration_time: string | null;
  creation_time: string;
}

/** Cached rasterised/SVG mask renders, one row per blob, deleted with their image. */
export interface MaskRendersTable {
  id: string;
  company_id: string;
  image_id: string;
  cache_key: string;
  blob_key: string;
  content_type: string;
  creation_time: string;
}

export interface Database {
  companies: CompaniesTable;
  users: UsersTable;
  private_tokens: PrivateTokensTable;
  datasets: DatasetsTable;
  application_runs: ApplicationRunsTable;
  subjects: SubjectsTable;
  batches: BatchesTable;
  images: ImagesTable;
  results: ResultsTable;
  aux_images: AuxImagesTable;
  jobs: JobsTable;
  token_families: TokenFamiliesTable;
  refresh_tokens: RefreshTokensTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  api_keys: ApiKeysTable;
  mask_renders: MaskRendersTable;
}
