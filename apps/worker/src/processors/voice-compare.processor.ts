import { ERROR_CATALOG } from '@biogate/contracts';
import type { VoiceOutcome } from '@biogate/inference';
import { processor } from '../lib/run.ts';
import { readBlob, secondsSince } from '../lib/blobs.ts';
import type { ProcessorContext } from '../lib/context.ts';

/**
 * voice.compare (seed 001 "Voice Compare"): speaker similarity of two recordings, decoded and scored in the
 * pool. Undecodable audio or too little speech is an expected outcome answered with its 4xx.
 */
export function voiceCompareProcessor(ctx: ProcessorContext) {
  return processor<'voice.compare'>(ctx, async (payload) => {
    const started = performance.now();
    const [audio1, audio2] = await Promise.all([
      readBlob(ctx, payload.tenantId, payload.audio1.blobId),
      readBlob(ctx, payload.tenantId, payload.audio2.blobId),
    ]);
    const a = new Uint8Array(audio1);
    const b = new Uint8Array(audio2);
    const outcome = await ctx.pool.run<VoiceOutcome>(
      { domain: 'voice', op: 'compare', audio1: a, audio2: b },
      [a.buffer as ArrayBuffer, b.buffer as ArrayBuffer],
    );
    // The recordings are not kept: erased once the result commits.
    const erase = [payload.audio1.blobId, payload.audio2.blobId];
    if (!outcome.ok) {
      const entry = ERROR_CATALOG[outcome.code];
      return {
        status: entry.status,
        body: { title: entry.title, code: outcome.code, description: outcome.message, time_taken: secondsSince(started) },
        erase,
      };
    }
    return {
      status: 200,
      body: {
        similarity: Number(outcome.similarity.toFixed(4)),
        match: outcome.match,
        defaultThresholds: { similarity: outcome.threshold },
        // Model name and version: since 5.0.0 two built-in models share a version, and the name says which scored.
        engine: `${outcome.engine}@${outcome.modelVersion}`,
        time_taken: secondsSince(started),
      },
      erase,
    };
  });
}
