export * from './pool.ts';
export * from './models.ts';
export * from './image-inspect.ts';
export { FACE_THRESHOLDS, type FaceThresholds } from './face/thresholds.ts';
export { cosineSimilarity, similarityRatio, l2Normalize, EMBEDDING_SIZE } from './face/embedding.ts';
export type { FaceTask, FaceTaskResult } from './face/face.handler.ts';
export type { DetectImageOptions, FaceAnalyzeOutput, FaceDetectOutput, FaceStage, FaceStageContext } from './face/analyze.ts';
export type { InferenceDevice } from './face/session.ts';
export type { InferenceTask, VoiceOutcome } from './inference.thread.ts';
