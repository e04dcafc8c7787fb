import { BiogateError, type DetectFormat } from '@biogate/contracts';
import { processor } from '../lib/run.ts';
import { analyzeBlob } from '../lib/faces.ts';
import { secondsSince } from '../lib/blobs.ts';
import type { ProcessorContext } from '../lib/context.ts';
import type { JobResult } from '../lib/finish.ts';
import { presenters, type DetectPresenterInput } from '../presenters/index.ts';

/**
 * face.detect: one measurement pipeline, shaped by `format` into the native/seed-001 Detect object, the seed
 * 000 quality gate, seed 003's stateless quality list or seed 004's detect-with-liveness.
 */
export function faceDetectProcessor(ctx: ProcessorContext) {
  return processor<'face.detect'>(ctx, async (payload): Promise<JobResult> => {
    const started = performance.now();
    const format: DetectFormat = payload.format;
    const present = presenters[format];
    if (!present) throw new BiogateError('invalid_request', `this worker cannot produce format ${format}`);
    const output = await analyzeBlob(ctx, payload.tenantId, payload.image.blobId, {
      ...present.analyses(payload.options),
    });
    const input: DetectPresenterInput = {
      ctx,
      payload,
      output,
      timeTaken: secondsSince(started),
    };
    return present.present(input);
  });
}
