import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../store/ApiError';

export async function readBody(
  req: IncomingMessage,
  limit = 5 * 1024 * 1024,
): Promise<string> {
  return (await readRawBody(req, limit)).toString('utf8');
}

/** The request body as bytes (for protobuf). */
export async function readRawBody(
  req: IncomingMessage,
  limit = 5 * 1024 * 1024,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) {
      throw new ApiError({
        code: 413,
        reason: 'RequestEntityTooLarge',
        message: 'request entity too large',
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown) {
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError({
          code: 500,
          reason: 'InternalError',
          message: `Internal error occurred: ${
            (error as Error)?.message ?? String(error)
          }`,
        });
  sendJson(res, apiError.code, apiError.toStatus(), apiError.headers);
}

export function parseJsonBody(text: string): any {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw ApiError.badRequest(
      `the object provided is unrecognized: ${(e as Error).message}`,
    );
  }
}
