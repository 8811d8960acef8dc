/** Kysely table types of the SQL store (SQLite now, PostgreSQL later). Booleans are 0/1, JSON is text. */
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
}

export interface BatchesTable {
  id: string;
  company_id: string;
  dataset_id: string;
  subject_id: string;
  creation_time: string;
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
  api_keys: ApiKeysTable;
  mask_renders: MaskRendersTable;
}
