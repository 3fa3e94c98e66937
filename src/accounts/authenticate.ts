// Finds who is asking before any route runs: a bearer API token, or the
// session cookie. A state-changing request carried by a session cookie must
// come from Brygga's own pages (Origin / Sec-Fetch-Site): the cookie alone
// proves nothing about intent (CSRF). Bearer tokens are sent on purpose.
import type { Request, RequestHandler } from 'express';
import type { Db } from '../../db/database.ts';
import { AppError } from '../http/errors.ts';
import { SESSION_COOKIE, sessionPrincipal, tokenPrincipal, type SessionPolicy } from './sessions.service.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function cookieValue(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeCookie(value.join('='));
  }
  return null;
}

/** A cookie value that does not decode (a stray `%`) is no cookie: it cannot hold a session, and is not worth a 500. */
function decodeCookie(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch (error) {
    if (error instanceof URIError) return null;
    throw error;
  }
}

/** Whether a browser sent this request from one of our own pages. */
export function sameOrigin(req: Request, publicOrigin: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site) return site === 'same-origin' || site === 'none';
  const origin = req.headers.origin;
  if (!origin) return false;
  return origin === publicOrigin || origin === `${req.protocol}://${req.headers.host}`;
}

export function authenticate(db: Db, policy: SessionPolicy, publicUrl: string): RequestHandler {
  const publicOrigin = new URL(publicUrl).origin;
  return async (req, res, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer) {
      const principal = await tokenPrincipal(db, bearer);
      if (!principal) return next(new AppError(401, 'invalid_token', 'The API token is unknown, expired or revoked'));
      res.locals.principal = principal;
      return next();
    }
    const session = cookieValue(req, SESSION_COOKIE);
    const principal = session ? await sessionPrincipal(db, session, policy) : null;
    if (principal && !SAFE.has(req.method) && !sameOrigin(req, publicOrigin)) {
      return next(new AppError(403, 'cross_site_request', 'A signed-in change must come from Brygga’s own pages'));
    }
    res.locals.principal = principal;
    next();
  };
}
