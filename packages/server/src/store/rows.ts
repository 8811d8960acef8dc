import type { Selectable } from 'kysely';
import type {
  AlgorithmResultJson,
  AlgorithmResultRecord,
  ApplicationRun,
  AuxImage,
  Batch,
  Company,
  Dataset,
  ImageRecord,
  ImageStatus,
  PrivateToken,
  Subject,
  User,
} from '../ports/store.ts';
import type { Database } from './db-schema.ts';

/** Row <-> record mapping of the SQL store. */
type Row<T extends keyof Database> = Selectable<Database[T]>;

export const nowIso = (): string => new Date().toISOString();

export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export const toCompany = (r: Row<'companies'>): Company => ({
  id: r.id,
  name: r.name,
  creationTime: r.creation_time,
});

export const toUser = (r: Row<'users'>): User => ({
  id: r.id,
  companyId: r.company_id,
  username: r.username,
  passwordHash: r.password_hash,
  creationTime: r.creation_time,
});

export const toPrivateToken = (r: Row<'private_tokens'>): PrivateToken => ({
  id: r.id,
  userId: r.user_id,
  companyId: r.company_id,
  name: r.name,
  tokenHash: r.token_hash,
  expirationTime: r.expiration_time,
  creationTime: r.creation_time,
});

export const toDataset = (r: Row<'datasets'>): Dataset => ({
  id: r.id,
  companyId: r.company_id,
  name: r.name,
  imageTypeId: r.image_type_id,
  expireImagesAfterDays: r.expire_images_after_days,
  expireMetadataAfterDays: r.expire_metadata_after_days,
  cleanImagesAsSoonAsReady: r.clean_images_as_soon_as_ready === 1,
  creationTime: r.creation_time,
});

export const toRun = (r: Row<'application_runs'>): ApplicationRun => ({
  id: r.id,
  companyId: r.company_id,
  applicationId: r.application_id,
  datasetId: r.dataset_id,
  enabledAlgorithms: parseJson<number[] | null>(r.enabled_algorithms, null),
  creationTime: r.creation_time,
});

export const toSubject = (r: Row<'subjects'>): Subject => ({
  id: r.id,
  companyId: r.company_id,
  datasetId: r.dataset_id,
  name: r.name,
  birthDate: r.birth_date,
  biologicalSex: r.biological_sex,
  meta: parseJson<Record<string, unknown>>(r.meta, {}),
  authorId: r.author_id,
  creationTime: r.creation_time,
});

export const toBatch = (r: Row<'batches'>): Batch => ({
  id: r.id,
  companyId: r.company_id,
  datasetId: r.dataset_id,
  subjectId: r.subject_id,
  creationTime: r.creation_time,
});

export const toImage = (r: Row<'images'>): ImageRecord => ({
  id: r.id,
  companyId: r.company_id,
  datasetId: r.dataset_id,
  subjectId: r.subject_id,
  batchId: r.batch_id,
  sideId: r.side_id,
  lightId: r.light_id,
  blobKey: r.blob_key,
  width: r.width,
  height: r.height,
  format: r.format,
  status: r.status as ImageStatus,
  applicationRunIds: parseJson<string[]>(r.application_run_ids, []),
  meta: parseJson<Record<string, unknown>>(r.meta, {}),
  error: r.error,
  creationTime: r.creation_time,
});

export const toResultJson = (r: Row<'results'>): AlgorithmResultJson => ({
  id: r.id,
  companyId: r.company_id,
  imageId: r.image_id,
  applicationRunId: r.application_run_id,
  applicationId: r.application_id,
  algorithmVersionId: r.algorithm_version_id,
  algorithmFamilyTechName: r.algorithm_family_tech_name,
  algorithmTechName: r.algorithm_tech_name,
  isOk: r.is_ok === 1,
  resultJson: r.result,
  creationTime: r.creation_time,
  attemptId: r.attempt_id,
});

export const toResult = (r: Row<'results'>): AlgorithmResultRecord => {
  const { resultJson, ...record } = toResultJson(r);
  return { ...record, result: parseJson<unknown>(resultJson, null) };
};

export const toAux = (r: Row<'aux_images'>): AuxImage => ({
  id: r.id,
  companyId: r.company_id,
  imageId: r.image_id,
  auxImageType: r.aux_image_type,
  blobKey: r.blob_key,
  width: r.width,
  height: r.height,
  creationTime: r.creation_time,
});
