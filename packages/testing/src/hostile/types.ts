/** One part of a multipart body. */
export interface HostilePart {
  name: string;
  /** A text field when `value` is a string; a file part otherwise. */
  value: string | Uint8Array;
  filename?: string;
  contentType?: string;
}

export type HostileBody =
  | { kind: 'multipart'; parts: HostilePart[] }
  | { kind: 'json'; value: unknown }
  /** Bytes sent as they are (malformed JSON, broken multipart), with the given content type. */
  | { kind: 'raw'; contentType: string; bytes: Uint8Array | string };

/** What the API must answer: a documented refusal, or acceptance (200 sync / 202 async). */
export type HostileExpectation =
  | { status: number; code: string | number }
  | { accepted: true };

export type HostileCategory =
  | 'truncated'
  | 'corrupt'
  | 'bomb'
  | 'format'
  | 'orientation'
  | 'polyglot'
  | 'oversize'
  | 'json'
  | 'cpf'
  | 'traversal'
  | 'injection'
  | 'audio'
  | 'auth';

export interface HostileCase {
  /** Unique, readable: shows in the test name. */
  name: string;
  category: HostileCategory;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query, already URL-encoded where the case means it. */
  path: string;
  body?: HostileBody;
  headers?: Record<string, string>;
  /** `null` sends no Authorization header; undefined uses the stack's key. */
  apiKey?: string | null;
  expect: HostileExpectation;
  /** Why the expectation is what it is, when it is a decision rather than obvious. */
  note?: string;
}

/** Builds the fetch body and headers of a case. */
export function toRequestInit(c: HostileCase): { body?: RequestInit['body']; headers: Headers } {
  const headers = new Headers(c.headers);
  if (!c.body) return { headers };
  switch (c.body.kind) {
    case 'json':
      headers.set('content-type', 'application/json');
      return { body: JSON.stringify(c.body.value), headers };
    case 'raw':
      headers.set('content-type', c.body.contentType);
      return { body: typeof c.body.bytes === 'string' ? c.body.bytes : Buffer.from(c.body.bytes), headers };
    case 'multipart': {
      const form = new FormData();
      for (const part of c.body.parts) {
        if (typeof part.value === 'string') form.append(part.name, part.value);
        else {
          const blob = new Blob([Buffer.from(part.value)], { type: part.contentType ?? 'application/octet-stream' });
          form.append(part.name, blob, part.filename ?? 'upload.bin');
        }
      }
      return { body: form, headers };
    }
  }
}
