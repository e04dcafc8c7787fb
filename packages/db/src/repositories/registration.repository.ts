import type { Registration, Validation, ValidationResult } from '../generated/client.ts';
import type { DbClient } from '../client.ts';

export type RegistrationRecord = Registration;
export type ValidationRecord = Validation;
export type { ValidationResult };

export interface CreateRegistrationInput {
  /** @defaultValue a random UUID */
  id?: string;
  /** CPF, 11 digits. */
  documentNumber: string;
  status: string;
  imageBlobId: string;
  cropBlobId?: string | null;
  /** Float32 little-endian bytes (see `embeddingToBytes`). */
  embedding: Uint8Array<ArrayBuffer>;
  modelVersion: string;
}

export interface CreateValidationInput {
  /** @defaultValue a random UUID */
  id?: string;
  documentNumber: string;
  imageBlobId: string;
  registrationId: string;
  similarity: number;
  similarityRatio: number;
  result: ValidationResult;
}

export function createRegistrationRepository(db: DbClient) {
  return {
    create(tenantId: string, input: CreateRegistrationInput): Promise<RegistrationRecord> {
      return db.registration.create({ data: { ...input, tenantId } });
    },

    get(tenantId: string, id: string): Promise<RegistrationRecord | null> {
      return db.registration.findFirst({ where: { id, tenantId } });
    },

    latestByDocument(tenantId: string, documentNumber: string): Promise<RegistrationRecord | null> {
      return db.registration.findFirst({ where: { tenantId, documentNumber }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    },

    /** Every registration of a CPF, newest first. */
    listByDocument(tenantId: string, documentNumber: string): Promise<RegistrationRecord[]> {
      return db.registration.findMany({ where: { tenantId, documentNumber }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    },

    /** Registrations whose embedding was computed from `imageBlobId`. */
    listByImage(tenantId: string, imageBlobId: string): Promise<RegistrationRecord[]> {
      return db.registration.findMany({ where: { tenantId, imageBlobId } });
    },

    /** Ids of up to `limit` registrations made before `before`, oldest first. */
    async listOlderThan(tenantId: string, before: Date, limit: number): Promise<string[]> {
      const rows = await db.registration.findMany({
        where: { tenantId, createdAt: { lt: before } },
        select: { id: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map((r) => r.id);
    },

    /** Deletes the row and its embedding (the caller erases the blobs); false when absent. */
    async delete(tenantId: string, id: string): Promise<boolean> {
      const res = await db.registration.deleteMany({ where: { id, tenantId } });
      return res.count > 0;
    },

    /** Deletes the registrations of this tenant among `ids`; returns how many went. */
    async deleteMany(tenantId: string, ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const res = await db.registration.deleteMany({ where: { tenantId, id: { in: [...ids] } } });
      return res.count;
    },
  };
}

export function createValidationRepository(db: DbClient) {
  return {
    create(tenantId: string, input: CreateValidationInput): Promise<ValidationRecord> {
      return db.validation.create({ data: { ...input, tenantId } });
    },

    get(tenantId: string, id: string): Promise<ValidationRecord | null> {
      return db.validation.findFirst({ where: { id, tenantId } });
    },

    /** Validations that used `imageBlobId` as their photo. */
    listByImage(tenantId: string, imageBlobId: string): Promise<ValidationRecord[]> {
      return db.validation.findMany({ where: { tenantId, imageBlobId } });
    },

    /** Ids of up to `limit` validations made before `before`, oldest first. */
    async listOlderThan(tenantId: string, before: Date, limit: number): Promise<string[]> {
      const rows = await db.validation.findMany({
        where: { tenantId, createdAt: { lt: before } },
        select: { id: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map((r) => r.id);
    },

    /** Deletes the validations of this tenant among `ids`; returns how many went. */
    async deleteMany(tenantId: string, ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const res = await db.validation.deleteMany({ where: { tenantId, id: { in: [...ids] } } });
      return res.count;
    },
  };
}

export type RegistrationRepository = ReturnType<typeof createRegistrationRepository>;
export type ValidationRepository = ReturnType<typeof createValidationRepository>;
