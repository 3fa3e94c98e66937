// The pages behind the links in e-mail. GET only shows a page with a button:
// link scanners follow GETs, and must not confirm or unsubscribe anyone.
// POST acts, without a login: the signed token is the permission
// (RFC 8058 one-click unsubscribe posts `List-Unsubscribe=One-Click` here).
import express from 'express';
import type { Db } from '../../db/database.ts';
import { findCompany, subscriptionNames } from '../companies/companies.repo.ts';
import { AppError } from '../http/errors.ts';
import { anyone, SecuredRouter } from '../http/secured-router.ts';
import { langOf, t, type Lang } from '../i18n/messages.ts';
import { escapeHtml } from '../domain/text.ts';
import { layout } from '../web/render.tsx';
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

  const form = (lang: Lang, title: string, question: string, button: string) =>
    layout(lang, title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(question)}</p>
<form method="post"><button type="submit">${escapeHtml(button)}</button></form>`);
  const done = (lang: Lang, title: string, message: string) =>
    layout(lang, title, `<h1>${escapeHtml(title)}</h1><p role="status">${escapeHtml(message)}</p>`);

  router.get('/unsubscribe/:token', anyone, async (req, res) => {
    const { payload, company, lang } = await resolve(req.params.token, 'unsubscribe');
    const name = payload.s && payload.s !== '*'
      ? (await subscriptionNames(db, [payload.s]))[0]?.name
      : undefined;
    const question = name
      ? t(lang, 'page.unsubscribe.question.one', { name, company: company.name })
      : t(lang, 'page.unsubscribe.question.all', { company: company.name });
    res.type('html').send(form(lang, t(lang, 'page.unsubscribe.title'), question, t(lang, 'page.unsubscribe.button')));
  });

  router.post('/unsubscribe/:token', anyone, formBody, async (req, res) => {
    const { payload, company, lang } = await resolve(req.params.token, 'unsubscribe');
    const which = payload.s ?? '*';
    await unsubscribe(db, company.id, which);
    const message = t(lang, which === '*' ? 'page.unsubscribe.doneAll' : 'page.unsubscribe.done', { company: company.name });
    res.type('html').send(done(lang, t(lang, 'page.unsubscribe.title'), message));
  });

  router.get('/confirm/:token', anyone, async (req, res) => {
    const { company, lang } = await resolve(req.params.token, 'confirm');
    const question = t(lang, 'page.confirm.question', { email: company.email, company: company.name });
    res.type('html').send(form(lang, t(lang, 'page.confirm.title'), question, t(lang, 'page.confirm.button')));
  });

  router.post('/confirm/:token', anyone, formBody, async (req, res) => {
    const { company, lang } = await resolve(req.params.token, 'confirm');
    if (await confirmAddress(db, company.id)) onConfirmed(); // the summary of open matches waits in the outbox
    res.type('html').send(done(lang, t(lang, 'page.confirm.title'), t(lang, 'page.confirm.done')));
  });

  return router;
}
