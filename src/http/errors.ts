// One error type for the whole service, rendered the same way everywhere.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';
import { escapeHtml } from '../web/html.ts';

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

/** Turns a zod error into a 400 that names every offending field. */
export function validationError(error: z.ZodError): AppError {
  const details = error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
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

/** Maps body-parser's errors (too large, bad JSON) and everything else to AppError. */
function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as { type?: string; status?: number; limit?: number; message?: string };
  if (e?.type === 'entity.too.large') {
    return new AppError(413, 'payload_too_large', `Request body exceeds the limit of ${e.limit} bytes`);
  }
  if (e?.type === 'entity.parse.failed') {
    return new AppError(400, 'invalid_json', 'Request body is not valid JSON');
  }
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new AppError(415, 'unsupported_encoding', e.message ?? 'Unsupported encoding');
  }
  return new AppError(500, 'internal', 'Something went wrong on our side');
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const appError = toAppError(error);
    if (appError.status >= 500) log.error({ err: error, path: req.path }, 'request failed');
    const body = { error: { code: appError.code, message: appError.message, details: appError.details } };
    if (req.accepts(['json', 'html']) === 'html' && !req.path.startsWith('/api/')) {
      res.status(appError.status).type('html').send(errorPage(appError));
    } else {
      res.status(appError.status).json(body);
    }
  };
}

function errorPage(error: AppError): string {
  return `<!doctype html><html lang="sv"><meta charset="utf-8"><title>Fel – Brygga</title>
<main><h1>${error.status}</h1><p>${escapeHtml(error.message)}</p><p><a href="/">Till startsidan</a></p></main></html>`;
}
