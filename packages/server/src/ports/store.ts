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
  /** Days after which the photos of an image are deleted (1-365), null = keep; results stay. Applied by the retention job. */
  expireImagesAfterDays: number | null;
  /** Days after which the results of an image are deleted (1-365), null = keep. Applied by the retention job. */
  expireMetadataAfterDays: number | null;
  /** Delete the photos of an image right after its processing ended (results stay). Applied at once, and by the retention job. */
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
  /** The analysis attempt that computed it (null for rows older than attempts). */
  attemptId?: string | null;
}

/** A result record with its `result` as the JSON text the store holds, not parsed (for answers that pass it on). */
export type AlgorithmResultJson = Omit<AlgorithmResultRecord, 'result'> & { resultJson: string };

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
  createBatch(companyId: string, datasetId: string, subjectId: string): Promise<Batch>;
  /** A batch of the company; `subjectId` null: whichever subject it belongs to. */
  getBatch(companyId: string, subjectId: string | null, id: string): Promise<Batch | undefined>;
  /** Batches of a subject, or of the whole company when `subjectId` is null; newest first. */
  listBatches(companyId: string, subjectId: string | null, page: PageQuery): Promise<Page<Batch>>;
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
   * Starts an analysis attempt: the image is `processing` under `attemptId`, held until `until`
   * (ISO time, renewed with `renewAttempt`). Rows of earlier attempts are no longer read.
   */
  startAttempt(imageId: string, attemptId: string, until: string): Promise<void>;
  /** Extends the hold of the image's current attempt; no effect when another attempt took over. */
  renewAttempt(imageId: string, attemptId: string, until: string): Promise<void>;
  /**
   * Replaces the results and aux images of an image and sets its status, in one transaction. With
   * `attemptId`, only while that attempt is still the image's current one (a superseded attempt
   * writes nothing and gets false); without, unconditionally under a new attempt.
   * False (nothing written) also when the image was deleted meanwhile.
   *
   * With `attemptId` and `keepAppended`, the rows `appendResults` wrote under that attempt are kept
   * as they are (not written again) and `results` holds only the others: the image's results are
   * then those rows plus `results`; rows of every other attempt are removed as usual.
   */
  saveAnalysis(input: {
    imageId: string;
    attemptId?: string;
    /** Keep the rows appended under `attemptId` (ignored without `attemptId`). Default false. */
    keepAppended?: boolean;
    results: AlgorithmResultRecord[];
    auxImages: AuxImage[];
    status: ImageStatus;
    error: string | null;
  }): Promise<boolean>;
  /**
   * Adds results of an image still being processed (partial results, tagged with their `attemptId`);
   * `saveAnalysis` replaces them at the end, or keeps them with `keepAppended`.
   * Nothing is written for an image being deleted.
   */
  appendResults(results: AlgorithmResultRecord[]): Promise<void>;
  /**
   * The results a client reads: the complete set of the image's current attempt, or the partial set
   * of an attempt still in progress and held; never rows of an earlier or abandoned attempt.
   */
  listResults(companyId: string, imageId: string): Promise<AlgorithmResultRecord[]>;
  /** The same rows as `listResults`, each result as its stored JSON text (never parsed). */
  listResultsJson(companyId: string, imageId: string): Promise<AlgorithmResultJson[]>;
  listAuxImages(companyId: string, imageId: string): Promise<AuxImage[]>;
  getAuxImage(companyId: string | null, id: string): Promise<AuxImage | undefined>;
}

/**
 * Login sessions: a token family is every access and refresh token issued from one login. A refresh
 * token is used once and replaced by the next of its family; using one twice (a stolen copy) revokes
 * the family, and the family's access tokens stop working with it.
 */
export interface SessionsRepo {
  createFamily(input: { userId: string; companyId: string }): Promise<string>;
  /** False when the family is unknown or revoked. */
  isFamilyActive(id: string): Promise<boolean>;
  revokeFamily(id: string): Promise<void>;
  /** A new refresh token id (`jti`) of the family; `expiresAt` ISO time. */
  createRefreshToken(input: { familyId: string; expiresAt: string }): Promise<string>;
  /** Marks a refresh token used: `firstUse` false when it had been used before; undefined when unknown. */
  useRefreshToken(id: string): Promise<{ familyId: string; firstUse: boolean } | undefined>;
}

/** A dataset's webhook: called once per application per processed image of the dataset. */
export interface Webhook {
  id: string;
  companyId: string;
  datasetId: string;
  /** http(s) URL called. */
  url: string;
  /** `post`: the JSON payload as body; `get`: the ids as query parameters, no body. */
  method: 'post' | 'get';
  /** How the call authenticates: `query` adds `key=value` to the URL, `basic` and `bearer` the Authorization header. */
  authorization: 'none' | 'query' | 'basic' | 'bearer';
  /** Query parameter name (`query`) or user name (`basic`). */
  authorizationKey: string | null;
  /** Query parameter value, password or bearer token. */
  authorizationValue: string | null;
  /** HMAC-SHA256 key of the signature header; shown once, at creation. */
  secretKey: string;
  enabled: boolean;
  creationTime: string;
}

export type WebhookPatch = Partial<
  Pick<Webhook, 'url' | 'method' | 'authorization' | 'authorizationKey' | 'authorizationValue' | 'enabled'>
>;

/** One call owed to a webhook (per application and image), and how its attempts went: the delivery log. */
export interface WebhookDelivery {
  id: string;
  companyId: string;
  webhookId: string;
  datasetId: string;
  imageId: string;
  applicationId: string;
  /** `pending` until a 2xx answer (`delivered`) or the last attempt failed (`failed`); `cancelled` when the webhook was disabled. */
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  /** The queued job sending it, once queued. */
  jobId: string | null;
  creationTime: string;
  updatedAt: string;
  deliveredAt: string | null;
}

export interface WebhooksRepo {
  create(input: Omit<Webhook, 'id' | 'creationTime'>): Promise<Webhook>;
  get(companyId: string, datasetId: string, id: string): Promise<Webhook | undefined>;
  /** Unscoped read for the delivery job. */
  getForDelivery(id: string): Promise<Webhook | undefined>;
  list(companyId: string, datasetId: string): Promise<Webhook[]>;
  update(companyId: string, datasetId: string, id: string, patch: WebhookPatch): Promise<Webhook | undefined>;
  /** Deletes the webhook and its delivery log. */
  delete(companyId: string, datasetId: string, id: string): Promise<boolean>;
  /** Records deliveries; one already recorded for the same webhook, image and application is kept as is. */
  createDeliveries(
    deliveries: Pick<
      WebhookDelivery,
      'id' | 'companyId' | 'webhookId' | 'datasetId' | 'imageId' | 'applicationId'
    >[],
  ): Promise<void>;
  deliveriesOfImage(imageId: string): Promise<WebhookDelivery[]>;
  getDelivery(id: string): Promise<WebhookDelivery | undefined>;
  setDeliveryJob(id: string, jobId: string): Promise<void>;
  recordAttempt(
    id: string,
    outcome: Pick<WebhookDelivery, 'status' | 'attempts' | 'lastStatusCode' | 'lastError' | 'deliveredAt'>,
  ): Promise<void>;
  listDeliveries(companyId: string, webhookId: string, page: PageQuery): Promise<Page<WebhookDelivery>>;
}

/** What one deletion covers: the named rows and every row under them. */
export type DeletionTarget =
  | { level: 'dataset'; datasetId: string }
  | { level: 'subjects'; datasetId: string; subjectIds: string[] }
  | { level: 'batch'; subjectId: string; batchId: string }
  | { level: 'image'; imageId: string };

/**
 * Deletion in two durable steps, so that a crash in the middle loses nothing and shows nothing: `mark`
 * flags the target and every row under it in one transaction (every read skips flagged rows from then
 * on), then the purge removes each flagged image's files and rows, then the emptied parents. A purge
 * interrupted by a crash is finished by the next sweep (`markedImages` lists what is left).
 */
export interface DeletionRepo {
  /** Flags the target and everything under it. False when no live row of this company matched. */
  mark(companyId: string, target: DeletionTarget): Promise<boolean>;
  /** Flagged images of every company, oldest flag first. */
  markedImages(limit: number): Promise<ImageRecord[]>;
  /** Every blob key the image's rows name: the original and its aux images. */
  blobKeys(imageId: string): Promise<string[]>;
  /** Deletes the image row and every row that names it (results, aux images, webhook deliveries, jobs). */
  purgeImageRows(imageId: string): Promise<void>;
  /**
   * Flags rows created under a flagged parent meanwhile, then deletes flagged batches, subjects and datasets
   * that hold nothing any more (with a dataset's application runs, webhooks and deliveries). Returns rows deleted.
   */
  purgeEmptyParents(): Promise<number>;
  /** After the photo's files are deleted: forgets its aux image rows and its blob key (results stay). */
  forgetPhoto(imageId: string): Promise<void>;
  /** Deletes the computed results of an image (the image record stays). */
  purgeResults(imageId: string): Promise<void>;
  /** Clears a subject's personal metadata (meta, birth date, biological sex) and its images' meta. */
  clearMetadata(companyId: string, subjectId: string): Promise<boolean>;
}

/** A dataset's retention settings (see `Dataset`). */
export type RetentionPolicy = Pick<
  Dataset,
  'id' | 'companyId' | 'expireImagesAfterDays' | 'expireMetadataAfterDays' | 'cleanImagesAsSoonAsReady'
>;

/** Reads across a subject's images over time, and the images the retention job applies to. */
export interface HistoryRepo {
  /** Live images of the subject, oldest first; `from`/`to` bound `creationTime` (ISO-8601, inclusive). */
  subjectImages(
    companyId: string,
    subjectId: string,
    range: { from?: string; to?: string },
  ): Promise<ImageRecord[]>;
  /** Results of the images, by algorithm id. */
  resultsOfImages(companyId: string, imageIds: readonly string[]): Promise<AlgorithmResultRecord[]>;
  /** Live datasets with any retention setting. */
  datasetsWithRetention(): Promise<RetentionPolicy[]>;
  /** Live images of the dataset that still have their photo, oldest first. */
  imagesWithPhoto(
    datasetId: string,
    filter: { createdBefore?: string; processed?: boolean },
    limit: number,
  ): Promise<ImageRecord[]>;
  /** Ids of live images of the dataset created before the time that still have results. */
  imagesWithResults(datasetId: string, createdBefore: string, limit: number): Promise<string[]>;
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
  sessions: SessionsRepo;
  apiKeys: ApiKeysRepo;
  maskRenders: MaskRendersRepo;
  datasets: DatasetsRepo;
  subjects: SubjectsRepo;
  images: ImagesRepo;
  deletion: DeletionRepo;
  history: HistoryRepo;
  webhooks: WebhooksRepo;
  close(): Promise<void>;
}
