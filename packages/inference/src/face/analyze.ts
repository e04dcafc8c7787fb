/**
 * The face pipeline of one image, running only what the request asks for:
 * decode -> detect -> 68 landmarks + 5 points -> [stages: quality, liveness, attributes] -> [embedding] -> [crop].
 * `detectImage` is the detection-only path (decode -> detect) for callers that need boxes and nothing else.
 */
import {
  FaceAnalyzeOptionsSchema,
  type FaceAnalysis,
  type FaceBox,
  type FaceAnalyzeOptions,
  type FaceResult,
  type ResolvedFaceAnalyzeOptions,
} from '@biogate/contracts';
import { alignFace } from './align.ts';
import { DETECT_HEIGHT, DETECT_WIDTH, detectFaces, detectFacesResized, needsTiling, type Detection, type DetectOptions } from './detector.ts';
import { embedFace } from './embedding.ts';
import type { FaceModels } from './face-models.ts';
import { cropResize, decodeForDetection, decodeImage, encodeJpeg, type RgbImage } from './image.ts';
import { detectLandmarks, fivePoints } from './landmarks.ts';

export type ResolvedFaceOptions = ResolvedFaceAnalyzeOptions;

/** What a stage sees: the decoded image and every face found so far; it adds its sections to the faces. */
export interface FaceStageContext {
  models: FaceModels;
  image: RgbImage;
  faces: FaceResult[];
  options: ResolvedFaceOptions;
  /** Image-level results a stage adds to the analysis (whole-image metrics, the quality verdict). */
  extras: FaceAnalysisExtras;
}

export type FaceAnalysisExtras = Pick<FaceAnalysis, 'imageMetrics' | 'verdict'>;

/** A measurement step (quality, liveness, attributes) plugged in after landmarks. */
export type FaceStage = (ctx: FaceStageContext) => Promise<void>;

export interface AnalyzeDeps {
  models: FaceModels;
  /** Run in order after landmarks; each decides from `options` whether it has work. */
  stages?: readonly FaceStage[];
  /** @defaultValue 40 000 000 */
  maxPixels?: number;
  detect?: DetectOptions;
}

export interface FaceAnalyzeOutput {
  analysis: FaceAnalysis;
  /** Unit-norm 512-d embeddings: of the primary face, or of every face with `allFaces`. Never serialised. */
  embeddings?: Float32Array[];
  /** JPEG of the primary face (box with 25% margin), when `crop` was asked. */
  crop?: Uint8Array;
}

/** Boxes only: what `detectImage` returns (no landmarks, no stages). */
export interface FaceDetectOutput {
  /** Oriented image size. */
  width: number;
  height: number;
  /** Sorted by box area, largest first (the order `analyzeImage` gives its faces). */
  faces: { box: FaceBox; score: number }[];
  /** `decode` and `detect`, ms. */
  timings: Record<string, number>;
}

export interface DetectImageOptions {
  /**
   * Let the JPEG decoder shrink while decoding when the image is at least 3x the detector input and needs no
   * tiled pass (960x720 up to 1200x900): far fewer pixels decoded and no JS resize. Boxes then differ slightly
   * from `analyzeImage`'s (measured in docs/face-engine.md); smaller images, and `false`, give exactly its boxes.
   * @defaultValue true
   */
  shrinkOnLoad?: boolean;
}

/**
 * Detection only: decode and fr_detect (with the tiled pass on large images), the boxes and scores
 * `analyzeImage` reports, without landmarks, quality, liveness or embedding.
 */
export async function detectImage(deps: Omit<AnalyzeDeps, 'stages'>, bytes: Uint8Array, opts: DetectImageOptions = {}): Promise<FaceDetectOutput> {
  const t0 = performance.now();
  const decodeOpts = deps.maxPixels === undefined ? {} : { maxPixels: deps.maxPixels };
  const session = await deps.models.session('fr_detect');
  let width: number;
  let height: number;
  let detections: Detection[];
  let t1: number;
  if (opts.shrinkOnLoad === false) {
    const image = await decodeImage(bytes, decodeOpts);
    t1 = performance.now();
    [width, height] = [image.width, image.height];
    detections = await detectFaces(session, image, deps.detect);
  } else {
    const decoded = await decodeForDetection(bytes, { width: DETECT_WIDTH, height: DETECT_HEIGHT }, (w, h) => needsTiling(w, h, deps.detect), decodeOpts);
    t1 = performance.now();
    [width, height] = [decoded.width, decoded.height];
    detections = decoded.resized
      ? await detectFacesResized(session, decoded.image, width, height, deps.detect)
      : await detectFaces(session, decoded.image, deps.detect);
  }
  const faces = sortByArea(detections).map((d) => ({ box: { x: d.x1, y: d.y1, width: d.x2 - d.x1, height: d.y2 - d.y1 }, score: Math.min(1, d.score) }));
  const ms = (a: number, b: number) => Math.round((b - a) * 100) / 100;
  return { width, height, faces, timings: { decode: ms(t0, t1), detect: ms(t1, performance.now()) } };
}

function sortByArea(detections: Detection[]): Detection[] {
  return detections.sort((a, b) => (b.x2 - b.x1) * (b.y2 - b.y1) - (a.x2 - a.x1) * (a.y2 - a.y1));
}

/** Runs the pipeline on encoded image bytes. */
export async function analyzeImage(deps: AnalyzeDeps, bytes: Uint8Array, options: FaceAnalyzeOptions = {}): Promise<FaceAnalyzeOutput> {
  const opts = FaceAnalyzeOptionsSchema.parse(options);
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round((now - t) * 100) / 100;
    t = now;
  };

  const image = await decodeImage(bytes, deps.maxPixels === undefined ? {} : { maxPixels: deps.maxPixels });
  lap('decode');
  const detections = sortByArea(await detectFaces(await deps.models.session('fr_detect'), image, deps.detect));
  lap('detect');
  const landmarkSession = await deps.models.session('fr_landmark');
  const faces: FaceResult[] = [];
  for (const d of detections) {
    const landmarks68 = await detectLandmarks(landmarkSession, image, d);
    faces.push({
      box: { x: d.x1, y: d.y1, width: d.x2 - d.x1, height: d.y2 - d.y1 },
      score: Math.min(1, d.score),
      landmarks68,
      points5: fivePoints(landmarks68),
    });
  }
  lap('landmarks');
  const extras: FaceAnalysisExtras = {};
  for (const stage of deps.stages ?? []) await stage({ models: deps.models, image, faces, options: opts, extras });
  if ((deps.stages ?? []).length > 0) lap('stages');

  const analysis: FaceAnalysis = { width: image.width, height: image.height, faces, timings, ...extras };
  const out: FaceAnalyzeOutput = { analysis };
  if (faces.length === 0) return out;
  analysis.primaryFace = 0;
  if (opts.embedding) {
    const session = await deps.models.session('fr_feature_fast');
    const targets = opts.allFaces ? faces : faces.slice(0, 1);
    out.embeddings = [];
    for (const f of targets) out.embeddings.push(await embedFace(session, alignFace(image, f.points5)));
    lap('embedding');
  }
  if (opts.crop) {
    out.crop = await encodeJpeg(faceCrop(image, faces[0]!));
    lap('crop');
  }
  return out;
}

/** The face box with a 25% margin on each side, clipped to the image, at source resolution (max 512 px). */
export function faceCrop(image: RgbImage, face: FaceResult): RgbImage {
  const { x, y, width, height } = face.box;
  const x1 = Math.max(0, x - 0.25 * width);
  const y1 = Math.max(0, y - 0.25 * height);
  const x2 = Math.min(image.width, x + 1.25 * width);
  const y2 = Math.min(image.height, y + 1.25 * height);
  const scale = Math.max(1, Math.max(x2 - x1, y2 - y1) / 512);
  const w = Math.max(1, Math.round((x2 - x1) / scale));
  const h = Math.max(1, Math.round((y2 - y1) / scale));
  return cropResize(image, x1, y1, x2 - x1, y2 - y1, w, h);
}
