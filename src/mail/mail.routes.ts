// The pages behind the links in e-mail. GET only shows a page with a button:
// link scanners follow GETs, and must not confirm or unsubscribe anyone.
// POST acts, without a login: the signed token is the permission
// (RFC 8058 one-click unsubscribe posts `List-Unsubscribe=One-Click` here).
import express, { type Request, type Response } from 'express';
import { h } from 'preact';
import type { Db } from '../../db/database.ts';
import { findCompany, subscriptionNames } from '../companies/companies.repo.ts';
import { AppError } from '../http/errors.ts';
import { anyone, SecuredRouter } from '../http/secured-router.ts';
import { cookieValue } from '../accounts/authenticate.ts';
import { langOf, t, type Lang } from '../i18n/messages.ts';
import { LANG_COOKIE, webContext } from '../web/context.ts';
import { ConfirmPage, MessagePage } from '../web/public/signin.pages.tsx';
import { sendPage } from '../web/render.tsx';
import { confirmAddress, unsubscribe } from './subscriptions.service.ts';
import { addressHash, checkToken, type TokenPayload, type TokenPurpose } from './tokens.ts';

export function mailRouter(db: Db, secret: string, onConfirmed: () => void): SecuredRouter {
  const router = new SecuredRouter();
  const formBody = express.urlencoded({ extended: false, limit: '2kb' });

  async function resolve(token: string, purpose: TokenPurpose) {
    const checked = checkToken(secret, token, purpose);
    const payload = checked.ok ? checked.payload : null;
    const company = payload ? await findCompany(db, payload.c) : undefined;
    // A link works only for the address it was mailed to: after the firm gives
    // a new address, links sent to the old one (confirm or unsubscribe) are spent.
    const sameAddress = !!payload && !!company && payload.e === addressHash(secret, company.email);
    // A confirmation link sent before a resend is spent too.
    const stale = purpose === 'confirm' && (payload?.r ?? 1) !== company?.confirm_round;
    if (!payload || !company || !sameAddress || stale) {
      const expired = !checked.ok && checked.reason === 'expired';
      throw new AppError(404, 'invalid_link', t('sv', expired ? 'page.expiredLink' : 'page.badLink'));
    }
    const lang = langOf(company.language);
    return { payload: payload as TokenPayload, company, lang };
  }

  /** In the firm's own language (its e-mail's), unless the reader chose one on the site. */
  const context = (req: Request, res: Response, lang: Lang) => {
    const chosen = cookieValue(req, LANG_COOKIE);
    return { ...webContext(req, res), lang: chosen === 'sv' || chosen === 'en' ? chosen : lang };
  };
  const form = (req: Request, res: Response, firmLang: Lang, title: (lang: Lang) => string, question: (lang: Lang) => string, button: (lang: Lang) => string) => {
    const ctx = context(req, res, firmLang);
    const { lang } = ctx;
    sendPage(res, ctx, { title: title(lang) }, h(ConfirmPage, { ctx, title: title(lang), question: question(lang), button: button(lang), action: req.originalUrl.split('?')[0] }));
  };
  const done = (req: Request, res: Response, firmLang: Lang, title: (lang: Lang) => string, message: (lang: Lang) => string) => {
    const ctx = context(req, res, firmLang);
    sendPage(res, ctx, { title: title(ctx.lang) }, h(MessagePage, { title: title(ctx.lang), message: message(ctx.lang) }));
  };

  router.get('/unsubscribe/:token', anyone, async (req, res) => {
    const { payload, company, lang } = await resolve(req.params.token, 'unsubscribe');
    const name = payload.s && payload.s !== '*'
      ? (await subscriptionNames(db, [payload.s]))[0]?.name
      : undefined;
    const question = (l: Lang) => name
      ? t(l, 'page.unsubscribe.question.one', { name, company: company.name })
      : t(l, 'page.unsubscribe.question.all', { company: company.name });
    form(req, res, lang, (l) => t(l, 'page.unsubscribe.title'), question, (l) => t(l, 'page.unsubscribe.button'));
  });

  router.post('/unsubscribe/:token', anyone, formBody, async (req, res) => {
    const { payload, company, lang } = await resolve(req.params.token, 'unsubscribe');
    const which = payload.s ?? '*';
    await unsubscribe(db, company.id, which);
    const message = (l: Lang) => t(l, which === '*' ? 'page.unsubscribe.doneAll' : 'page.unsubscribe.done', { company: company.name });
    done(req, res, lang, (l) => t(l, 'page.unsubscribe.title'), message);
  });

  router.get('/confirm/:token', anyone, async (req, res) => {
    const { company, lang } = await resolve(req.params.token, 'confirm');
    const question = (l: Lang) => t(l, 'page.confirm.question', { email: company.email, company: company.name });
    form(req, res, lang, (l) => t(l, 'page.confirm.title'), question, (l) => t(l, 'page.confirm.button'));
  });

  router.post('/confirm/:token', anyone, formBody, async (req, res) => {
    const { company, lang } = await resolve(req.params.token, 'confirm');
    if (await confirmAddress(db, company.id)) onConfirmed(); // the summary of open matches waits in the outbox
    done(req, res, lang, (l) => t(l, 'page.confirm.title'), (l) => t(l, 'page.confirm.done'));
  });

  return router;
}
