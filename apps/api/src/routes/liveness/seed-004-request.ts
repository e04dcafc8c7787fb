import { BiogateError } from '@biogate/contracts';
import { decodeBase64Image } from '../../lib/base64.ts';

/** Longest accepted `sessionId`; it is echoed back and travels in the job payload (an id, never an image). */
export const MAX_SESSION_ID_LENGTH = 256;

export interface Seed004Request {
  sessionId: string;
  image: Buffer;
  returnFaceImage: boolean;
}

/** Validates the seed 004 JSON body; every refusal is `invalid_request` (or an image_* code from decoding). */
export function parseSeed004Body(body: unknown, maxImageBytes: number): Seed004Request {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new BiogateError('invalid_request', 'the body must be a JSON object {sessionId, faceImageBase, returnFaceImage}');
  }
  const { sessionId, faceImageBase, returnFaceImage } = body as Record<string, unknown>;
  if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > MAX_SESSION_ID_LENGTH) {
    throw new BiogateError('invalid_request', `sessionId is required: a string of 1 to ${MAX_SESSION_ID_LENGTH} characters`);
  }
  if (typeof faceImageBase === 'string' && /^\s*[a-z][a-z0-9+.-]*:\/\//i.test(faceImageBase)) {
    throw new BiogateError(
      'invalid_request',
      'faceImageBase must be the image itself in base64: URLs are not fetched (this server makes no outbound requests)',
    );
  }
  let wantsImage = false;
  if (returnFaceImage === true || returnFaceImage === 'true') wantsImage = true;
  else if (returnFaceImage !== undefined && returnFaceImage !== false && returnFaceImage !== 'false' && returnFaceImage !== null) {
    throw new BiogateError('invalid_request', 'returnFaceImage must be a boolean');
  }
  return { sessionId, image: decodeBase64Image(faceImageBase, maxImageBytes, 'faceImageBase'), returnFaceImage: wantsImage };
}
