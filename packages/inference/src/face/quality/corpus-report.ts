/**
 * Prints the accuracy tables of docs/quality.md (run: `npx tsx packages/inference/src/face/quality/corpus-report.ts`).
 * - every degradation of DEGRADATIONS applied to every real single-person photo: how often the expected reason
 *   appears, and how often a must-not reason appears that the clean photo did not already have;
 * - hand-labelled real photos: accessories, closed eyes, gender.
 * A script, not a test: ~40 s of CPU.
 */
import { readFileSync } from 'node:fs';
import type { FaceAnalysis } from '@biogate/contracts';
import { CLM_PHOTOS, FRANCK_FRAMES, debianMedia, sampleMedia, type ClmPhotoName } from '@biogate/testing';
import { DEFAULT_MODELS_DIR } from '../../models.ts';
import { analyzeImage } from '../analyze.ts';
import { FaceModels } from '../face-models.ts';
import { DEGRADATIONS } from './degradations.ts';
import { QUALITY_STAGES } from './quality.stage.ts';

/** Public figures' genders (identity labels of @biogate/testing). */
const GENDER: Record<string, 'male' | 'female'> = {
  bieber: 'male', connery: 'male', audrey: 'female', cage: 'male', franck: 'male', murray: 'male', norris: 'male',
  clooney: 'male', kardashian: 'female', obama: 'male', queen: 'female', rihanna: 'female', schwarzenegger: 'male', cranston: 'male',
};

const media = sampleMedia();
/** `--details` lists every miss and every must-not hit. */
const details = process.argv.includes('--details');
const models = new FaceModels({ modelsDir: DEFAULT_MODELS_DIR });
const analyze = async (bytes: Uint8Array): Promise<FaceAnalysis> =>
  (await analyzeImage({ models, stages: QUALITY_STAGES }, bytes, { quality: true, attributes: true })).analysis;

const persons = (Object.keys(CLM_PHOTOS) as ClmPhotoName[]).filter((n) => CLM_PHOTOS[n].kind === 'person');
const bases: { name: string; path: string; identity: string; tags: readonly string[] }[] = [
  ...persons.map((n) => ({ name: n, path: media.photos[n], identity: (CLM_PHOTOS[n] as { identity: string }).identity, tags: CLM_PHOTOS[n].tags })),
  ...media.franck.map((p) => ({ name: p.split('/').pop()!, path: p, identity: 'franck', tags: FRANCK_FRAMES[p.split('/').pop() as keyof typeof FRANCK_FRAMES] })),
];
const astronaut = debianMedia().astronaut;
if (astronaut) bases.push({ name: 'astronaut.png', path: astronaut, identity: 'collins', tags: [] });
GENDER.collins = 'female';

const tally = new Map<string, { n: number; hit: number; noFace: number; already: number; newMustNot: number; side: Map<string, number> }>();
const labelled = { sunglasses: [0, 0, 0, 0], glasses: [0, 0, 0, 0], hat: [0, 0, 0, 0], eyesClosed: [0, 0, 0, 0], gender: [0, 0] };
const cm = (row: number[], truth: boolean, said: boolean) => (row[(truth ? 0 : 2) + (said ? 0 : 1)]! += 1); // TP FN FP TN

for (const b of bases) {
  const bytes = readFileSync(b.path);
  const clean = await analyze(bytes);
  const face = clean.faces[0];
  if (!face) continue;
  const o = face.occlusion!;
  cm(labelled.sunglasses, b.tags.includes('sunglasses'), o.sunglasses);
  cm(labelled.glasses, b.tags.includes('glasses'), o.glasses);
  cm(labelled.hat, b.name === 'walter2_crop.jpg', o.hat);
  cm(labelled.eyesClosed, b.tags.includes('eyes_closed'), !face.eyes!.left.open || !face.eyes!.right.open);
  labelled.gender[0]! += face.attributes!.gender === GENDER[b.identity] ? 1 : 0;
  labelled.gender[1]! += 1;
  const base = new Set(clean.verdict!.reasons);
  const src = { bytes, width: clean.width, height: clean.height, face };
  for (const d of DEGRADATIONS) {
    const t = tally.get(d.name) ?? { n: 0, hit: 0, noFace: 0, already: 0, newMustNot: 0, side: new Map<string, number>() };
    tally.set(d.name, t);
    const a = d.name === 'clean' ? clean : await analyze(await d.make(src));
    const r = a.verdict!.reasons;
    t.n++;
    if (a.faces.length === 0) t.noFace++;
    if (d.expect === null ? r.length === 0 : r.includes(d.expect)) t.hit++;
    if (d.expect !== null && base.has(d.expect)) t.already++;
    for (const x of r) if (!base.has(x) && x !== d.expect) t.side.set(x, (t.side.get(x) ?? 0) + 1);
    const extra = d.mustNot.filter((m) => r.includes(m) && !base.has(m));
    if (extra.length > 0) t.newMustNot++;
    const missed = d.expect === null ? r.length > 0 : !r.includes(d.expect);
    if (details && (missed || extra.length > 0)) console.log(`${b.name} / ${d.name}: [${r.join(',')}]${extra.length ? ` must-not: ${extra.join(',')}` : ''}`);
  }
}

console.log('| degradation | expected | photos | expected reason present | of which the clean photo had it | no face found | new must-not reason | other new reasons |');
console.log('|---|---|---|---|---|---|---|---|');
for (const d of DEGRADATIONS) {
  const t = tally.get(d.name)!;
  const side = [...t.side].map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`| ${d.name} | ${d.expect ?? 'passes'} | ${t.n} | ${t.hit} | ${t.already} | ${t.noFace} | ${t.newMustNot} | ${side} |`);
}
console.log('\n| label | TP | FN | FP | TN |\n|---|---|---|---|---|');
for (const k of ['sunglasses', 'glasses', 'hat', 'eyesClosed'] as const) console.log(`| ${k} | ${labelled[k].join(' | ')} |`);
console.log(`\ngender correct: ${labelled.gender[0]} / ${labelled.gender[1]}`);
await models.release();
