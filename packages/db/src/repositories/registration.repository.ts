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
  };
}

export type RegistrationRepository = ReturnType<typeof createRegistrationRepository>;
export type ValidationRepository = ReturnType<typeof createValidationRepository>;
