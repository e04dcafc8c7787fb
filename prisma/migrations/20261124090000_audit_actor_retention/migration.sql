-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "apiKeyId" TEXT,
ADD COLUMN     "purgedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "details" JSONB;

-- CreateIndex
CREATE INDEX "Job_tenantId_createdAt_idx" ON "Job"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "Blob_tenantId_createdAt_idx" ON "Blob"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "Enrollment_tenantId_updatedAt_idx" ON "Enrollment"("tenantId", "updatedAt");

-- CreateIndex
CREATE INDEX "Registration_tenantId_createdAt_idx" ON "Registration"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "Validation_tenantId_createdAt_idx" ON "Validation"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_resourceId_idx" ON "AuditEvent"("tenantId", "resourceId");
