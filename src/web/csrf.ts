// Form tokens (double submit): a random value in an HttpOnly, SameSite=Lax
// cookie, echoed by every form as the hidden field `_csrf`. Another site can
// make a browser post a form, but cannot read the cookie to fill the field.
// It adds to the Origin / Sec-Fetch-Site check in src/accounts/authenticate.ts,
// which browsers that send neither header would pass.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { cookieValue } from '../accounts/authenticate.ts';
import { AppError } from '../http/errors.ts';

export const CSRF_COOKIE = 'brygga_csrf';
export const CSRF_FIELD = '_csrf';

/** This browser's token, set as a cookie on the answer when it has none yet. */
export function csrfToken(req: Request, res: Response): string {
  const existing = (res.locals.csrf as string | undefined) ?? cookieValue(req, CSRF_COOKIE);
  if (existing && /^[\w-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  const secure = req.protocol === 'https' ? '; Secure' : '';
  res.append('Set-Cookie', `${CSRF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax${secure}`);
  res.locals.csrf = token;
  return token;
}

/** Refuses a form post whose `_csrf` does not match the browser's cookie (after the body is parsed). */
export const requireCsrf: RequestHandler = (req, _res, next) => {
  const cookie = cookieValue(req, CSRF_COOKIE);
  const sent = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  const ok = !!cookie && typeof sent === 'string' && sent.length === cookie.length && timingSafeEqual(Buffer.from(sent), Buffer.from(cookie));
  next(ok ? undefined : new AppError(403, 'invalid_form_token', 'The form token is missing or wrong: reload the page and send the form again'));
};
