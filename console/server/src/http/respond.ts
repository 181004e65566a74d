import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

/** A request the client got wrong (or may not make): answered as JSON `{ error, issues? }` with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: { path: string; message: string }[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

// The console serves JSON and, later, its own static web app; nothing is ever framed or loaded from elsewhere.
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(status === 204 ? undefined : JSON.stringify(body));
}

export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.flatMap((i) => {
    const at = i.path.join('.');
    // Name each unknown field (a misspelt filter) instead of one issue at the object.
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((key) => ({ path: at ? `${at}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ path: at || '(root)', message: i.message }];
  });
}

/** Parses with a schema or throws a 400 naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new HttpError(400, `invalid ${what}`, issuesOf(parsed.error));
  return parsed.data;
}

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a JSON body. Only `application/json` is accepted: a cross-site HTML form cannot send it without a CORS
 * preflight, which this server never grants, so the content type doubles as CSRF protection beside SameSite.
 * `maxBytes` raises the 64 KiB limit for the one route that takes whole files (site model validation).
 */
export async function readJson(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'the body must be application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, `the body is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}
