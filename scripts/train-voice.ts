/**
 * Trains the built-in speaker model (GMM-UBM + MAP supervectors + NAP, cosine) from the Debian speech of the
 * TRAINING speakers only and writes models/voice/gmm-ubm-nap.{json,f32}. Scores are S-normalised against a
 * cohort of training segments; the calibration is fitted on training-speaker segments kept out of training, each
 * normalised without its own speaker (as an unseen user would be). Deterministic for the same packages and options.
 * `--folds a+b,c+d` also reports leave-two-speakers-out cross-validation of the recipe.
 *
 *   npx tsx scripts/train-voice.ts [--components 64] [--nap 10] [--relevance 16] [--out models]
 *
 * Needs: apt-get install asterisk-core-sounds-{fr,it,ru}-wav codec2-examples
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { builtinModelWeights } from '../packages/inference/src/voice/builtin-model.ts';
import { pairTrials, trainRecipe, type RecipeOptions, type TrainItem } from '../packages/inference/src/voice/builtin-train.ts';
import { corpusSources, sourceReader, sourceSegments, TRAIN_SPEAKERS } from '../packages/inference/src/voice/corpus.ts';
import { DEFAULT_MFCC, speechFeatures } from '../packages/inference/src/voice/mfcc.ts';
import { equalErrorRate, fitLogistic, ratesAt, type Trial } from '../packages/inference/src/voice/verification-metrics.ts';

const { values: args } = parseArgs({
  options: {
    components: { type: 'string', default: '64' },
    nap: { type: 'string', default: '10' },
    relevance: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '4' },
    'max-segments': { type: 'string', default: '60' },
    'ubm-frames': { type: 'string', default: '20000' },
    folds: { type: 'string', default: '' },
    cohort: { type: 'string', default: '8' },
    out: { type: 'string', default: 'models' },
    // Experiment: also train on these (normally held-out) speakers; evaluate only on the others.
    'extra-speakers': { type: 'string', default: '' },
  },
});
const log = (msg: string) => console.log(`[train-voice ${(performance.now() / 1000).toFixed(1)}s] ${msg}`);
const recipe: RecipeOptions = {
  components: Number(args.components),
  napRank: Number(args.nap),
  relevance: Number(args.relevance),
  ubmFramesPerSpeaker: Number(args['ubm-frames']),
  itersPerSplit: 4,
  cohortPerSpeaker: Number(args.cohort),
};

const items: TrainItem[] = [];
const dev: TrainItem[] = [];
const trainSpeakers = new Set<string>([...TRAIN_SPEAKERS, ...args['extra-speakers'].split(',').filter(Boolean)]);
const tmp = mkdtempSync(join(tmpdir(), 'train-voice-'));
for (const src of corpusSources()) {
  if (!trainSpeakers.has(src.speaker)) continue;
  if (src.paths.length === 0) throw new Error(`${src.speaker}: no recordings; apt-get install ${src.debianPackage}`);
  const segs = sourceSegments(src, { seconds: Number(args.seconds), max: Number(args['max-segments']), seed: 7, read: sourceReader(src, tmp) });
  // Every fourth segment stays out of UBM/NAP/cohort training and only serves the calibration.
  segs.forEach((seg, i) => (i % 4 === 3 ? dev : items).push({ speaker: seg.speaker, feats: speechFeatures(seg.samples, DEFAULT_MFCC) }));
  log(`${src.speaker} (${src.language}, ${src.debianPackage}): ${segs.length} segments`);
}
rmSync(tmp, { recursive: true, force: true });

// Optional report: leave-two-speakers-out cross-validation of the recipe (models see only 3 speakers).
for (const fold of args.folds ? args.folds.split(',') : []) {
  const out = new Set(fold.split('+'));
  const model = trainRecipe(items.filter((i) => !out.has(i.speaker)), recipe);
  const trials = pairTrials(model, [...items, ...dev].filter((i) => out.has(i.speaker)));
  log(`fold without ${[...out].join(' + ')}: ${trials.length} trials, EER ${(equalErrorRate(trials).eer * 100).toFixed(2)}%`);
}

const model = trainRecipe(items, { ...recipe, log });
// Calibration on the unseen dev segments, each normalised against a cohort without its own speaker.
const trials = pairTrials(model, dev);
const { eer, threshold } = equalErrorRate(trials);
const fit = fitLogistic(trials);
// Default decision (similarity 0.5) at the dev EER threshold; slope from the logistic fit.
model.config.calibration = { centre: threshold, scale: fit.scale };
const at = ratesAt(trials, threshold);
log(`dev: ${trials.length} trials, EER ${(eer * 100).toFixed(2)}% at S-norm ${threshold.toFixed(4)} (FMR ${(at.fmr * 100).toFixed(2)}%, FNMR ${(at.fnmr * 100).toFixed(2)}%), scale ${fit.scale.toFixed(3)}`);
model.config.training = {
  script: 'scripts/train-voice.ts',
  ...model.config.training,
  calibration: 'EER threshold on unseen segments of the training speakers (own speaker excluded from the S-norm cohort)',
  devTrials: trials.length,
  devEer: Number(eer.toFixed(4)),
};

const outDir = join(args.out, 'voice');
mkdirSync(outDir, { recursive: true });
const bin = builtinModelWeights(model);
writeFileSync(join(outDir, model.config.weightsFile), bin);
const json = `${JSON.stringify(model.config, null, 2)}\n`;
writeFileSync(join(outDir, 'gmm-ubm-nap.json'), json);
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
log(`wrote ${outDir}/${model.config.weightsFile} (${bin.length} bytes, sha256 ${sha(bin)})`);
log(`wrote ${outDir}/gmm-ubm-nap.json (${Buffer.byteLength(json)} bytes, sha256 ${sha(json)})`);
