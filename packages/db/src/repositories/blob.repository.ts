import type { Blob, BlobKind } from '../generated/client.ts';
import type { DbClient } from '../client.ts';

export type BlobRecord = Blob;
export type { BlobKind };

export interface CreateBlobInput {
  /** @defaultValue a random UUID */
  id?: string;
  kind: BlobKind;
  contentType: string;
  byteSize: number;
  width?: number | null;
  height?: number | null;
  durationMs?: number | null;
  /** sha256 hex of the plaintext bytes. */
  sha256: string;
  /** Key in the blob store; the bytes never enter the database. */
  storageKey: string;
  /** For a crop: the image it was cut from. */
  parentBlobId?: string | null;
}

export function createBlobRepository(db: DbClient) {
  return {
    create(tenantId: string, input: CreateBlobInput): Promise<BlobRecord> {
      return db.blob.create({ data: { ...input, tenantId } });
    },

    get(tenantId: string, id: string): Promise<BlobRecord | null> {
      return db.blob.findFirst({ where: { id, tenantId } });
    },

    /** Which of `storageKeys` have a Blob row of this tenant (the orphan-file sweep keeps those). */
    async knownStorageKeys(tenantId: string, storageKeys: readonly string[]): Promise<Set<string>> {
      if (storageKeys.length === 0) return new Set();
      const rows = await db.blob.findMany({ where: { tenantId, storageKey: { in: [...storageKeys] } }, select: { storageKey: true } });
      return new Set(rows.map((r) => r.storageKey));
    },

    /** The newest crop cut from `parentBlobId`. */
    findCropOf(tenantId: string, parentBlobId: string): Promise<BlobRecord | null> {
      return db.blob.findFirst({ where: { tenantId, parentBlobId, kind: 'crop' }, orderBy: { createdAt: 'desc' } });
    },

    /** Every crop cut from one of `parentBlobIds`. */
    listCropsOf(tenantId: string, parentBlobIds: readonly string[]): Promise<BlobRecord[]> {
      if (parentBlobIds.length === 0) return Promise.resolve([]);
      return db.blob.findMany({ where: { tenantId, parentBlobId: { in: [...parentBlobIds] }, kind: 'crop' } });
    },

    /** Up to `limit` blobs stored before `before`, oldest first (the retention purge's batches). */
    listOlderThan(tenantId: string, before: Date, limit: number): Promise<BlobRecord[]> {
      return db.blob.findMany({ where: { tenantId, createdAt: { lt: before } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit });
    },

    /** Deletes the row (the caller deletes the stored bytes); false when absent. */
    async delete(tenantId: string, id: string): Promise<boolean> {
      const res = await db.blob.deleteMany({ where: { id, tenantId } });
      return res.count > 0;
    },

    /** Deletes the rows of this tenant among `ids`; returns how many went. */
    async deleteMany(tenantId: string, ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const res = await db.blob.deleteMany({ where: { tenantId, id: { in: [...ids] } } });
      return res.count;
    },
  };
}

export type BlobRepository = ReturnType<typeof createBlobRepository>;
