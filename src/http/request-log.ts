// One structured log line per request (pino-http): method, route pattern,
// status, duration and a request id. Never the raw URL: sign-in, confirm and
// unsubscribe links carry their secret in the path, and a path or query may
// carry an e-mail address. Headers (cookies, authorization), query strings and
// bodies are not logged at all. The request id is the client's X-Request-Id
// when it is a plain short token, else a new UUID; it is sent back in the
// X-Request-Id header and bound to `req.log`.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/** The label of a request no route answered (a 404, or one refused before routing). */
export const UNMATCHED = '(unmatched)';
/** Probes and scrapes are logged at debug: they come every few seconds. */
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);
const SANE_ID = /^[A-Za-z0-9._-]{1,64}$/;
const ROUTE = Symbol('brygga.route');

type Tracked = IncomingMessage & { [ROUTE]?: string; baseUrl?: string };

/** The pattern of the route that answered, with its mount path: `/api/notices/:id`, or UNMATCHED. */
export function routePattern(req: IncomingMessage): string {
  return (req as Tracked)[ROUTE] ?? UNMATCHED;
}

/**
 * Remembers the route pattern when the router picks a route. Read later,
 * `req.baseUrl` may already be restored to '' (an error leaves the mounted
 * router before the error handler answers), so the full pattern is taken now.
 */
export const trackRoute: RequestHandler = (req, _res, next) => {
  const tracked = req as unknown as Tracked;
  let route: unknown = req.route;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: { path?: unknown } | undefined) {
      route = value;
      if (value && typeof value.path === 'string') {
        const base = tracked.baseUrl ?? '';
        tracked[ROUTE] = value.path === '/' && base ? base : `${base}${value.path}`;
      }
    },
  });
  next();
};

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** What a request log line says; the same whether the request succeeded or failed. */
function line(req: IncomingMessage, res: ServerResponse, durationMs: unknown) {
  return {
    method: req.method,
    route: routePattern(req),
    status: res.statusCode,
    durationMs,
    ...(res.writableFinished ? {} : { aborted: true }),
  };
}

/** Logs every request once it has been answered (or the client went away), on `log`. */
export function requestLog(log: Logger): RequestHandler {
  const middleware = pinoHttp({
    logger: log,
    genReqId: requestId,
    // The request id alone is bound to req.log; the line itself is built below, from safe parts only.
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    // Anything logged as `req` / `res` through req.log is reduced to safe parts too.
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage) => ({ method: req.method, route: routePattern(req) }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
    },
    customLogLevel: (req, res) => {
      if (res.statusCode >= 500) return 'error';
      return QUIET.has(routePattern(req)) ? 'debug' : 'info';
    },
    customSuccessObject: (req, res, val: { durationMs?: unknown }) => line(req, res, val.durationMs),
    customErrorObject: (req, res, _error, val: { durationMs?: unknown }) => line(req, res, val.durationMs),
    customSuccessMessage: () => 'request completed',
    // The error itself is logged by the error handler; this line only says that the request failed.
    customErrorMessage: () => 'request completed',
  });
  return (req, res, next) => middleware(req, res, next);
}
