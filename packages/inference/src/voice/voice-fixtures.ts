/**
 * Test fixtures for the voice tests: Debian recordings converted with sox/opusenc into a tmp dir (never
 * committed). Each helper reports why it cannot run instead of failing when a Debian package is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const CODEC2_WAV = '/usr/share/codec2/wav';
/** A held-out speaker (never in training): 13.5 s, 8 kHz 16-bit mono. */
export const VK5QI = join(CODEC2_WAV, 'vk5qi.wav');

function has(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why the conversion fixtures cannot be built here, or undefined when they can. */
export function missingVoiceTools(): string | undefined {
  if (!existsSync(VK5QI)) return 'Debian codec2-examples is not installed (apt-get install codec2-examples)';
  if (!has('sox')) return 'Debian sox is not installed (apt-get install sox)';
  if (!has('opusenc')) return 'Debian opus-tools is not installed (apt-get install opus-tools)';
  return undefined;
}

export interface Variant {
  name: string;
  /** sox output options, or 'opus' for opusenc. */
  args: string[] | 'opus';
  ext: 'wav' | 'ogg';
  rate: number;
}

/** Every WAV bit depth, rate and channel layout the decoder claims, plus Ogg Vorbis and Opus. */
export const VARIANTS: Variant[] = [
  { name: 'pcm8-8k-mono', args: ['-b', '8', '-e', 'unsigned-integer', '-r', '8000'], ext: 'wav', rate: 8000 },
  { name: 'pcm16-16k-mono', args: ['-b', '16', '-r', '16000'], ext: 'wav', rate: 16000 },
  { name: 'pcm24-44k1-stereo', args: ['-b', '24', '-r', '44100', '-c', '2'], ext: 'wav', rate: 44100 },
  { name: 'pcm32-22k05-mono', args: ['-b', '32', '-e', 'signed-integer', '-r', '22050'], ext: 'wav', rate: 22050 },
  { name: 'float32-48k-stereo', args: ['-b', '32', '-e', 'floating-point', '-r', '48000', '-c', '2'], ext: 'wav', rate: 48000 },
  { name: 'float64-11k025-mono', args: ['-b', '64', '-e', 'floating-point', '-r', '11025'], ext: 'wav', rate: 11025 },
  { name: 'alaw-8k', args: ['-e', 'a-law', '-r', '8000'], ext: 'wav', rate: 8000 },
  { name: 'mulaw-8k', args: ['-e', 'u-law', '-r', '8000'], ext: 'wav', rate: 8000 },
  { name: 'vorbis-16k', args: ['-r', '16000', '-C', '3'], ext: 'ogg', rate: 16000 },
  { name: 'opus-24kbps', args: 'opus', ext: 'ogg', rate: 48000 },
];

/** Converts `source` into `dir/<name>.<ext>` and returns the path. */
export function convert(source: string, dir: string, v: Variant): string {
  const out = join(dir, `${v.name}.${v.ext}`);
  if (v.args === 'opus') execFileSync('opusenc', ['--quiet', '--bitrate', '24', source, out]);
  else execFileSync('sox', [source, ...v.args, out]);
  return out;
}

/** Cuts `seconds` from `start` of a recording with sox (same format). */
export function trim(source: string, out: string, start: number, seconds: number): string {
  execFileSync('sox', [source, out, 'trim', String(start), String(seconds)]);
  return out;
}
