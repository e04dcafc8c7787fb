/**
 * Multiply-accumulate count of an ONNX model, read from an onnxruntime profile of one run of the unoptimised
 * graph (every node reports its input/output shapes): Conv = out elements x Cin/group x kH x kW, Gemm/MatMul =
 * M x N x K. Other ops are memory-bound and not counted.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

type Shape = number[];
interface ProfileEvent {
  cat?: string;
  name?: string;
  args?: { op_name?: string; input_type_shape?: Record<string, Shape>[]; output_type_shape?: Record<string, Shape>[] };
}

const shapeOf = (entry: Record<string, Shape> | undefined): Shape => (entry ? (Object.values(entry)[0] ?? []) : []);
const product = (s: Shape) => s.reduce((a, b) => a * b, 1);

function nodeMacs(e: ProfileEvent): number {
  const op = e.args?.op_name;
  const ins = (e.args?.input_type_shape ?? []).map(shapeOf);
  const out = shapeOf(e.args?.output_type_shape?.[0]);
  if (op === 'Conv' || op === 'FusedConv') {
    const w = ins[1] ?? [];
    return product(out) * product(w.slice(1)); // each output element: Cin/group * kH * kW MACs
  }
  if (op === 'Gemm' || op === 'MatMul') {
    const a = ins[0] ?? [];
    const k = a[a.length - 1] ?? 0;
    return product(out) * k;
  }
  return 0;
}

/** Random input of the model's static input shape (batch 1). */
export function randomInput(session: ort.InferenceSession): Record<string, ort.Tensor> {
  const meta = session.inputMetadata[0];
  const name = session.inputNames[0] ?? 'input';
  const shape = meta && meta.isTensor ? meta.shape.map((d) => (typeof d === 'number' ? d : 1)) : [1];
  return { [name]: new ort.Tensor('float32', Float32Array.from({ length: product(shape) }, () => Math.random()), shape) };
}

/** MACs of one inference of `modelPath`. */
export async function countMacs(modelPath: string): Promise<number> {
  const prefix = join(tmpdir(), `biogate-macs-${process.pid}-${Date.now()}`);
  const session = await ort.InferenceSession.create(modelPath, {
    graphOptimizationLevel: 'disabled',
    enableProfiling: true,
    profileFilePrefix: prefix,
    logSeverityLevel: 3,
    intraOpNumThreads: 1,
  });
  await session.run(randomInput(session));
  session.endProfiling();
  await session.release();
  const dir = tmpdir();
  const file = readdirSync(dir).find((f) => join(dir, f).startsWith(prefix));
  if (!file) throw new Error(`no onnxruntime profile written for ${modelPath}`);
  const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProfileEvent[];
  rmSync(join(dir, file), { force: true });
  return events.filter((e) => e.cat === 'Node' && e.name?.endsWith('_kernel_time')).reduce((sum, e) => sum + nodeMacs(e), 0);
}
