import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export interface RouteDoc {
  summary: string;
  tags: string[];
  description?: string;
  /** Multipart file fields (name -> description). */
  files?: Record<string, string>;
  /** Text fields (name -> description), multipart or JSON. */
  fields?: Record<string, string>;
  /** A JSON body schema instead of form fields. */
  json?: Record<string, unknown>;
  required?: string[];
  /** Documented responses: status -> description. */
  responses?: Record<number, string>;
  /** Media types of a success body that is a file, not JSON (for example `image/jpeg`). */
  produces?: string[];
}

/**
 * Route options documenting a body the handler parses itself (multipart streams, base64 JSON): the schema
 * feeds /openapi.json; validation and serialisation stay with the handler, which checks everything and
 * answers with the API's own error codes and exact bodies.
 */
export function documented(doc: RouteDoc) {
  const properties: Record<string, unknown> = {};
  for (const [name, description] of Object.entries(doc.files ?? {})) {
    properties[name] = { type: 'string', format: 'binary', description };
  }
  for (const [name, description] of Object.entries(doc.fields ?? {})) properties[name] = { type: 'string', description };
  const hasBody = doc.json !== undefined || Object.keys(properties).length > 0;
  const response: Record<string, unknown> = {};
  const file = { type: 'string', format: 'binary' };
  for (const [status, description] of Object.entries(doc.responses ?? {})) {
    response[status] = Number(status) >= 400
      ? { description, content: { 'application/json': { schema: { $ref: 'Error#' } } } }
      : doc.produces
        ? { description, content: Object.fromEntries(doc.produces.map((type) => [type, { schema: file }])) }
        : { description, type: 'object', additionalProperties: true };
  }
  return {
    schema: {
      summary: doc.summary,
      tags: doc.tags,
      ...(doc.description ? { description: doc.description } : {}),
      ...(hasBody
        ? {
            consumes: doc.files ? ['multipart/form-data'] : ['application/json'],
            body: doc.json ?? { type: 'object', properties, required: doc.required ?? [] },
          }
        : {}),
      ...(Object.keys(response).length > 0 ? { response } : {}),
    },
    validatorCompiler: () => () => true,
    // Response schemas are documentation: bodies are sent as built, never filtered by a serializer.
    serializerCompiler: () => (data: unknown) => JSON.stringify(data),
  };
}

const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    description: { type: 'string' },
    code: { type: 'string', description: 'stable error code, see docs/errors.md' },
  },
};

/**
 * OpenAPI 3.1 at /openapi.json, generated from the routes' schemas (plus `config.requestBody` for routes that
 * read multipart themselves), and a browsable reference at /docs served from the installed package.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.addSchema({ $id: 'Error', ...ERROR_SCHEMA });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'biogate',
        version: '0.1.0',
        description:
          'Self-hosted face quality, liveness, face and voice matching. Native /v1 API plus the seed-compatible APIs ' +
          '(/face_recognition, /quality/face/stateless, /api/v1/face/detect).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API key (also accepted raw or as the Basic password)' },
          basic: { type: 'http', scheme: 'basic', description: 'any user name, the API key as password' },
        },
      },
      security: [{ bearer: [] }, { basic: [] }],
    },
    // Shared schemas appear under their $id (`#/components/schemas/Error`), not as `def-0`.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
}
