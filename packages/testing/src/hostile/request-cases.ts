import type { HostileCase, HostileExpectation } from './types.ts';

const CONSENT = { name: 'client_declaration_enduser_consent', value: 'true' };
const TRAVERSAL = '..%2F..%2Fetc%2Fpasswd';
const refused = (status: number, code: string | number): HostileExpectation => ({ status, code });

export interface RequestCaseOptions {
  /** A valid small JPEG, for cases whose point is elsewhere. */
  jpeg: Buffer;
  /** The API's MAX_IMAGE_BYTES. @defaultValue 3 MiB */
  maxImageBytes?: number;
}

/** A WAV header declaring `dataBytes` of 16 kHz mono PCM, followed by `actualBytes` of silence. */
export function wav(dataBytes: number, actualBytes = dataBytes): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(Math.min(36 + dataBytes, 0xffffffff), 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(16_000, 24);
  h.writeUInt32LE(32_000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes >>> 0, 40);
  return Buffer.concat([h, Buffer.alloc(actualBytes)]);
}

/** Request-shape cases: oversized bodies, malformed JSON, CPFs, traversal, injection, audio, auth. */
export function requestCases(o: RequestCaseOptions): HostileCase[] {
  const max = o.maxImageBytes ?? 3 * 1024 * 1024;
  const b64 = o.jpeg.toString('base64');
  const detectJson = (value: unknown): HostileCase['body'] => ({ kind: 'json', value });
  const voice = (a: Uint8Array, b: Uint8Array) => ({
    kind: 'multipart' as const,
    parts: [CONSENT, { name: 'audio_file1', value: a, filename: 'a.wav' }, { name: 'audio_file2', value: b, filename: 'b.wav' }],
  });
  const register = (document_number: unknown, extra: Record<string, unknown> = {}): HostileCase['body'] => ({
    kind: 'json',
    value: { document_number, image: b64, ...extra },
  });
  const oversizedJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(max + 1024, 0x41)]);

  return [
    // Oversized bodies
    { name: 'multipart image one KiB over the limit', category: 'oversize', method: 'POST', path: '/v1/face/detect',
      body: { kind: 'multipart', parts: [CONSENT, { name: 'image_file', value: oversizedJpeg, filename: 'big.jpg' }] },
      expect: refused(413, 'image_too_large') },
    { name: 'base64 image just over the limit (fits the body limit)', category: 'oversize', method: 'POST', path: '/v1/face/detect',
      body: detectJson({ client_declaration_enduser_consent: true, image: Buffer.alloc(max + 3000, 0x41).toString('base64') }),
      expect: refused(413, 'image_too_large') },
    { name: 'base64 body far over the body limit', category: 'oversize', method: 'POST', path: '/v1/face/detect',
      body: detectJson({ client_declaration_enduser_consent: true, image: 'A'.repeat(max * 2) }),
      expect: refused(413, 'payload_too_large') },
    { name: 'multipart with 60 text parts', category: 'oversize', method: 'POST', path: '/v1/face/detect',
      body: { kind: 'multipart', parts: [CONSENT, ...Array.from({ length: 60 }, (_, i) => ({ name: `f${i}`, value: 'x' }))] },
      expect: refused(413, 'payload_too_large') },
    { name: 'multipart with 6 files', category: 'oversize', method: 'POST', path: '/v1/face/detect',
      body: { kind: 'multipart', parts: [CONSENT, ...Array.from({ length: 6 }, (_, i) => ({ name: `image_file${i}`, value: o.jpeg, filename: 'x.jpg' }))] },
      expect: refused(413, 'payload_too_large') },
    { name: 'seed 000: base64 over the limit', category: 'oversize', method: 'POST', path: '/face_recognition/image',
      body: detectJson({ image: Buffer.alloc(max + 3000, 0x41).toString('base64') }), expect: refused(400, 'image_too_large') },
    { name: 'audio over 10 MiB', category: 'oversize', method: 'POST', path: '/v1/voice/compare',
      body: voice(wav(10 * 1024 * 1024 + 100), wav(32_000)), expect: refused(413, 'audio_too_large') },

    // Malformed JSON and wrong types
    { name: 'truncated JSON', category: 'json', method: 'POST', path: '/v1/face/detect',
      body: { kind: 'raw', contentType: 'application/json', bytes: '{"image": "/9j/4AAQ' }, expect: refused(400, 'invalid_request') },
    { name: 'empty JSON body', category: 'json', method: 'POST', path: '/face_recognition/image',
      body: { kind: 'raw', contentType: 'application/json', bytes: '' }, expect: refused(400, 'invalid_request') },
    { name: 'JSON null', category: 'json', method: 'POST', path: '/face_recognition/image',
      body: { kind: 'raw', contentType: 'application/json', bytes: 'null' }, expect: refused(400, 'image_missing') },
    { name: 'JSON with __proto__ key', category: 'json', method: 'POST', path: '/face_recognition/image',
      body: { kind: 'raw', contentType: 'application/json', bytes: `{"__proto__": {"isAdmin": true}, "image": "${b64.slice(0, 64)}"}` },
      expect: refused(400, 'invalid_request') },
    { name: 'JSON with constructor.prototype', category: 'json', method: 'POST', path: '/face_recognition/image',
      body: { kind: 'raw', contentType: 'application/json', bytes: '{"constructor": {"prototype": {"isAdmin": true}}}' },
      expect: refused(400, 'invalid_request') },
    { name: 'JSON nested 100000 deep', category: 'json', method: 'POST', path: '/face_recognition/image',
      body: { kind: 'raw', contentType: 'application/json', bytes: '['.repeat(100_000) + ']'.repeat(100_000) },
      expect: refused(400, 'image_missing'), note: 'V8 parses it (no stack overflow); an array body has no image' },
    { name: 'image as a number', category: 'json', method: 'POST', path: '/face_recognition/image',
      body: detectJson({ image: 12345 }), expect: refused(400, 'image_invalid_base64') },
    { name: 'image as an array', category: 'json', method: 'POST', path: '/face_recognition/image',
      body: detectJson({ image: [b64] }), expect: refused(400, 'image_invalid_base64') },
    { name: 'image not base64', category: 'json', method: 'POST', path: '/face_recognition/image',
      body: detectJson({ image: '!!!!not*base64!!!!' }), expect: refused(400, 'image_invalid_base64') },
    { name: 'base64 of impossible length', category: 'json', method: 'POST', path: '/face_recognition/image',
      body: detectJson({ image: 'AAAAA' }), expect: refused(400, 'image_invalid_base64') },
    { name: 'image empty string', category: 'json', method: 'POST', path: '/face_recognition/image',
      body: detectJson({ image: '' }), expect: refused(400, 'image_missing') },
    { name: 'JSON sent as text/plain', category: 'json', method: 'POST', path: '/face_recognition/image',
      body: { kind: 'raw', contentType: 'text/plain', bytes: `{"image":"${b64.slice(0, 64)}"}` }, expect: refused(400, 'image_missing'),
      note: 'text/plain is read as a string, never as JSON, so no image field exists' },
    { name: 'multipart without a boundary', category: 'json', method: 'POST', path: '/v1/face/detect',
      body: { kind: 'raw', contentType: 'multipart/form-data', bytes: 'garbage' }, expect: refused(400, 'invalid_request') },
    { name: 'multipart body never closed', category: 'json', method: 'POST', path: '/v1/face/detect',
      body: { kind: 'raw', contentType: 'multipart/form-data; boundary=XyZ', bytes: '--XyZ\r\nContent-Disposition: form-data; name="client_declaration_enduser_consent"\r\n\r\ntrue\r\n--XyZ\r\nContent-Disposition: form-data; name="image_file"; filename="a.jpg"\r\n\r\n\xff\xd8\xff' },
      expect: refused(400, 'invalid_request') },
    { name: 'consent missing', category: 'json', method: 'POST', path: '/v1/face/detect',
      body: { kind: 'multipart', parts: [{ name: 'image_file', value: o.jpeg, filename: 'a.jpg' }] }, expect: refused(400, 'consent_required') },
    { name: 'consent "yes"', category: 'json', method: 'POST', path: '/v1/face/detect',
      body: { kind: 'multipart', parts: [{ name: 'client_declaration_enduser_consent', value: 'yes' }, { name: 'image_file', value: o.jpeg, filename: 'a.jpg' }] },
      expect: refused(400, 'consent_required') },

    // CPFs
    ...['123.456.789-00', '11111111111', '000.000.000-00', '1234567890', '123456789012', '123.456.789/09', 'abcdefghijk', '', ' ', '１２３４５６７８９０９']
      .map((cpf): HostileCase => ({ name: `invalid CPF ${JSON.stringify(cpf)}`, category: 'cpf', method: 'POST', path: '/face_recognition/registration',
        body: register(cpf), expect: refused(400, 'invalid_request') })),
    { name: 'CPF as an object', category: 'cpf', method: 'POST', path: '/face_recognition/registration',
      body: register({ $gt: '' }), expect: refused(400, 'invalid_request') },
    { name: 'CPF missing', category: 'cpf', method: 'POST', path: '/face_recognition/validation',
      body: detectJson({ image: b64 }), expect: refused(400, 'invalid_request') },

    // Path traversal in keys and ids
    { name: 'job id traversal', category: 'traversal', method: 'GET', path: `/v1/jobs/${TRAVERSAL}`, expect: refused(404, 'not_found') },
    { name: 'job id with a null byte', category: 'traversal', method: 'GET', path: '/v1/jobs/%00', expect: refused(404, 'not_found') },
    { name: 'image_key traversal (metadata)', category: 'traversal', method: 'GET', path: `/face_recognition/image/${TRAVERSAL}`, expect: refused(404, 'not_found') },
    { name: 'image_key traversal (file)', category: 'traversal', method: 'GET', path: `/face_recognition/image/${TRAVERSAL}/file`, expect: refused(404, 'not_found') },
    { name: 'image_key traversal in a registration', category: 'traversal', method: 'POST', path: '/face_recognition/registration',
      body: { kind: 'json', value: { document_number: '529.982.247-25', image_key: '../../etc/passwd' } }, expect: refused(404, 'not_found') },
    { name: 'registration key traversal', category: 'traversal', method: 'GET', path: `/face_recognition/registration/${TRAVERSAL}`, expect: refused(404, 'not_found') },
    { name: 'user_token traversal (delete)', category: 'traversal', method: 'DELETE', path: `/v1/enrollments/${TRAVERSAL}`, expect: refused(404, 'not_found') },
    { name: 'user_token traversal (update)', category: 'traversal', method: 'PUT', path: `/v1/enrollments/${TRAVERSAL}`,
      body: { kind: 'multipart', parts: [CONSENT, { name: 'image_file', value: o.jpeg, filename: 'a.jpg' }] }, expect: refused(404, 'not_found') },
    { name: 'user_token traversal (compare)', category: 'traversal', method: 'POST', path: '/v1/face/compare',
      body: { kind: 'multipart', parts: [CONSENT, { name: 'user_token', value: '../../etc/passwd' }, { name: 'image_file', value: o.jpeg, filename: 'a.jpg' }] },
      expect: refused(404, 'not_found') },

    // Injection strings
    { name: 'SQL in user_token', category: 'injection', method: 'DELETE', path: `/v1/enrollments/${encodeURIComponent("' OR 1=1; DROP TABLE jobs; --")}`, expect: refused(404, 'not_found') },
    { name: 'SQL in image_key', category: 'injection', method: 'GET', path: `/face_recognition/image/${encodeURIComponent("1' OR '1'='1")}`, expect: refused(404, 'not_found') },
    { name: 'SQL in document_number', category: 'injection', method: 'POST', path: '/face_recognition/registration',
      body: register("'; DROP TABLE registrations; --"), expect: refused(400, 'invalid_request') },
    { name: 'javascript: callback_url', category: 'injection', method: 'POST', path: '/v1/face/detect?callback_url=javascript%3Aalert(1)',
      body: { kind: 'multipart', parts: [CONSENT, { name: 'image_file', value: o.jpeg, filename: 'a.jpg' }] }, expect: refused(400, 'invalid_request') },
    { name: 'file: callback_url', category: 'injection', method: 'POST', path: '/v1/face/detect?callback_url=file%3A%2F%2F%2Fetc%2Fpasswd',
      body: { kind: 'multipart', parts: [CONSENT, { name: 'image_file', value: o.jpeg, filename: 'a.jpg' }] }, expect: refused(400, 'invalid_request') },
    { name: 'SQL in the API key', category: 'auth', method: 'GET', path: '/v1/enrollments', apiKey: "' OR '1'='1", expect: refused(401, 'unauthorized') },
    { name: 'no API key', category: 'auth', method: 'GET', path: '/v1/enrollments', apiKey: null, expect: refused(401, 'unauthorized') },
    { name: 'API key of 10 KB', category: 'auth', method: 'GET', path: '/v1/enrollments', apiKey: 'k'.repeat(10_000), expect: refused(401, 'unauthorized') },

    // Audio
    { name: 'audio: random bytes', category: 'audio', method: 'POST', path: '/v1/voice/compare',
      body: voice(Buffer.alloc(4000, 0x5a), wav(32_000)), expect: refused(415, 'unsupported_media_type') },
    { name: 'audio: jpeg sent as wav', category: 'audio', method: 'POST', path: '/v1/voice/compare',
      body: voice(o.jpeg, wav(32_000)), expect: refused(415, 'unsupported_media_type') },
    { name: 'audio: wav header declaring 4 GB', category: 'audio', method: 'POST', path: '/v1/voice/compare',
      body: voice(wav(0xfffffff0, 32_000), wav(32_000)), expect: refused(400, 'audio_corrupt') },
    { name: 'audio: wav cut inside its header', category: 'audio', method: 'POST', path: '/v1/voice/compare',
      body: voice(wav(32_000).subarray(0, 30), wav(32_000)), expect: refused(400, 'audio_corrupt') },
    { name: 'audio: ogg magic then junk', category: 'audio', method: 'POST', path: '/v1/voice/compare',
      body: voice(Buffer.concat([Buffer.from('OggS'), Buffer.alloc(200, 0x11)]), wav(32_000)), expect: refused(400, 'audio_corrupt') },
    { name: 'audio: second file missing', category: 'audio', method: 'POST', path: '/v1/voice/compare',
      body: { kind: 'multipart', parts: [CONSENT, { name: 'audio_file1', value: wav(32_000), filename: 'a.wav' }] }, expect: refused(400, 'audio_missing') },
    // Seed 003 answers numeric codes
    { name: 'seed 003: encrypted_image garbage', category: 'injection', method: 'POST', path: '/quality/face/stateless',
      body: { kind: 'raw', contentType: 'application/x-www-form-urlencoded', bytes: 'encrypted_image=%3Cscript%3E' }, expect: refused(400, 1200) },
  ];
}
