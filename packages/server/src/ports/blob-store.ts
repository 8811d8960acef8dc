/**
 * The `BlobStore` port: image bytes keyed by an object key such as `images/<company>/<image>.jpg`
 * (never a file path). Adapters: a local folder (default, `blob/local.blob-store.ts`) and S3 or an
 * S3-compatible server (`blob/s3.blob-store.ts`).
 */
export interface BlobStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Undefined when the key does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Deletes the object; deleting a missing key is no error. */
  delete(key: string): Promise<void>;
  /**
   * A URL that downloads (`GET`) or uploads (`PUT`, with that content type) the object directly, valid
   * `expiresInSeconds` (1-604800); only adapters whose objects have their own URLs (S3) offer it.
   */
  presign?(
    key: string,
    method: 'GET' | 'PUT',
    expiresInSeconds: number,
    contentType?: string,
  ): Promise<string>;
  /** Releases connections. */
  close?(): void;
}
