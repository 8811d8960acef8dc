/**
 * The `Store` port: every persistent record of the API except image bytes (see `BlobStore`) and jobs
 * (see `JobQueue`). Every read and write of a tenant resource takes the company id and matches it, so a
 * caller of another company gets `undefined` (the HTTP layer answers 404). Times are ISO-8601 strings (UTC).
 * Adapters: SQLite (default, one file). A PostgreSQL adapter reuses the same Kysely query layer.
 */

export interface Company {
  id: string;
  name: string;
  creationTime: string;
}

export interface User {
  id: string;
  companyId: string;
  username: string;
  /** scrypt hash in the `scrypt$N$r$p$salt$hash` format of `auth/password.ts`. */
  passwordHash: string;
  creationTime: string;
}

export interface PrivateToken {
  id: string;
  userId: string;
  companyId: string;
  name: string;
  /** SHA-256 of the secret, hex; the secret itself is never stored. */
  tokenHash: string;
  expirationTime: string | null;
  creationTime: string;
}

export interface Dataset {
  id: string;
  companyId: string;
  name: string;
  imageTypeId: number;
  /** Days after which images are deleted (1-365), null = keep. Enforced in part 2. */
  expireImagesAfterDays: number | null;
  /** Days after which computed results are deleted (1-365), null = keep. Enforced in part 2. */
  expireMetadataAfterDays: number | null;
  /** Delete image bytes once every attached application has processed them. Enforced in part 2. */
  cleanImagesAsSoonAsReady: boolean;
  creationTime: string;
}

export type DatasetPatch = Partial<
  Pick<
    Dataset,
    'name' | 'imageTypeId' | 'expireImagesAfterDays' | 'expireMetadataAfterDays' | 'cleanImagesAsSoonAsReady'
  >
>;

/** An application attached to a dataset ("application run"). */
export interface ApplicationRun {
  id: string;
  companyId: string;
  applicationId: string;
  datasetId: string;
  /** Algorithm dictionary ids to run; null = every algorithm of the application. */
  enabledAlgorithms: number[] | null;
  creationTime: string;
}

export interface Subject {
  id: string;
  companyId: string;
  datasetId: string;
  name: string;
  birthDate: string | null;
  biologicalSex: string | null;
  meta: Record<string, unknown>;
  authorId: string | null;
  creationTime: string;
}

export type SubjectPatch = Partial<Pick<Subject, 'name' | 'birthDate' | 'biologicalSex' | 'meta'>>;

export interface Batch {
  id: string;
  companyId: string;
  datasetId: string;
  subjectId: string;
  creationTime: string;
}

/**
 * `pending_upload`: a v3 upload slot not yet filled; `stored`: kept, not processed (no application);
 * `uploaded`: v3 bytes received, waiting for `/compute/`; `queued` / `processing` / `done` / `failed`.
 */
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
  companyId: string;
  datasetId: string;
  subjectId: string;
  batchId: string;
  sideId: number;
  lightId: number;
  /** Object key in the BlobStore; null while a v3 upload slot is empty. */
  blobKey: string | null;
  width: number | null;
  height: number | null;
  format: string | null;
  status: ImageStatus;
  /** Application runs this image is processed by (fixed at upload time). */
  applicationRunIds: string[];
  meta: Record<string, unknown>;
  error: string | null;
  creationTime: string;
}

export interface AlgorithmResultRecord {
  id: string;
  companyId: string;
  imageId: string;
  applicationRunId: string;
  applicationId: string;
  algorithmVersionId: number;
  algorithmFamilyTechName: string;
  algorithmTechName: string;
  isOk: boolean;
  result: unknown;
  creationTime: string;
}

export interface AuxImage {
  id: string;
  companyId: string;
  imageId: string;
  /** For example `selfie_front_face_restored`. */
  auxImageType: string;
  blobKey: string;
  width: number;
  height: number;
  creationTime: string;
}

export interface Page<T> {
  count: number;
  results: T[];
}

export interface PageQuery {
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface AccountsRepo {
  createCompany(name: string): Promise<Company>;
  getCompany(id: string): Promise<Company | undefined>;
  countUsers(): Promise<number>;
  createUser(input: { companyId: string; username: string; passwordHash: string }): Promise<User>;
  findUserByUsername(username: string): Promise<User | undefined>;
  getUser(id: string): Promise<User | undefined>;
  createPrivateToken(input: Omit<PrivateToken, 'id' | 'creationTime'>): Promise<PrivateToken>;
  findPrivateTokenByHash(tokenHash: string): Promise<PrivateToken | undefined>;
  listPrivateTokens(userId: string, page: PageQuery): Promise<Page<PrivateToken>>;
  /** True when a token of this user was deleted. */
  deletePrivateToken(userId: string, id: string): Promise<boolean>;
}

export interface DatasetsRepo {
  create(companyId: string, input: Omit<Dataset, 'id' | 'companyId' | 'creationTime'>): Promise<Dataset>;
  get(companyId: string, id: string): Promise<Dataset | undefined>;
  list(companyId: string, page: PageQuery, q?: string): Promise<Page<Dataset>>;
  update(companyId: string, id: string, patch: DatasetPatch): Promise<Dataset | undefined>;
  delete(companyId: string, id: string): Promise<boolean>;
  attachApplication(
    companyId: string,
    input: { applicationId: string; datasetId: string; enabledAlgorithms: number[] | null },
  ): Promise<ApplicationRun>;
  /** The latest run per application attached to the dataset. */
  activeRuns(companyId: string, datasetId: string): Promise<ApplicationRun[]>;
  getRun(companyId: string, id: string): Promise<ApplicationRun | undefined>;
}

export interface SubjectsRepo {
  create(companyId: string, input: Omit<Subject, 'id' | 'companyId' | 'creationTime'>): Promise<Subject>;
  get(companyId: string, datasetId: string | null, id: string): Promise<Subject | undefined>;
  list(companyId: string, datasetId: string, page: PageQuery): Promise<Page<Subject>>;
  update(companyId: string, datasetId: string, id: string, patch: SubjectPatch): Promise<Subject | undefined>;
  delete(companyId: string, datasetId: string, id: string): Promise<boolean>;
  createBatch(companyId: string, datasetId: string, subjectId: string): Promise<Batch>;
  getBatch(companyId: string, subjectId: string, id: string): Promise<Batch | undefined>;
  listBatches(companyId: string, subjectId: string, page: PageQuery): Promise<Page<Batch>>;
  deleteBatch(companyId: string, subjectId: string, id: string): Promise<boolean>;
}

export interface ImagesRepo {
  create(input: Omit<ImageRecord, 'creationTime'>): Promise<ImageRecord>;
  get(companyId: string, id: string): Promise<ImageRecord | undefined>;
  /** Unscoped read for the background processor. */
  getForProcessing(id: string): Promise<ImageRecord | undefined>;
  listByBatch(companyId: string, batchId: string): Promise<ImageRecord[]>;
  /** Ids of images (of every company) in one of the statuses, oldest first; for crash recovery. */
  idsByStatus(statuses: ImageStatus[], limit: number): Promise<string[]>;
  update(
    id: string,
    patch: Partial<
      Pick<ImageRecord, 'status' | 'blobKey' | 'width' | 'height' | 'format' | 'error' | 'applicationRunIds'>
    >,
  ): Promise<void>;
  /**
   * Replaces the results and aux images of an image and sets its status, in one transaction
   * (a retried job never leaves duplicates).
   */
  saveAnalysis(input: {
    imageId: string;
    results: AlgorithmResultRecord[];
    auxImages: AuxImage[];
    status: ImageStatus;
    error: string | null;
  }): Promise<void>;
  /** Adds results of an image still being processed (partial results); `saveAnalysis` replaces them at the end. */
  appendResults(results: AlgorithmResultRecord[]): Promise<void>;
  listResults(companyId: string, imageId: string): Promise<AlgorithmResultRecord[]>;
  listAuxImages(companyId: string, imageId: string): Promise<AuxImage[]>;
  getAuxImage(companyId: string | null, id: string): Promise<AuxImage | undefined>;
}

/** An AILab-compatible API key of a company (header `ailabapi-api-key`), managed like a private token. */
export interface ApiKey {
  id: string;
  companyId: string;
  name: string;
  /** SHA-256 of the key, hex; the key itself is shown once and never stored. */
  keyHash: string;
  expirationTime: string | null;
  creationTime: string;
}

export interface ApiKeysRepo {
  create(input: Omit<ApiKey, 'id' | 'creationTime'>): Promise<ApiKey>;
  findByHash(keyHash: string): Promise<ApiKey | undefined>;
  list(companyId: string): Promise<ApiKey[]>;
  /** True when a key of this company was deleted. */
  delete(companyId: string, id: string): Promise<boolean>;
}

/** A cached mask render of an image: `cacheKey` names (image type, algorithm, options, format). */
export interface MaskRender {
  id: string;
  companyId: string;
  imageId: string;
  cacheKey: string;
  blobKey: string;
  contentType: string;
  creationTime: string;
}

export interface MaskRendersRepo {
  get(companyId: string, imageId: string, cacheKey: string): Promise<MaskRender | undefined>;
  /** Records a render; a second record of the same (image, cacheKey) keeps the first. */
  record(input: Omit<MaskRender, 'id' | 'creationTime'>): Promise<MaskRender>;
  listByImage(companyId: string, imageId: string): Promise<MaskRender[]>;
  /** Deletes the rows of an image's renders (their blobs are deleted by the caller first). */
  deleteByImage(companyId: string, imageId: string): Promise<number>;
}

export interface Store {
  accounts: AccountsRepo;
  apiKeys: ApiKeysRepo;
  maskRenders: MaskRendersRepo;
  datasets: DatasetsRepo;
  subjects: SubjectsRepo;
  images: ImagesRepo;
  close(): Promise<void>;
}
