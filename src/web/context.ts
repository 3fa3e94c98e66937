// What every page needs to know about the request it answers: the reader's
// language, who is signed in, where they are, and the form token.
import type { Request, Response } from 'express';
import { cookieValue } from '../accounts/authenticate.ts';
import type { Principal } from '../domain/access.ts';
import { principalOf } from '../http/secured-router.ts';
import type { Lang } from '../i18n/messages.ts';
import { csrfToken } from './csrf.ts';

export const LANG_COOKIE = 'brygga_lang';

export type WebContext = {
  lang: Lang;
  principal: Principal | null;
  /** The path and query of this page: where the language switch comes back to. */
  path: string;
  /** The value every form posts back as `_csrf` (src/web/csrf.ts). */
  csrf: string;
};

/** The reader's choice (a cookie set by the language switch), else the browser's preference, else Swedish. */
export function requestLang(req: Request): Lang {
  const chosen = cookieValue(req, LANG_COOKIE);
  if (chosen === 'sv' || chosen === 'en') return chosen;
  return req.acceptsLanguages('sv', 'en') === 'en' ? 'en' : 'sv';
}

export function webContext(req: Request, res: Response): WebContext {
  return { lang: requestLang(req), principal: principalOf(res), path: req.originalUrl, csrf: csrfToken(req, res) };
}
