import type { HandlerMap } from '@biogate/queue';
import type { QUEUES } from '@biogate/contracts';
import type { ProcessorContext } from '../lib/context.ts';
import { faceDetectProcessor } from './face-detect.processor.ts';
import { faceCompareProcessor } from './face-compare.processor.ts';
import { faceEnrollProcessor } from './face-enroll.processor.ts';
import { faceRegisterProcessor, faceValidateProcessor } from './face-register.processor.ts';
import { voiceCompareProcessor } from './voice-compare.processor.ts';

/** Every inference job name -> its processor; `satisfies` makes a missing name a compile error. */
export function inferenceHandlers(ctx: ProcessorContext) {
  return {
    'face.detect': faceDetectProcessor(ctx),
    'face.compare': faceCompareProcessor(ctx),
    'face.enroll': faceEnrollProcessor(ctx),
    'face.register': faceRegisterProcessor(ctx),
    'face.validate': faceValidateProcessor(ctx),
    'voice.compare': voiceCompareProcessor(ctx),
  } satisfies HandlerMap<typeof QUEUES.inference>;
}
