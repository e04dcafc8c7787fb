import type { JobError } from '@biogate/contracts';
import type { AuditEventInput, BlobRecord, JobRecord } from '@biogate/db';
import type { JobResult } from './finish.ts';

/** Actor of events whose job row predates the apiKeyId column. */
const UNKNOWN_ACTOR = 'unknown';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * The audit events of a job's outcome: the biometric records the job created, changed or read, and the
 * inputs its result erases (`erased`: their rows, read in the same transaction). Written by `finishJob` in the
 * transaction that stores the result, so an event exists exactly when its outcome was committed; the actor is
 * the API key that submitted the request.
 */
export function auditEventsFor(
  row: JobRecord,
  outcome: { result: JobResult } | { error: JobError },
  erased: readonly BlobRecord[],
): AuditEventInput[] {
  if (!('result' in outcome)) return [];
  const actor = row.apiKeyId ?? UNKNOWN_ACTOR;
  const input = (row.input ?? {}) as Record<string, unknown>;
  const { status, body } = outcome.result;
  const events: AuditEventInput[] = [];
  const add = (action: string, resourceType: string, resourceId: string | undefined, details?: AuditEventInput['details']) => {
    if (resourceId) events.push({ actor, action, resourceType, resourceId, details: { jobId: row.id, ...details } });
  };
  if (status === 200) {
    switch (row.name) {
      case 'face.enroll':
        if (text(input.userToken)) add('enrollment.update', 'enrollment', text(input.userToken));
        else add('enrollment.create', 'enrollment', text(body.user_token));
        break;
      case 'face.register':
        add('registration.create', 'registration', text(body.registration_key));
        break;
      case 'face.validate': {
        const registration = body.registration as { registration_key?: unknown } | null | undefined;
        add('validation.create', 'validation', text(body.validation_key), { registrationId: text(registration?.registration_key) ?? null });
        break;
      }
      case 'face.compare':
        add('enrollment.compare', 'enrollment', text(input.userToken));
        break;
    }
  }
  for (const blob of erased) {
    add(`${blob.kind === 'audio' ? 'audio' : 'image'}.delete`, blob.kind === 'audio' ? 'audio' : 'image', blob.id, { reason: 'not_kept' });
  }
  return events;
}
