// Signing in and out. GET /login asks for an address; POST /login answers the
// same whether or not it is a user's (and no sooner than ANSWER_AFTER_MS).
// The link in the e-mail opens a page with a button (GET does nothing: mail
// scanners open links); its POST spends the link, starts a new session (never
// the one the browser came with) and sets the cookie.
import express, { type Request, type RequestHandler, type Response } from 'express';
import { h, type ComponentChildren } from 'preact';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Config } from '../config.ts';
import { AppError, parseOr400 } from '../http/errors.ts';
import { anyone, principalOf, SecuredRouter, signedIn } from '../http/secured-router.ts';
import { t } from '../i18n/messages.ts';
import { requestLang, webContext, type WebContext } from '../web/context.ts';
import { BadSignInLinkPage, ConfirmPage, LoginPage, MessagePage } from '../web/public/signin.pages.tsx';
import { sendPage } from '../web/render.tsx';
import { cookieValue, sameOrigin } from './authenticate.ts';
import { clearedSessionCookie, endSession, SESSION_COOKIE, sessionCookie } from './sessions.service.ts';
import { ANSWER_AFTER_MS, checkSignInLink, requestSignInLink, signInWithLink, signOutEverywhere, type LinkProblem } from './signin.service.ts';

const emailSchema = z.object({ email: z.string().trim().max(254).pipe(z.email()) });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function signinRouter(db: Db, config: Config, limits: RequestHandler[], changed: () => void): SecuredRouter {
  const router = new SecuredRouter();
  const formBody = express.urlencoded({ extended: false, limit: '2kb' });
  const secure = new URL(config.publicUrl).protocol === 'https:';
  const publicOrigin = new URL(config.publicUrl).origin;
  const minutes = String(config.loginLinkMinutes);

  /**
   * Signing in (or asking for a link) from another site's page is refused, cookie
   * or not: it would sign a visitor into someone else's account (login CSRF).
   * A browser always says where a POST comes from; other clients say nothing.
   */
  const fromOurPages: RequestHandler = (req, _res, next) => {
    const browserSays = req.headers['sec-fetch-site'] ?? req.headers.origin;
    if (browserSays && !sameOrigin(req, publicOrigin)) return next(new AppError(403, 'cross_site_request', 'Sign in from Brygga’s own pages'));
    next();
  };
  const noStore: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  };

  /** A page in the reader's language (their choice, else the browser's). */
  const page = (req: Request, res: Response, title: (ctx: WebContext) => string, body: (ctx: WebContext) => ComponentChildren, status = 200) => {
    const ctx = webContext(req, res);
    sendPage(res, ctx, { title: title(ctx), status }, body(ctx));
  };
  const badLink = (req: Request, res: Response, problem: LinkProblem) =>
    page(req, res, ({ lang }) => t(lang, 'page.login.badLink.title'), (ctx) => h(BadSignInLinkPage, { ctx, minutes }), problem === 'unknown' ? 404 : 400);
  /** After signing out: to the start page (a browser), or nothing to say (an API client). */
  const signedOut = (req: Request, res: Response) => {
    res.append('Set-Cookie', clearedSessionCookie(secure));
    if (req.accepts(['html', 'json']) === 'json') res.status(204).end();
    else res.redirect(303, '/');
  };
  /** The session this request came with, when it is a valid one (a stranger's cookie value is not acted on). */
  const currentSession = (req: Request, res: Response) =>
    principalOf(res)?.via === 'session' ? cookieValue(req, SESSION_COOKIE) : null;

  router.get('/login', anyone, noStore, (req, res) => {
    page(req, res, ({ lang }) => t(lang, 'page.login.title'), (ctx) => h(LoginPage, { ctx, minutes }));
  });

  router.post('/login', anyone, noStore, formBody, fromOurPages, ...limits, async (req, res) => {
    const started = Date.now();
    const lang = requestLang(req);
    const { email } = parseOr400(emailSchema, req.body);
    const queued = await requestSignInLink(db, email, lang);
    await sleep(started + ANSWER_AFTER_MS - Date.now());
    const message = t(lang, 'page.login.sent', { minutes });
    if (req.is('application/json')) res.status(202).json({ message });
    else page(req, res, () => t(lang, 'page.login.title'), () => h(MessagePage, { title: t(lang, 'page.login.title'), message }));
    if (queued) changed(); // after answering, so relaying costs the asker no time either
  });

  router.get('/login/:token', anyone, noStore, async (req, res) => {
    const link = await checkSignInLink(db, req.params.token);
    if (!link.ok) return void badLink(req, res, link.problem);
    page(req, res, ({ lang }) => t(lang, 'page.login.title'), (ctx) => h(ConfirmPage, {
      ctx, title: t(ctx.lang, 'page.login.title'), question: t(ctx.lang, 'page.login.question'), button: t(ctx.lang, 'page.login.button'),
      action: req.originalUrl.split('?')[0],
    }));
  });

  router.post('/login/:token', anyone, noStore, formBody, fromOurPages, async (req, res) => {
    const result = await signInWithLink(db, req.params.token, config.sessions);
    if (!result.ok) return void badLink(req, res, result.problem);
    // The browser's earlier session (another user's, say) ends; the new one has a new id.
    const previous = currentSession(req, res);
    if (previous) await endSession(db, previous);
    res.append('Set-Cookie', sessionCookie(result.session.token, config.sessions.maxHours, secure));
    res.redirect(303, '/');
  });

  router.post('/logout', anyone, formBody, async (req, res) => {
    const session = currentSession(req, res);
    if (session) await endSession(db, session);
    signedOut(req, res);
  });

  router.post('/logout/everywhere', signedIn, formBody, async (req, res) => {
    await signOutEverywhere(db, principalOf(res)!.userId);
    signedOut(req, res);
  });

  router.get('/api/me', signedIn, (_req, res) => {
    const p = principalOf(res)!;
    res.json({ id: p.userId, email: p.email, roles: [...p.roles], companyId: p.companyId, buyerId: p.buyerId, via: p.via });
  });

  return router;
}
