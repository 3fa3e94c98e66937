// One error type for the whole service, rendered the same way everywhere.
import type { Duplex } from 'node:stream';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';
import { isBusy, isUnstorableText } from '../../db/database.ts';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found`);

/** A field as details name it: `lots.0.id`; a key that is the empty string as `""`, so it is never taken for the whole body. */
export const fieldPath = (path: readonly PropertyKey[]): string =>
  path.map((key) => (key === '' ? '""' : String(key))).join('.') || '(body)';

/** Turns a zod error into a 400 that names every offending field. */
export function validationError(error: z.ZodError): AppError {
  const details = error.issues.map((i) => ({ path: fieldPath(i.path), message: i.message }));
  const first = details[0];
  return new AppError(400, 'validation_failed', `${first.path}: ${first.message}`, details);
}

export function parseOr400<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

export const notFoundHandler: RequestHandler = (req, _res, next) =>
  next(new AppError(404, 'not_found', `No route for ${req.method} ${req.path}`));

/** Maps body-parser's and the router's errors (too large, bad JSON, undecodable URL or body) and everything else to AppError. */
function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as { type?: string; status?: number; expose?: boolean; limit?: number; message?: string; code?: unknown };
  if (e?.type === 'entity.too.large') {
    return new AppError(413, 'payload_too_large', `Request body exceeds the limit of ${e.limit} bytes`);
  }
  if (e?.type === 'entity.parse.failed') {
    return new AppError(400, 'invalid_json', 'Request body is not valid JSON');
  }
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new AppError(415, 'unsupported_encoding', e.message ?? 'Unsupported encoding');
  }
  // A body that does not decode as its Content-Encoding says (zlib's and brotli's errors, passed on by body-parser).
  if (e?.status === 400 && typeof e.code === 'string' && /^(?:Z_|ERR_BROTLI|ERR__ERROR)/.test(e.code)) {
    return new AppError(400, 'invalid_encoding', `Request body does not decode as its Content-Encoding says (${e.message ?? e.code})`);
  }
  // A URL whose %-escapes do not decode (the router's URIError, status 400), wherever it is decoded.
  if (error instanceof URIError) {
    return new AppError(400, 'bad_request', e.status === 400 && e.message ? e.message : 'The address is not validly %-encoded');
  }
  // Other client errors from Express and its parsers (http-errors mark them `expose`).
  if (e?.expose && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new AppError(e.status, 'bad_request', e.message ?? 'Bad request');
  }
  // The database stayed locked by another process past every wait (inTransaction retries the begin): try again soon.
  if (isBusy(error)) return new AppError(503, 'busy', 'The database is busy with other work: try again in a few seconds');
  // PostgreSQL cannot store the NUL character, in an id of the address or in the body alike: nothing was stored.
  if (isUnstorableText(error)) return new AppError(400, 'bad_request', 'Text may not contain the NUL character (U+0000)');
  return new AppError(500, 'internal', 'Something went wrong on our side');
}

/**
 * Where a request went, for the log: the route pattern when one matched, else
 * the resource (/api/notices, /confirm): what follows may be an id or a token.
 */
function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string') return `${req.baseUrl}${pattern}`;
  const parts = req.path.split('/');
  return parts.slice(0, parts[1] === 'api' ? 3 : 2).join('/');
}

// Pages people open from links in e-mail. Mail clients and link checkers often
// send no Accept header or "*/*", so these get a page unless JSON is asked for.
const LINKED_PAGES = /^\/(?:$|notices\/|confirm\/|unsubscribe\/|login\/)/;

/** A page for people, JSON for API clients (anything under /api/, or asking for JSON). */
function wantsPage(req: Request): boolean {
  if (/^\/api(?:\/|$)/.test(req.path)) return false;
  return req.accepts(LINKED_PAGES.test(req.path) ? ['html', 'json'] : ['json', 'html']) === 'html';
}

/** Renders the page a person sees for an error (src/web/error-page.tsx): the web layer sits above this one. */
export type ErrorPage = (error: AppError, req: Request) => string;

export function errorHandler(log: Logger, errorPage: ErrorPage): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const appError = toAppError(error);
    if (appError.code === 'busy') {
      res.set('Retry-After', '5');
      log.warn({ method: req.method, route: routeOf(req), status: 503}, 'database busy');
    } else if (appError.status >= 500) log.error({ err: error, path: req.path }, 'request failed');
    // The client's mistake (a malformed URL, encoding or body), not ours: a warning, without a stack.
    else if (!(error instanceof AppError)) {
      // What kind of error, not its message: the message may quote the URL (ids, tokens).
      const e = error as { type?: unknown; code?: unknown; name?: unknown };
      const reason = [e?.type, e?.code, e?.name].find((v) => typeof v === 'string') ?? null;
      log.warn({ method: req.method, route: routeOf(req), status: appError.status, code: appError.code, reason }, 'client error');
    }
    if (wantsPage(req)) {
      res.status(appError.status).type('html').send(errorPage(appError, req));
    } else {
      res.status(appError.status).json({ error: { code: appError.code, message: appError.message, details: appError.details } });
    }
  };
}

/**
 * The HTTP server's `clientError`: a request Node's parser refused before
 * Express saw it. Over-long headers or URL (over 16 KB: HPE_HEADER_OVERFLOW)
 * get a 431, anything else unparseable a 400, both in the usual JSON error
 * shape with `Connection: close`, logged at warn without a stack (and never
 * the raw bytes: they may hold a token).
 */
export function clientErrorHandler(log: Logger) {
  return (error: Error & { code?: string }, socket: Duplex): void => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      error: tooLarge
        ? { code: 'headers_too_large', message: 'The request line and headers together exceed the limit of 16 KB', details: null }
        : { code: 'bad_request', message: 'The request is not valid HTTP', details: null },
    });
    log.warn({ status, code: tooLarge ? 'headers_too_large' : 'bad_request', reason: error.code ?? null }, 'client error');
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };
}
