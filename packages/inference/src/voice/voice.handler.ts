/** Thread-side voice handler (placeholder until the model lands). */
import { AudioInputError } from './audio-errors.ts';

export type VoiceTask = { domain: 'voice'; op: 'compare'; audio1: Uint8Array; audio2: Uint8Array };

export async function handleVoiceTask(_task: VoiceTask): Promise<{ similarity: number }> {
  throw new AudioInputError('unsupported_media_type', 'voice compare is not available yet');
}
