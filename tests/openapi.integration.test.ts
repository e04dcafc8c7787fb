import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedEnvSchema, parseEnv } from '@biogate/config';
import { createLogger } from '@biogate/logger';
import { openInfrastructure, type Infrastructure } from '@biogate/runtime';
import { startApi, type ApiHandle } from '../apps/api/src/start.ts';

/**
 * /openapi.json is a valid OpenAPI 3.1 document (checked with @seriousme/openapi-schema-validator) that
 * describes every route the API registers, the five seed APIs' paths among them. Runs the real API over PGlite
 * and a private redis-server; no worker is needed to read the document.
 */
interface Operation {
  summary?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<string, { description?: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
  security?: unknown[];
}
type Paths = Record<string, Record<string, Operation>>;

/** The seed documents' paths (parameter names as the seeds write them) and the native ones. */
const EXPECTED = [
  'POST /face_recognition/image',
  'GET /face_recognition/image/{image_key}',
  'GET /face_recognition/image/{image_key}/file',
  'GET /face_recognition/image/{image_key}/cropped_file',
  'POST /v1/face/detect',
  'POST /v1/face/compare',
  'POST /v1/voice/compare',
  'POST /v1/enrollments',
  'GET /v1/enrollments',
  'PUT /v1/enrollments/{user_token}',
  'DELETE /v1/enrollments/{user_token}',
  'POST /face_recognition/registration',
  'GET /face_recognition/registration/{registration_key}',
  'POST /face_recognition/validation',
  'GET /face_recognition/validation/{validation_key}',
  'POST /quality/face/stateless',
  'POST /api/v1/face/detect',
  'GET /v1/jobs/{id}',
  'POST /v1/webhooks/deliveries/{id}/redeliver',
  'GET /health',
];

/**
 * Every method + path Fastify registered, read from `printRoutes({ commonPrefix: false })`: one tree line per
 * node, four characters of indent per level, a child's path appended to its parent's.
 */
function registeredRoutes(tree: string): string[] {
  const out: string[] = [];
  const parents: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    parents.length = depth;
    parents.push(m[2]!);
    const path = parents.join('').replace(/:([A-Za-z_]+)/g, '{$1}');
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) out.push(`${method} ${path}`);
  }
  return out;
}

describe('OpenAPI document', () => {
  let infra: Infrastructure;
  let api: ApiHandle;
  let dataDir: string;
  let doc: { openapi: string; paths: Paths; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'biogate-openapi-'));
    const env = parseEnv(EmbeddedEnvSchema, {
      BIOGATE_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      // The admin routes exist only with an admin key: set one so they are checked too.
      BIOGATE_ADMIN_KEY: 'openapi-admin-key-0123456789',
    });
    const logger = createLogger({ name: 'openapi-test', level: 'silent' });
    infra = await openInfrastructure(env, logger);
    api = await startApi(infra, env, logger);
    const res = await fetch(`${api.url}/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as typeof doc;
  });
  afterAll(async () => {
    await api?.close();
    await infra?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is a valid OpenAPI 3.1 document whose references all resolve', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(doc.openapi).toBe('3.1.0');
    expect(() => validator.resolveRefs()).not.toThrow();
    // Error answers point at one named schema.
    expect(doc.components.schemas.Error).toMatchObject({ type: 'object', properties: { code: { type: 'string' } } });
  });

  it('is checked by a validator that does reject a broken document', async () => {
    const broken = structuredClone(doc) as unknown as { paths: Record<string, Record<string, { responses: unknown }>> };
    broken.paths['/health']!.get!.responses = 'not a responses object';
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('documents every route the app registers, and nothing it does not', () => {
    const registered = registeredRoutes(api.app.printRoutes({ commonPrefix: false }))
      .filter((r) => !r.startsWith('HEAD '))
      // The document itself and the browsable reference are served beside the API, not part of it.
      .filter((r) => !/^GET \/(docs|openapi\.json)\b/.test(r));
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(registered.length).toBeGreaterThan(20);
    expect([...documented].sort()).toEqual([...registered].sort());
  });

  it('covers the paths of the five seed documents, parameter names included', () => {
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    expect(EXPECTED.filter((route) => !documented.has(route))).toEqual([]);
  });

  it('gives every operation a summary, a success response and its path parameters', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, summary: typeof op.summary === 'string' && op.summary.length > 0 }).toEqual({ where, summary: true });
        expect({ where, success: Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)) }).toEqual({ where, success: true });
        const params = (op.parameters ?? []).filter((p) => p.in === 'path');
        expect({ where, params: params.map((p) => [p.name, p.required]) }).toEqual({ where, params: names.map((n) => [n, true]) });
      }
    }
  });

  it('marks the public health check as needing no credentials', () => {
    expect(doc.paths['/health']?.get?.security).toEqual([]);
  });
});
