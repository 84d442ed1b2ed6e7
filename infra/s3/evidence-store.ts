import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { EvidenceStore, PresignedRequest } from '../../domain/attachments/evidence-store';

export interface S3EvidenceOptions {
  region: string;
  bucket: string;
  /** A local S3-compatible endpoint (path-style addressing); unset in AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The bucket has Object Lock: verified files get governance-mode retention, withdrawn ones a legal hold. */
  objectLock: boolean;
}

/** The access key the local S3 endpoint (s3rver) accepts. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

type S3Sdk = Awaited<ReturnType<typeof loadSdk>>;

async function loadSdk(options: S3EvidenceOptions) {
  const [s3, presigner] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]);
  const client = new s3.S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // The SDK would otherwise add a checksum of an empty body to presigned PUTs, and S3 would refuse the upload.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { s3, presign: presigner.getSignedUrl, client };
}

const expiry = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const notFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

/**
 * The evidence bucket through the AWS SDK. The SDK loads on first use, so requests that never touch evidence do
 * not pay for it at cold start.
 */
export function createS3EvidenceStore(options: S3EvidenceOptions): EvidenceStore {
  let sdk: Promise<S3Sdk> | undefined;
  const use = () => (sdk ??= loadSdk(options));
  const Bucket = options.bucket;

  return {
    async presignUpload({ key, contentType, size, expiresInSeconds }): Promise<PresignedRequest> {
      const { s3, presign, client } = await use();
      const command = new s3.PutObjectCommand({ Bucket, Key: key, ContentType: contentType, ContentLength: size, IfNoneMatch: '*' });
      const url = await presign(client, command, {
        expiresIn: expiresInSeconds,
        signableHeaders: new Set(['content-type', 'content-length', 'if-none-match']),
      });
      return {
        url,
        method: 'PUT',
        headers: { 'content-type': contentType, 'content-length': String(size), 'if-none-match': '*' },
        expiresAt: expiry(expiresInSeconds),
      };
    },

    async presignDownload({ key, versionId, etag, fileName, expiresInSeconds }): Promise<PresignedRequest> {
      const { s3, presign, client } = await use();
      const disposition = `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`;
      const command = new s3.GetObjectCommand({
        Bucket,
        Key: key,
        VersionId: versionId,
        IfMatch: etag,
        ResponseContentDisposition: disposition,
      });
      const url = await presign(client, command, { expiresIn: expiresInSeconds, signableHeaders: new Set(['if-match']) });
      // The signature covers If-Match: the download succeeds only while the object is the verified one.
      return { url, method: 'GET', headers: { 'if-match': etag }, expiresAt: expiry(expiresInSeconds) };
    },

    async describe(key) {
      const { s3, client } = await use();
      try {
        const head = await client.send(new s3.HeadObjectCommand({ Bucket, Key: key }));
        return {
          size: head.ContentLength ?? 0,
          contentType: head.ContentType,
          etag: head.ETag ?? '',
          ...(head.VersionId ? { versionId: head.VersionId } : {}),
        };
      } catch (error) {
        if (notFound(error)) return null;
        throw error;
      }
    },

    async read(key, versionId) {
      const { s3, client } = await use();
      const { Body } = await client.send(new s3.GetObjectCommand({ Bucket, Key: key, VersionId: versionId }));
      return Body!.transformToByteArray();
    },

    async sha256Of(key, versionId) {
      const { s3, client } = await use();
      const { Body } = await client.send(new s3.GetObjectCommand({ Bucket, Key: key, VersionId: versionId }));
      const hash = createHash('sha256');
      for await (const chunk of Body as Readable) hash.update(chunk as Buffer);
      return hash.digest('hex');
    },

    async retain(key, versionId, until) {
      if (!options.objectLock) return {};
      const { s3, client } = await use();
      const retention = { Mode: 'GOVERNANCE' as const, RetainUntilDate: until };
      await client.send(new s3.PutObjectRetentionCommand({ Bucket, Key: key, VersionId: versionId, Retention: retention }));
      return { retainUntil: until.toISOString() };
    },

    async holdLegally(key, versionId) {
      if (!options.objectLock) return { held: false };
      const { s3, client } = await use();
      await client.send(new s3.PutObjectLegalHoldCommand({ Bucket, Key: key, VersionId: versionId, LegalHold: { Status: 'ON' } }));
      return { held: true };
    },

    async discard(key) {
      const { s3, client } = await use();
      await client.send(new s3.DeleteObjectCommand({ Bucket, Key: key }));
    },
  };
}
