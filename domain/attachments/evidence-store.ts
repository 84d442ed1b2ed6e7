/** The port to the evidence bucket; infra/s3 implements it. Keys are the store's own: one object per attachment. */
export interface StoredObject {
  size: number;
  contentType?: string;
  etag: string;
  versionId?: string;
}

export interface PresignedRequest {
  url: string;
  method: 'PUT' | 'GET';
  /** Headers the signature covers: the client must send them exactly. */
  headers: Record<string, string>;
  expiresAt: string;
}

export interface EvidenceStore {
  presignUpload(input: { key: string; contentType: string; size: number; expiresInSeconds: number }): Promise<PresignedRequest>;
  presignDownload(input: {
    key: string;
    versionId?: string;
    etag: string;
    fileName: string;
    expiresInSeconds: number;
  }): Promise<PresignedRequest>;
  /** The object as stored now, or null when nothing was uploaded. */
  describe(key: string): Promise<StoredObject | null>;
  /** The stored bytes of one version (for small files: the regulator pack holds them in memory). */
  read(key: string, versionId?: string): Promise<Uint8Array>;
  /** The SHA-256 of the stored bytes, read as a stream (never held in memory whole). */
  sha256Of(key: string, versionId?: string): Promise<string>;
  /** Governance-mode retention until `until`, where the bucket has Object Lock; otherwise nothing. */
  retain(key: string, versionId: string | undefined, until: Date): Promise<{ retainUntil?: string }>;
  /** A legal hold, where the bucket has Object Lock; otherwise nothing. */
  holdLegally(key: string, versionId: string | undefined): Promise<{ held: boolean }>;
  /** Removes an upload that failed verification (never a verified one). */
  discard(key: string): Promise<void>;
}
