/**
 * Trains the built-in speaker models (GMM-UBM + MAP supervectors + NAP, cosine) from the Debian speech of the
 * TRAINING speakers only and writes models/voice/gmm-ubm-nap.{json,f32} (and gmm-ubm-wide.{json,f32}, below). Scores are S-normalised against a
 * cohort of training segments. The calibration (default threshold) is fitted on unseen-speaker trials: three
 * speaker-disjoint folds of the training speakers (DEV_FOLDS), each scored by a model trained the same way without
 * them (`--calibration in-model`: the pre-issue-#5 fit on the model's own dev segments, which did not transfer to
 * unseen speakers). Deterministic for the same packages and options.
 * `--folds a+b,c+d` also reports leave-two-speakers-out cross-validation of the recipe.
 *
 * `--speed 0.9,1.1` (models 2.2.0 and 3.0.0; off since 4.0.0, which has 25 real speakers): every training segment is also played 0.9x and 1.1x as fast (channel-augment.ts speedPerturb)
 * and the copies join training as new pseudo speakers (`june@0.9`): UBM, supervector mean, NAP and cohort; the
 * calibration and dev trials stay between real speakers only.
 *
 * Wideband model (since 5.0.0; `--wideband false` leaves it out): the same recipe on 32 mel filters up to 7.6 kHz
 * (WIDEBAND_MFCC), trained on the training segments that are wideband (bandwidth.ts) and calibrated the same
 * cross-fold way on pairs of wideband fold segments; the service scores a pair with it when both recordings are
 * wideband. Written to models/voice/gmm-ubm-wide.{json,f32}. Channel copies do not enter it (they are narrowband);
 * it is always calibrated cross-fold (`--calibration` and `--folds` concern the narrowband model). With
 * `--wideband false`, wideband files left in the output folder by an earlier training are removed.
 *
 * `--augment opus8,tel` with `--nap N`: the NAP scatter also contains channel-augmented copies (channel-augment.ts) of
 * the training segments (`--nap-mode speaker`: within-speaker; `channel`: within-segment); UBM, supervector mean,
 * cohort and calibration trials stay on the original recordings.
 *
 *   npx tsx scripts/train-voice.ts [--components 64] [--nap 2] [--relevance 8] [--augment opus8,tel] [--nap-mode speaker]
 *     [--speed ''] [--calibration cross-fold] [--wideband true] [--version 5.0.0] [--out models]
 *
 * Needs: apt-get install asterisk-core-sounds-{fr,it,ru}-wav codec2-examples asterisk-prompt-fr-armelle
 *        asterisk-prompt-it-menardi-wav klettres-data tuxpaint-stamps-default ktuberling-data
 *        sox opus-tools
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { builtinModelWeights } from '../packages/inference/src/voice/builtin-model.ts';
import { DEV_FOLDS, pairTrials, realSpeaker, trainRecipe, type RecipeOptions, type TrainItem } from '../packages/inference/src/voice/builtin-train.ts';
import { augmentChannel, speedPerturb, type ChannelAugment } from '../packages/inference/src/voice/channel-augment.ts';
import { corpusSources, sourceReader, sourceSegments, TRAIN_SPEAKERS } from '../packages/inference/src/voice/corpus.ts';
import { isWideband } from '../packages/inference/src/voice/bandwidth.ts';
import type { BuiltinModel } from '../packages/inference/src/voice/builtin-model.ts';
import { DEFAULT_MFCC, speechFeatures, WIDEBAND_MFCC } from '../packages/inference/src/voice/mfcc.ts';
import { equalErrorRate, fitLogistic, ratesAt, type Trial } from '../packages/inference/src/voice/verification-metrics.ts';

const { values: args } = parseArgs({
  options: {
    components: { type: 'string', default: '64' },
    nap: { type: 'string', default: '2' },
    relevance: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '4' },
    'max-segments': { type: 'string', default: '60' },
    'ubm-frames': { type: 'string', default: '20000' },
    folds: { type: 'string', default: '' },
    // Default threshold from speaker-disjoint folds of the training speakers (unseen-speaker trials), or from
    // the model's own dev segments ('in-model', the calibration used before issue #5).
    calibration: { type: 'string', default: 'cross-fold' },
    'cal-folds': { type: 'string', default: DEV_FOLDS.map((f) => f.join('+')).join(',') },
    cohort: { type: 'string', default: '8' },
    augment: { type: 'string', default: 'opus8,tel' },
    speed: { type: 'string', default: '' },
    'nap-mode': { type: 'string', default: 'speaker' },
    wideband: { type: 'string', default: 'true' },
    version: { type: 'string', default: '5.0.0' },
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
  napMode: args['nap-mode'] === 'channel' ? 'channel' : 'speaker',
};
const augments = args.augment.split(',').filter(Boolean) as ChannelAugment[];
const speeds = args.speed.split(',').filter(Boolean).map(Number);
const copies: (TrainItem & { of: TrainItem })[] = [];

const items: TrainItem[] = [];
const dev: TrainItem[] = [];
// Wideband features of the wideband segments (same train/dev split) for the wideband model.
if (args.wideband !== 'true' && args.wideband !== 'false') throw new Error(`--wideband ${args.wideband}: true or false`);
const withWide = args.wideband === 'true';
const wideItems: TrainItem[] = [];
const wideDev: TrainItem[] = [];
const trainSpeakers = new Set<string>([...TRAIN_SPEAKERS, ...args['extra-speakers'].split(',').filter(Boolean)]);
const tmp = mkdtempSync(join(tmpdir(), 'train-voice-'));
for (const src of corpusSources()) {
  if (!trainSpeakers.has(src.speaker)) continue;
  if (src.paths.length === 0) throw new Error(`${src.speaker}: no recordings; apt-get install ${src.debianPackage}`);
  const segs = sourceSegments(src, { seconds: Number(args.seconds), max: Number(args['max-segments']), seed: 7, read: sourceReader(src, tmp) });
  // Every fourth segment stays out of UBM/NAP/cohort training and only serves the calibration.
  for (const [i, seg] of segs.entries()) {
    const item = { speaker: seg.speaker, feats: speechFeatures(seg.samples, DEFAULT_MFCC) };
    (i % 4 === 3 ? dev : items).push(item);
    if (withWide && isWideband(seg.samples)) (i % 4 === 3 ? wideDev : wideItems).push({ speaker: seg.speaker, feats: speechFeatures(seg.samples, WIDEBAND_MFCC) });
    if (i % 4 === 3) continue;
    for (const f of speeds) items.push({ speaker: `${seg.speaker}@${f}`, feats: speechFeatures(speedPerturb(seg.samples, f), DEFAULT_MFCC) });
    if (recipe.napRank === 0) continue;
    for (const a of augments) {
      const samples = await augmentChannel(a, seg.samples, tmp, `${seg.id}-${a}`.replace(/[^\w.-]/g, '_'));
      copies.push({ speaker: seg.speaker, feats: speechFeatures(samples, DEFAULT_MFCC), of: item });
    }
  }
  log(`${src.speaker} (${src.language}, ${src.debianPackage}): ${segs.length} segments`);
}
rmSync(tmp, { recursive: true, force: true });

// Optional report: leave-two-speakers-out cross-validation of the recipe (models see only 3 speakers).
for (const fold of args.folds ? args.folds.split(',') : []) {
  const out = new Set(fold.split('+'));
  const model = trainRecipe(items.filter((i) => !out.has(realSpeaker(i.speaker))), recipe);
  const trials = pairTrials(model, [...items, ...dev].filter((i) => out.has(i.speaker)));
  log(`fold without ${[...out].join(' + ')}: ${trials.length} trials, EER ${(equalErrorRate(trials).eer * 100).toFixed(2)}%`);
}

const model = trainRecipe(items, { ...recipe, log }, copies);
model.config.version = args.version;
// In-model dev: unseen segments of the training speakers, each normalised against a cohort without its own speaker.
const devTrials = pairTrials(model, dev);
const devEer = equalErrorRate(devTrials);
log(`in-model dev: ${devTrials.length} trials, EER ${(devEer.eer * 100).toFixed(2)}% at S-norm ${devEer.threshold.toFixed(4)}`);
/**
 * Cross-fold calibration: each fold model is trained by the recipe without the fold's speakers and scores all pairs of
 * their segments (unseen-speaker trials); the default threshold is the pooled EER threshold, the slope a logistic fit.
 */
function crossFoldTrials(train: TrainItem[], held: TrainItem[], opts: RecipeOptions, extra: typeof copies, label: string): Trial[] {
  const out: Trial[] = [];
  for (const fold of args['cal-folds'].split(',')) {
    const without = new Set(fold.split('+'));
    const foldModel = trainRecipe(train.filter((i) => !without.has(realSpeaker(i.speaker))), opts, extra);
    const t = pairTrials(foldModel, held.filter((i) => without.has(i.speaker)));
    const e = equalErrorRate(t);
    log(`${label} calibration fold without ${[...without].join(' + ')}: ${t.length} trials, EER ${(e.eer * 100).toFixed(2)}% at S-norm ${e.threshold.toFixed(4)}`);
    out.push(...t);
  }
  return out;
}

let trials = devTrials;
if (args.calibration === 'cross-fold') trials = crossFoldTrials(items, [...items, ...dev], recipe, copies, 'narrowband');
else if (args.calibration !== 'in-model') throw new Error(`--calibration ${args.calibration}: cross-fold or in-model`);
const { eer, threshold } = equalErrorRate(trials);
const fit = fitLogistic(trials);
// Default decision (similarity 0.5) at the EER threshold of the calibration trials; slope from the logistic fit.
model.config.calibration = { centre: threshold, scale: fit.scale };
const at = ratesAt(trials, threshold);
log(`calibration (${args.calibration}): ${trials.length} trials, EER ${(eer * 100).toFixed(2)}% at S-norm ${threshold.toFixed(4)} (FMR ${(at.fmr * 100).toFixed(2)}%, FNMR ${(at.fnmr * 100).toFixed(2)}%), scale ${fit.scale.toFixed(3)}`);
model.config.training = {
  script: 'scripts/train-voice.ts',
  ...model.config.training,
  calibration:
    args.calibration === 'cross-fold'
      ? `EER threshold on unseen-speaker trials of speaker-disjoint folds of the training speakers (${args['cal-folds']}), each fold model trained by the same recipe without the fold`
      : 'EER threshold on unseen segments of the training speakers (own speaker excluded from the S-norm cohort)',
  ...(speeds.length ? { speedPerturbation: `pseudo speakers: every training segment at ${speeds.join(', ')}x speed (channel-augment.ts speedPerturb)` } : {}),
  ...(recipe.napRank > 0 && augments.length ? { napScatter: `${recipe.napMode}: training segments + ${augments.join(', ')} copies (channel-augment.ts)` } : {}),
  calibrationTrials: trials.length,
  calibrationEer: Number(eer.toFixed(4)),
  devTrials: devTrials.length,
  devEer: Number(devEer.eer.toFixed(4)),
};

const outDir = join(args.out, 'voice');
mkdirSync(outDir, { recursive: true });
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
function writeModel(m: BuiltinModel, jsonName: string): void {
  const bin = builtinModelWeights(m);
  writeFileSync(join(outDir, m.config.weightsFile), bin);
  const json = `${JSON.stringify(m.config, null, 2)}\n`;
  writeFileSync(join(outDir, jsonName), json);
  log(`wrote ${outDir}/${m.config.weightsFile} (${bin.length} bytes, sha256 ${sha(bin)})`);
  log(`wrote ${outDir}/${jsonName} (${Buffer.byteLength(json)} bytes, sha256 ${sha(json)})`);
}
writeModel(model, 'gmm-ubm-nap.json');
if (!withWide) {
  for (const f of ['gmm-ubm-wide.json', 'gmm-ubm-wide.f32']) {
    if (existsSync(join(outDir, f))) {
      rmSync(join(outDir, f));
      log(`removed ${outDir}/${f} (another training's wideband model)`);
    }
  }
} else {
  // The wideband model: same recipe on the wideband segments' 7.6 kHz features, no channel copies, own calibration.
  const wideRecipe: RecipeOptions = { ...recipe, mfcc: WIDEBAND_MFCC };
  const wide = trainRecipe(wideItems, { ...wideRecipe, log });
  const wideTrials = crossFoldTrials(wideItems, [...wideItems, ...wideDev], wideRecipe, [], 'wideband');
  const w = equalErrorRate(wideTrials);
  wide.config = {
    ...wide.config,
    name: 'voice-gmm-ubm-wide',
    version: args.version,
    weightsFile: 'gmm-ubm-wide.f32',
    calibration: { centre: w.threshold, scale: fitLogistic(wideTrials).scale },
  };
  wide.config.training = {
    script: 'scripts/train-voice.ts',
    ...wide.config.training,
    use: 'scores a pair when both recordings are wideband (bandwidth.ts isWideband); gmm-ubm-nap.json otherwise',
    calibration: `EER threshold on unseen-speaker trials between wideband segments of the folds (${args['cal-folds']})`,
    calibrationTrials: wideTrials.length,
    calibrationEer: Number(w.eer.toFixed(4)),
  };
  log(`wideband model: ${wideItems.length} segments of ${new Set(wideItems.map((i) => i.speaker)).size} speakers; calibration ${wideTrials.length} trials, EER ${(w.eer * 100).toFixed(2)}% at S-norm ${w.threshold.toFixed(4)}`);
  writeModel(wide, 'gmm-ubm-wide.json');
}
