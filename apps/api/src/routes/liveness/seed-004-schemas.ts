import { SEED004_ERRORS } from './seed-004-errors.ts';

/** OpenAPI shapes of seed 004's answers (documentation only: bodies are built by the worker and sent as is). */

const int = { type: 'integer' };

export const SEED004_BODY_SCHEMA = {
  type: 'object',
  required: ['sessionId', 'hasError'],
  properties: {
    sessionId: { type: ['string', 'null'] },
    hasError: { type: 'boolean' },
    face: {
      type: 'object',
      required: ['age', 'gender', 'passiveLivenessScore', 'rectangle'],
      properties: {
        age: { type: 'integer', description: 'years; -10000 when not estimated' },
        gender: { type: 'integer', enum: [1, 0, -10000], description: '1 male, 0 female, -10000 unknown' },
        passiveLivenessScore: { type: 'number', minimum: 0, maximum: 1 },
        rectangle: { type: 'object', required: ['top', 'left', 'width', 'height'], properties: { top: int, left: int, width: int, height: int } },
        faceImageBase: { type: 'string', description: 'base64 JPEG of the face, with returnFaceImage only' },
      },
    },
    error: { type: 'string', enum: [...SEED004_ERRORS] },
    code: { type: 'string', description: 'biogate error code (refusals made before analysis)' },
    message: { type: 'string' },
  },
};

/** Replaces the generic response schemas of `documented()` with seed 004's envelope, keeping descriptions. */
export function seed004Responses(responses: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(responses ?? {}).map(([status, value]) => {
      const description = (value as { description?: string }).description ?? '';
      return [status, status === '202' ? value : { ...SEED004_BODY_SCHEMA, description }];
    }),
  );
}
