/**
 * Detectors for biometric data where it must never be: logs, Redis job payloads, error bodies.
 * Each returns a short description of the first hit (never the data itself), or undefined.
 */

/** A base64 run long enough to be an image or audio fragment (200+ chars, ~150 bytes). */
const BASE64_RUN = /[A-Za-z0-9+/]{200,}={0,2}|[A-Za-z0-9_-]{200,}/;
/** 16+ decimal numbers in a flat array: the shape of an embedding or a feature vector. */
const FLOAT_ARRAY = /\[\s*-?\d+(?:\.\d+)?(?:e-?\d+)?(?:\s*,\s*-?\d+(?:\.\d+)?(?:e-?\d+)?){15,}\s*\]/i;
/** A serialised Buffer / typed array: {"type":"Buffer","data":[...]} or {"0":12,"1":200,...}. */
const SERIALISED_BYTES = /"type"\s*:\s*"Buffer"\s*,\s*"data"\s*:\s*\[|\{\s*"0"\s*:\s*-?\d+(?:\.\d+)?\s*,\s*"1"\s*:/;
/** A long hex run (embedding bytes or an image dumped as hex). */
const HEX_RUN = /[0-9a-f]{512,}/i;

export function findLeak(text: string, known: readonly string[] = []): string | undefined {
  for (const fragment of known) if (fragment.length >= 24 && text.includes(fragment)) return 'a fragment of an uploaded file';
  if (BASE64_RUN.test(text)) return 'a long base64 run';
  if (FLOAT_ARRAY.test(text)) return 'an array of 16+ numbers (embedding-like)';
  if (SERIALISED_BYTES.test(text)) return 'a serialised byte array';
  if (HEX_RUN.test(text)) return 'a long hex run';
  return undefined;
}

/** Fragments of an uploaded file as they could appear in text: base64 (std/url) and latin1 slices. */
export function fragmentsOf(bytes: Uint8Array): string[] {
  const buf = Buffer.from(bytes);
  const out: string[] = [];
  for (const at of [0.25, 0.5, 0.75].map((f) => Math.floor(buf.length * f) - (Math.floor(buf.length * f) % 3))) {
    const slice = buf.subarray(at, at + 48);
    if (slice.length < 48) continue;
    out.push(slice.toString('base64'), slice.toString('base64url'), slice.toString('hex'));
  }
  return out;
}
