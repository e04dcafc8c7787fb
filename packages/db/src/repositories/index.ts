import type { DbClient } from '../client.ts';
import { createAuditRepository } from './audit.repository.ts';
import { createBlobRepository } from './blob.repository.ts';
import { createEnrollmentRepository } from './enrollment.repository.ts';
import { createJobRepository } from './job.repository.ts';
import { createRegistrationRepository, createValidationRepository } from './registration.repository.ts';
import { createTenantRepository } from './tenant.repository.ts';
import { createWebhookRepository } from './webhook.repository.ts';

/** Every repository over one client (the Prisma client, or `tx` inside `withTransaction`). */
export function createRepositories(db: DbClient) {
  return {
    tenants: createTenantRepository(db),
    jobs: createJobRepository(db),
    blobs: createBlobRepository(db),
    enrollments: createEnrollmentRepository(db),
    registrations: createRegistrationRepository(db),
    validations: createValidationRepository(db),
    webhooks: createWebhookRepository(db),
    audit: createAuditRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

export * from './audit.repository.ts';
export * from './blob.repository.ts';
export * from './enrollment.repository.ts';
export * from './job.repository.ts';
export * from './registration.repository.ts';
export * from './tenant.repository.ts';
export * from './webhook.repository.ts';
