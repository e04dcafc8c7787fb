import type { FastifyInstance } from 'fastify';
import { BiogateError } from '@biogate/contracts';
import { readForm, requireConsent, requireFormEncoding } from '../../lib/form.ts';
import { stageAudio } from '../../lib/media.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { submitAndSend } from '../../lib/submit.ts';
import { documented } from '../../plugins/openapi.ts';

/** POST /v1/voice/compare (seed 001 "Voice Compare"): `audio_file1` + `audio_file2`, .wav or .ogg. */
export function voiceCompareRoutes(deps: RouteDeps) {
  const audio = { maxBytes: deps.limits.maxAudioBytes, tooLargeCode: 'audio_too_large' as const };
  return async function (app: FastifyInstance) {
    app.post('/v1/voice/compare', documented({
      summary: 'Compare the speakers of two recordings',
      tags: ['v1 voice'],
      files: { audio_file1: '.wav (PCM/float) or .ogg (Vorbis/Opus), at most 10 MB and 60 s', audio_file2: 'the other recording' },
      fields: { client_declaration_enduser_consent: 'must be true: the end user consented to biometric processing',
      async: 'true to answer 202 {job_id, status_url} at once',
      callback_url: 'URL receiving the result as a signed webhook (makes the request asynchronous)',
      },
      required: ['audio_file1', 'audio_file2', 'client_declaration_enduser_consent'],
      responses: { 200: '{similarity, time_taken} (plus match, defaultThresholds, engine)', 202: 'accepted (async)', 400: 'bad input', 401: 'no or bad API key', 413: 'too large', 415: 'not WAV or Ogg, or not multipart/form-data', 422: 'too little speech', 504: 'not finished in time; poll the job' },
    }), async (request, reply) => {
      requireFormEncoding(request, { json: false });
      const form = await readForm(request, { audio_file1: audio, audio_file2: audio });
      requireConsent(form.fields);
      const tenantId = request.auth.tenantId;
      if (!form.files.has('audio_file1') || !form.files.has('audio_file2')) {
        throw new BiogateError('audio_missing', 'send audio_file1 and audio_file2 (.wav or .ogg)');
      }
      const blob1 = await stageAudio(deps, request, form.files.get('audio_file1'));
      const blob2 = await stageAudio(deps, request, form.files.get('audio_file2'));
      return submitAndSend(deps, request, reply, {
        name: 'voice.compare',
        fields: form.fields,
        input: { audioBlobIds: [blob1.id, blob2.id] },
        build: (ids) => ({ ...ids, audio1: { blobId: blob1.id }, audio2: { blobId: blob2.id } }),
      });
    });
  };
}
