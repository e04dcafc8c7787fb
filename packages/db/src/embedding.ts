/** Float32 embedding -> little-endian bytes for a `Bytes` column (a copy, whatever the platform's byte order). */
export function embeddingToBytes(embedding: Float32Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(embedding.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < embedding.length; i++) view.setFloat32(i * 4, embedding[i]!, true);
  return out;
}

/** Bytes from a `Bytes` column -> Float32 embedding (copied, so any byte offset works). */
export function bytesToEmbedding(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`embedding byte length ${bytes.byteLength} is not a multiple of 4`);
  const out = new Float32Array(bytes.byteLength / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
