/** @jsxRuntime automatic @jsxImportSource preact */
// The page a person sees when a request fails. The AppError's message is
// written for developers; people get an explanation by kind, in their language.
import type { Request } from 'express';
import type { AppError } from '../http/errors.ts';
import { t } from '../i18n/messages.ts';
import { requestLang } from './context.ts';
import { renderDocument } from './render.tsx';

type PageKind = 'notFound' | 'badLink' | 'badRequest' | 'tooMany' | 'internal';

export function errorPage(error: AppError, req: Request): string {
  const kind: PageKind = error.status >= 500 ? 'internal'
    : error.code === 'invalid_link' ? 'badLink'
      : error.status === 404 ? 'notFound'
        : error.status === 429 ? 'tooMany'
          : 'badRequest';
  const lang = requestLang(req);
  const title = t(lang, `page.error.${kind}.title`);
  // Nobody is named in the frame: the error may come before (or from) signing in.
  return renderDocument({ lang, principal: null, path: req.originalUrl, csrf: '' }, title, (
    <>
      <h1>{title}</h1>
      <p>{t(lang, `page.error.${kind}.text`)}</p>
      <p class="meta">{t(lang, 'page.error.status', { status: String(error.status) })}</p>
      <p><a href="/">{t(lang, 'page.error.home')}</a></p>
    </>
  ));
}
