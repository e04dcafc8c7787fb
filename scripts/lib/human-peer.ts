/**
 * The Node peer a developer would pick instead: @vladmandic/human (TF.js, wasm backend) running face detection,
 * mesh, iris, description (embedding, age, gender), emotion, antispoof and liveness: the same scope as our
 * full pipeline. Its models are served from its own package over a local HTTP server because TF.js in Node
 * without tfjs-node cannot read file:// URLs. Returns undefined when the package is not installed.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import sharp from 'sharp';

interface HumanTensor {
  dispose?: () => void;
}
interface HumanInstance {
  load(): Promise<void>;
  detect(input: HumanTensor): Promise<{ face: { embedding?: number[] }[] }>;
  tf: { tensor3d(data: Uint8Array, shape: [number, number, number], dtype: 'int32'): HumanTensor; dispose(t: HumanTensor): void; getBackend(): string };
  version: string;
}

export interface HumanPeer {
  version: string;
  /** Faces found in encoded image bytes (decode with sharp, like ours). */
  detect(bytes: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

export async function createHumanPeer(): Promise<HumanPeer | undefined> {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    // The package's exports map resolves its tfjs-node build; the wasm build sits next to it.
    entry = join(dirname(require.resolve('@vladmandic/human')), 'human.node-wasm.js');
    require.resolve('@tensorflow/tfjs-backend-wasm');
  } catch {
    return undefined;
  }
  if (!existsSync(entry)) return undefined;
  const modelsDir = join(dirname(entry), '..', 'models');
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm')); // its dist/ holds the .wasm files
  const server: Server = createServer((req, res) => {
    const file = join(modelsDir, basename(decodeURIComponent((req.url ?? '').split('?')[0] ?? '')));
    if (!existsSync(file)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const mod = require(entry) as { Human: new (config: Record<string, unknown>) => HumanInstance };
  const human = new mod.Human({
    backend: 'wasm',
    modelBasePath: `http://127.0.0.1:${port}/`,
    wasmPath: `${wasmDir}/`,
    debug: false,
    face: {
      enabled: true,
      detector: { rotation: false, maxDetected: 5 },
      mesh: { enabled: true },
      iris: { enabled: true },
      description: { enabled: true },
      emotion: { enabled: true },
      antispoof: { enabled: true },
      liveness: { enabled: true },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    filter: { enabled: false },
  });
  await human.load();
  return {
    version: `${human.version} (tfjs ${human.tf.getBackend()})`,
    async detect(bytes) {
      const { data, info } = await sharp(bytes).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const tensor = human.tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
      try {
        return (await human.detect(tensor)).face.length;
      } finally {
        human.tf.dispose(tensor);
      }
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
