/**
 * Trains the built-in speaker model (GMM-UBM + MAP supervectors + NAP, cosine) from the Debian speech of the
 * TRAINING speakers only, fits the similarity calibration on their unseen segments, and writes
 * models/voice/gmm-ubm-nap.{json,bin}. Deterministic: same packages and options give the same bytes.
 *
 *   npx tsx scripts/train-voice.ts [--components 64] [--nap 10] [--relevance 16] [--seconds 4] [--out models]
 *
 * Needs: apt-get install asterisk-core-sounds-{fr,it,ru}-wav codec2-examples
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  builtinModelWeights,
  cosine,
  projectSupervector,
  rawSupervector,
  type BuiltinModel,
  type BuiltinModelConfig,
} from '../packages/inference/src/voice/builtin-model.ts';
import { corpusSources, sourceSegments, TRAIN_SPEAKERS, type Segment } from '../packages/inference/src/voice/corpus.ts';
import { nuisanceSubspace, trainGmm } from '../packages/inference/src/voice/gmm-train.ts';
import { DEFAULT_MFCC, speechFeatures, type SpeechFeatures } from '../packages/inference/src/voice/mfcc.ts';
import { equalErrorRate, fitLogistic, type Trial } from '../packages/inference/src/voice/verification-metrics.ts';

const { values: args } = parseArgs({
  options: {
    components: { type: 'string', default: '64' },
    nap: { type: 'string', default: '10' },
    relevance: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '4' },
    'max-segments': { type: 'string', default: '60' },
    'ubm-frames': { type: 'string', default: '20000' },
    out: { type: 'string', default: 'models' },
    speakers: { type: 'string', default: TRAIN_SPEAKERS.join(',') },
  },
});
const components = Number(args.components);
const napRank = Number(args.nap);
const relevance = Number(args.relevance);
const trainSpeakers = new Set(args.speakers.split(','));
const log = (msg: string) => console.log(`[train-voice ${(performance.now() / 1000).toFixed(1)}s] ${msg}`);

interface Item {
  seg: Segment;
  feats: SpeechFeatures;
  dev: boolean;
}

const items: Item[] = [];
for (const src of corpusSources()) {
  if (!trainSpeakers.has(src.speaker)) continue;
  if (src.paths.length === 0) throw new Error(`${src.speaker}: no recordings; apt-get install ${src.debianPackage}`);
  const segs = sourceSegments(src, { seconds: Number(args.seconds), max: Number(args['max-segments']), seed: 7 });
  // Every fourth segment is kept out of UBM/NAP training and used only to fit the calibration.
  segs.forEach((seg, i) => items.push({ seg, feats: speechFeatures(seg.samples, DEFAULT_MFCC), dev: i % 4 === 3 }));
  log(`${src.speaker} (${src.language}): ${segs.length} segments`);
}
const train = items.filter((i) => !i.dev);
const dev = items.filter((i) => i.dev);
const dim = DEFAULT_MFCC.numCeps * 3;

// UBM frames: an equal, evenly strided share per training speaker so long recordings do not dominate.
const perSpeaker = new Map<string, Item[]>();
for (const it of train) perSpeaker.set(it.seg.speaker, [...(perSpeaker.get(it.seg.speaker) ?? []), it]);
const cap = Number(args['ubm-frames']);
const rows: Float32Array[] = [];
for (const [speaker, list] of perSpeaker) {
  const total = list.reduce((n, i) => n + i.feats.frames, 0);
  const stride = Math.max(1, Math.floor(total / cap));
  let k = 0;
  let taken = 0;
  for (const it of list) {
    for (let t = 0; t < it.feats.frames; t++, k++) {
      if (k % stride === 0) {
        rows.push(it.feats.data.subarray(t * dim, (t + 1) * dim));
        taken++;
      }
    }
  }
  log(`UBM frames from ${speaker}: ${taken} of ${total}`);
}
const ubmData = new Float32Array(rows.length * dim);
rows.forEach((r, i) => ubmData.set(r, i * dim));
const ubm = trainGmm(ubmData, rows.length, dim, { components, itersPerSplit: 4, log });

const raw = (it: Item) => rawSupervector(ubm, it.feats.data, it.feats.frames, relevance);
const trainSv = train.map(raw);
const svMean = new Float32Array(components * dim);
for (const sv of trainSv) for (let i = 0; i < sv.length; i++) svMean[i] = (svMean[i] ?? 0) + (sv[i] ?? 0) / trainSv.length;
const centred = trainSv.map((sv) => Float32Array.from(sv, (v, i) => v - (svMean[i] ?? 0)));
const nap = napRank > 0 ? nuisanceSubspace(centred, train.map((i) => i.seg.speaker), napRank) : [];
log(`supervectors ${trainSv.length}, NAP rank ${napRank}`);

const devVec = dev.map((it) => projectSupervector(raw(it), svMean, nap));
const trials: Trial[] = [];
for (let i = 0; i < dev.length; i++) {
  for (let j = i + 1; j < dev.length; j++) {
    trials.push({ score: cosine(devVec[i] as Float32Array, devVec[j] as Float32Array), target: dev[i]?.seg.speaker === dev[j]?.seg.speaker });
  }
}
const { eer, threshold } = equalErrorRate(trials);
const fit = fitLogistic(trials);
// The centre is the dev EER threshold (default decision at similarity 0.5); the slope comes from the logistic fit.
const calibration = { centre: threshold, scale: fit.scale };
log(`dev (training speakers, unseen segments): ${trials.length} trials, EER ${(eer * 100).toFixed(2)}% at cosine ${threshold.toFixed(4)}, scale ${fit.scale.toFixed(2)}`);

const config: BuiltinModelConfig = {
  name: 'voice-gmm-ubm-nap',
  version: '1.0.0',
  mfcc: DEFAULT_MFCC,
  components,
  dim,
  relevance,
  napRank,
  calibration,
  weightsFile: 'gmm-ubm-nap.f32',
  training: {
    script: 'scripts/train-voice.ts',
    speakers: [...trainSpeakers].sort(),
    segments: train.length,
    ubmFrames: rows.length,
    devTrials: trials.length,
    devEer: Number(eer.toFixed(4)),
  },
};
const model: BuiltinModel = { config, ubm, svMean, nap };
const outDir = join(args.out, 'voice');
mkdirSync(outDir, { recursive: true });
const bin = builtinModelWeights(model);
writeFileSync(join(outDir, config.weightsFile), bin);
const json = `${JSON.stringify(config, null, 2)}\n`;
writeFileSync(join(outDir, 'gmm-ubm-nap.json'), json);
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
log(`wrote ${outDir}/gmm-ubm-nap.f32 (${bin.length} bytes, sha256 ${sha(bin)})`);
log(`wrote ${outDir}/gmm-ubm-nap.json (sha256 ${sha(json)})`);
