import type { FastifyRequest } from 'fastify';
import { BiogateError, type ErrorCode } from '@biogate/contracts';

export interface FormFileSpec {
  /** Largest accepted size in bytes. */
  maxBytes: number;
  /** Error code when the file is larger. */
  tooLargeCode: ErrorCode;
}

export interface ParsedForm {
  files: Map<string, Buffer>;
  fields: Record<string, string>;
}

/**
 * Reads a multipart body: the declared file fields into memory (bounded per field), every other part as a
 * text field. Unknown file fields are drained and ignored. Non-multipart requests yield their JSON body's
 * string/boolean/number fields so routes can accept either encoding.
 */
export async function readForm(request: FastifyRequest, specs: Record<string, FormFileSpec>): Promise<ParsedForm> {
  const files = new Map<string, Buffer>();
  const fields: Record<string, string> = {};
  if (!request.isMultipart()) {
    const body = request.body;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = String(v);
      }
    }
    return { files, fields };
  }
  try {
    await readParts(request, specs, files, fields);
  } catch (err) {
    if (err instanceof BiogateError) throw err;
    const code = (err as { code?: string }).code;
    // Size and count limits keep their own 413 mapping (plugins/errors.ts).
    if (typeof code === 'string' && /_LIMIT$|TOO_LARGE$/.test(code)) throw err;
    // Malformed multipart (no boundary, body never closed): the client's fault, never a 500.
    throw new BiogateError('invalid_request', `malformed multipart body: ${(err as Error).message}`);
  }
  return { files, fields };
}

async function readParts(
  request: FastifyRequest,
  specs: Record<string, FormFileSpec>,
  files: Map<string, Buffer>,
  fields: Record<string, string>,
): Promise<void> {
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const spec = specs[part.fieldname];
      if (!spec) {
        part.file.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > spec.maxBytes) {
          part.file.resume();
          throw new BiogateError(spec.tooLargeCode, `${part.fieldname} is larger than ${spec.maxBytes} bytes`);
        }
        chunks.push(chunk);
      }
      if (part.file.truncated) {
        throw new BiogateError(spec.tooLargeCode, `${part.fieldname} is larger than ${spec.maxBytes} bytes`);
      }
      files.set(part.fieldname, Buffer.concat(chunks));
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
}

/**
 * Seed 001's 415 "the content type or encoding is not valid": a body that is neither multipart/form-data nor,
 * where the route reads base64 JSON (`json: true`), application/json. A request without a body reaches the
 * route's own checks (a missing parameter is a 400).
 */
export function requireFormEncoding(request: FastifyRequest, options: { json: boolean }): void {
  const type = request.headers['content-type'];
  if (type === undefined || request.isMultipart()) return;
  const mime = type.split(';')[0]!.trim().toLowerCase();
  if (options.json && mime === 'application/json') return;
  throw new BiogateError(
    'unsupported_media_type',
    `content type ${mime.slice(0, 100) || '(empty)'} is not accepted: send multipart/form-data${options.json ? ' or application/json' : ''}`,
  );
}

/** `client_declaration_enduser_consent` must be literally true (seed 001). */
export function requireConsent(fields: Record<string, string>): void {
  const value = fields.client_declaration_enduser_consent?.trim().toLowerCase();
  if (value !== 'true') {
    throw new BiogateError(
      'consent_required',
      'client_declaration_enduser_consent must be true: the end user must have consented to biometric processing',
    );
  }
}

/** Parses a boolean query/form flag (`true`/`1`); anything else is false. */
export function flag(value: unknown): boolean {
  return value === true || value === 'true' || value === '1';
}
