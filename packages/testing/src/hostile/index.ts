/**
 * Hostile-input corpus: malformed inputs generated in code, each with the answer the API documents for it.
 * Used by tests/hostile-input.integration.test.ts against the real HTTP API.
 */
import { makeImageSamples } from './image-samples.ts';
import { imageCases } from './image-cases.ts';
import { requestCases } from './request-cases.ts';
import type { HostileCase } from './types.ts';

export * from './types.ts';
export { makeImageSamples, type ImageSamples } from './image-samples.ts';
export { wav } from './request-cases.ts';

/** Every case; `maxImageBytes` must match the API's MAX_IMAGE_BYTES. */
export async function hostileCorpus(options: { maxImageBytes?: number } = {}): Promise<HostileCase[]> {
  const samples = await makeImageSamples();
  const cases = [...imageCases(samples), ...requestCases({ jpeg: samples.jpeg, ...options })];
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`duplicate hostile case name: ${c.name}`);
    names.add(c.name);
  }
  return cases;
}
