import { processor } from '../lib/run.ts';
import { readBlob, secondsSince } from '../lib/blobs.ts';
import type { ProcessorContext } from '../lib/context.ts';

/** voice.compare (seed 001 "Voice Compare"): speaker similarity of two recordings, computed in the pool. */
export function voiceCompareProcessor(ctx: ProcessorContext) {
  return processor<'voice.compare'>(ctx, async (payload) => {
    const started = performance.now();
    const [audio1, audio2] = await Promise.all([
      readBlob(ctx, payload.tenantId, payload.audio1.blobId),
      readBlob(ctx, payload.tenantId, payload.audio2.blobId),
    ]);
    const outcome = await ctx.pool.compareVoices(audio1, audio2);
    if (!outcome.ok) {
      return {
        status: outcome.status,
        body: { title: 'invalid_audio', code: outcome.code, description: outcome.message, time_taken: secondsSince(started) },
      };
    }
    return {
      status: 200,
      body: {
        similarity: Number(outcome.similarity.toFixed(4)),
        defaultThresholds: { similarity: outcome.threshold },
        time_taken: secondsSince(started),
      },
    };
  });
}
