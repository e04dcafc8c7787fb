import type { FastifyInstance } from 'fastify';
import { BiogateError } from '@biogate/contracts';
import { readForm, requireConsent } from '../../lib/form.ts';
import { storeAudio } from '../../lib/media.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { submitAndSend } from '../../lib/submit.ts';

/** POST /v1/voice/compare (seed 001 "Voice Compare"): `audio_file1` + `audio_file2`, .wav or .ogg. */
export function voiceCompareRoutes(deps: RouteDeps) {
  const audio = { maxBytes: deps.limits.maxAudioBytes, tooLargeCode: 'audio_too_large' as const };
  return async function (app: FastifyInstance) {
    app.post('/v1/voice/compare', async (request, reply) => {
      const form = await readForm(request, { audio_file1: audio, audio_file2: audio });
      requireConsent(form.fields);
      const tenantId = request.auth.tenantId;
      if (!form.files.has('audio_file1') || !form.files.has('audio_file2')) {
        throw new BiogateError('audio_missing', 'send audio_file1 and audio_file2 (.wav or .ogg)');
      }
      const blob1 = await storeAudio(deps, tenantId, form.files.get('audio_file1'));
      const blob2 = await storeAudio(deps, tenantId, form.files.get('audio_file2'));
      return submitAndSend(deps, request, reply, {
        name: 'voice.compare',
        fields: form.fields,
        input: { audioBlobIds: [blob1.id, blob2.id] },
        build: (ids) => ({ ...ids, audio1: { blobId: blob1.id }, audio2: { blobId: blob2.id } }),
      });
    });
  };
}
