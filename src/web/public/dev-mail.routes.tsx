/** @jsxRuntime automatic @jsxImportSource preact */
// The development mailbox: with MAIL_TRANSPORT=file (and never in
// production), /dev/mail lists the .eml files of the outbox, newest first, and
// shows one with its links made clickable, so a person trying `npm start` can
// follow confirmation and sign-in links. Otherwise there are no such routes (404).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import type { ComponentChildren } from 'preact';
import type { Config } from '../../config.ts';
import { notFound } from '../../http/errors.ts';
import { anyone, SecuredRouter } from '../../http/secured-router.ts';
import { formatDateTime, t } from '../../i18n/messages.ts';
import { requestLang } from '../context.ts';
import { page } from '../render.tsx';

/** The newest this many are listed (each is parsed to show it). */
const LISTED = 200;
const FILE = /^[\w.@-]{1,200}\.eml$/;

export function devMailEnabled(config: Pick<Config, 'env' | 'mail'>): boolean {
  return config.mail.transport === 'file' && config.env !== 'production';
}

type Listed = { file: string; at: string; to: string; subject: string };

const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a.map((x) => x.text).join(', ') : a?.text ?? '');

export function devMailRouter(config: Pick<Config, 'env' | 'mail' | 'publicUrl'>): SecuredRouter {
  const router = new SecuredRouter('/dev/mail');
  if (!devMailEnabled(config)) return router;
  const dir = config.mail.outboxDir;

  async function list(): Promise<Listed[]> {
    const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
    const files = await Promise.all(names.filter((n) => FILE.test(n)).map(async (file) => ({ file, mtime: (await stat(join(dir, file))).mtimeMs })));
    files.sort((a, b) => b.mtime - a.mtime || (a.file < b.file ? 1 : -1));
    return Promise.all(files.slice(0, LISTED).map(async ({ file, mtime }) => {
      const mail = await simpleParser(await readFile(join(dir, file)), { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
      return { file, at: (mail.date ?? new Date(mtime)).toISOString(), to: addresses(mail.to), subject: mail.subject ?? '' };
    }));
  }

  router.get('/', anyone, async (req, res) => {
    const mails = await list();
    const lang = requestLang(req);
    page(req, res, { title: t(lang, 'pub.devmail.title') }, (ctx) => (
      <>
        <h1>{t(ctx.lang, 'pub.devmail.title')}</h1>
        <p>{t(ctx.lang, 'pub.devmail.intro', { dir })}</p>
        {mails.length ? (
          <>
            <p>{t(ctx.lang, 'pub.devmail.count', { n: String(mails.length) })}</p>
            <div class="table-scroll">
              <table class="table">
                <thead>
                  <tr class="table__row">
                    <th scope="col" class="table__column">{t(ctx.lang, 'pub.devmail.subject')}</th>
                    <th scope="col" class="table__column">{t(ctx.lang, 'pub.devmail.to')}</th>
                    <th scope="col" class="table__column">{t(ctx.lang, 'pub.devmail.time')}</th>
                  </tr>
                </thead>
                <tbody>
                  {mails.map((m) => (
                    <tr key={m.file} class="table__row">
                      <td class="table__column"><a href={`/dev/mail/${encodeURIComponent(m.file)}`}>{m.subject || t(ctx.lang, 'pub.devmail.noSubject')}</a></td>
                      <td class="table__column">{m.to}</td>
                      <td class="table__column">{formatDateTime(m.at, ctx.lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : <p>{t(ctx.lang, 'pub.devmail.none')}</p>}
      </>
    ));
  });

  router.get('/:file', anyone, async (req, res) => {
    const file = req.params.file;
    if (!FILE.test(file)) throw notFound('Mail');
    const raw = await readFile(join(dir, file)).catch(() => null);
    if (!raw) throw notFound('Mail');
    const mail = await simpleParser(raw, { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true });
    const text = mail.text ?? '';
    const lang = requestLang(req);
    const subject = mail.subject || t(lang, 'pub.devmail.noSubject');
    page(req, res, { title: subject }, (ctx) => (
      <>
        <h1>{subject}</h1>
        <dl class="facts">
          <div class="facts__row"><dt>{t(ctx.lang, 'pub.devmail.from')}</dt><dd>{addresses(mail.from)}</dd></div>
          <div class="facts__row"><dt>{t(ctx.lang, 'pub.devmail.to')}</dt><dd>{addresses(mail.to)}</dd></div>
          {mail.date ? <div class="facts__row"><dt>{t(ctx.lang, 'pub.devmail.time')}</dt><dd>{formatDateTime(mail.date.toISOString(), ctx.lang)}</dd></div> : null}
        </dl>
        <pre class="mail-text">{linkify(text, config.publicUrl)}</pre>
        <p><a href="/dev/mail">{t(ctx.lang, 'pub.devmail.back')}</a></p>
      </>
    ));
  });

  return router;
}

/**
 * The text with its web addresses as links. Addresses of this site
 * (PUBLIC_URL) become paths, so they open on whatever host and port the
 * mailbox is read from.
 */
export function linkify(text: string, publicUrl: string): ComponentChildren[] {
  const base = publicUrl.replace(/\/+$/, '');
  const parts: ComponentChildren[] = [];
  let at = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"'()]+[^\s<>"'().,;:!?]/g)) {
    const url = match[0];
    parts.push(text.slice(at, match.index));
    const href = url.startsWith(`${base}/`) ? url.slice(base.length) : url;
    parts.push(<a key={match.index} class="anchor" href={href}>{url}</a>);
    at = match.index + url.length;
  }
  parts.push(text.slice(at));
  return parts;
}
