/** OpenAPI shapes of seed 003's answers (documentation only: bodies are built by the worker and sent as is). */

const num = { type: 'number' };
const int = { type: 'integer' };
const obj = (properties: Record<string, unknown>) => ({ type: 'object', properties, required: Object.keys(properties) });

export const SEED003_FACE_SCHEMA = obj({
  rect: obj({ left: int, top: int, right: int, bottom: int }),
  pose: obj({ yaw: num, pitch: num, roll: num }),
  occlusion: obj({ left_eye: num, right_eye: num, nose: num, mouth: num, total: num }),
  distance2center: num,
  size: num,
  brightness: num,
  sharpness: num,
  mouth_open: num,
  integrity: num,
});

export const SEED003_OK_SCHEMA = obj({
  code: { type: 'integer', enum: [1000] },
  faces: { type: 'array', items: SEED003_FACE_SCHEMA },
  request_id: { type: 'string' },
});

export const SEED003_ERROR_SCHEMA = obj({
  code: { type: 'integer', description: '1200, 2003, 2004, 2005, 4000, or 1000 + HTTP status for other refusals' },
  message: { type: 'string' },
  request_id: { type: 'string' },
});

/** Replaces the generic response schemas of `documented()` with seed 003's own shapes, keeping descriptions. */
export function seed003Responses(responses: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(responses ?? {}).map(([status, value]) => {
      const description = (value as { description?: string }).description ?? '';
      if (status === '200') return [status, { ...SEED003_OK_SCHEMA, description }];
      if (Number(status) >= 400) return [status, { ...SEED003_ERROR_SCHEMA, description }];
      return [status, value];
    }),
  );
}
