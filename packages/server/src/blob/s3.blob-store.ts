import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobStore } from '../ports/blob-store.ts';
import { DependencyUnavailableError } from '../ports/dependency-error.ts';

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Where the S3 adapter keeps objects (see `Config.s3`). */
export interface S3BlobStoreOptions {
  bucket: string;
  /** Endpoint URL of an S3-compatible server (MinIO, Ceph, s3rver…); undefined: AWS. */
  endpoint?: string;
  region: string;
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need. */
  forcePathStyle: boolean;
  /** Prefix put before every key (for example `skinscope/`); default none. */
  prefix?: string;
  /** Static credentials; default: the AWS SDK's chain (AWS_ACCESS_KEY_ID, profiles, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Network failures and 5xx answers: the store is down, not the request wrong. */
function unavailable(error: unknown): boolean {
  if (error instanceof S3ServiceException) return (error.$metadata.httpStatusCode ?? 500) >= 500;
  const code = (error as NodeJS.ErrnoException)?.code;
  return (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code)
  );
}

async function guard<T>(what: () => Promise<T>): Promise<T> {
  try {
    return await what();
  } catch (error) {
    if (unavailable(error)) throw new DependencyUnavailableError('blob store', error);
    throw error;
  }
}

/**
 * A BlobStore on S3 or an S3-compatible server (@aws-sdk/client-s3). Objects are private; `presign`
 * hands out time-limited URLs for a direct download or upload. A failure to reach the server is a
 * `DependencyUnavailableError` (the API answers 503).
 */
export function s3BlobStore(options: S3BlobStoreOptions): BlobStore & { close(): void } {
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials,
    // Checksums only where S3 requires them: S3-compatible servers do not all know the newer headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
  });
  const prefix = options.prefix ?? '';
  const objectKey = (key: string) => {
    if (!KEY.test(key) || key.includes('..')) throw new Error(`invalid blob key: ${key}`);
    return `${prefix}${key}`;
  };
  return {
    async put(key, bytes, contentType) {
      await guard(() =>
        client.send(
          new PutObjectCommand({
            Bucket: options.bucket,
            Key: objectKey(key),
            Body: bytes,
            ContentType: contentType,
          }),
        ),
      );
    },
    async get(key) {
      return guard(async () => {
        try {
          const out = await client.send(
            new GetObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }),
          );
          return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
        } catch (error) {
          if (error instanceof NoSuchKey) return undefined;
          if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return undefined;
          throw error;
        }
      });
    },
    async delete(key) {
      await guard(() =>
        client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: objectKey(key) })),
      );
    },
    async presign(key, method, expiresInSeconds, contentType) {
      const Key = objectKey(key);
      const command =
        method === 'GET'
          ? new GetObjectCommand({ Bucket: options.bucket, Key })
          : new PutObjectCommand({ Bucket: options.bucket, Key, ContentType: contentType });
      return getSignedUrl(client, command, { expiresIn: expiresInSeconds });
    },
    close() {
      client.destroy();
    },
  };
}
