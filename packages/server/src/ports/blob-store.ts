/**
 * The `BlobStore` port: image bytes keyed by an object key such as `images/<company>/<image>.jpg`
 * (never a file path). Adapters: a local folder (default); S3-compatible later.
 */
export interface BlobStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Undefined when the key does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  delete(key: string): Promise<void>;
}
