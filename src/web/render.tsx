/** @jsxRuntime automatic @jsxImportSource preact */
// Pages are JSX rendered to a string on the server (preact-render-to-string
// escapes every text and attribute), sent as HTML in the reader's language.
import type { Request, Response } from 'express';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { webContext, type WebContext } from './context.ts';
import { Layout } from './layout.tsx';

/** `scripts`: names of files in src/web/scripts/ the page uses (without .js). */
export type PageOptions = { title: string; status?: number; scripts?: string[] };

/** Renders `body` inside the frame and sends it; pages that depend on who is signed in are not cached. */
export function sendPage(res: Response, ctx: WebContext, { title, status = 200, scripts }: PageOptions, body: ComponentChildren): void {
  if (ctx.principal) res.set('Cache-Control', 'no-store');
  res.status(status).type('html').send(renderDocument(ctx, title, body, scripts));
}

/** The whole HTML document: the frame around `body`. */
export const renderDocument = (ctx: WebContext, title: string, body: ComponentChildren, scripts?: string[]): string =>
  `<!doctype html>\n${renderToString(<Layout ctx={ctx} title={title} scripts={scripts}>{body}</Layout>)}`;

/** For handlers that only need to render: the context and the page in one call. */
export function page(req: Request, res: Response, options: PageOptions, body: (ctx: WebContext) => ComponentChildren): void {
  const ctx = webContext(req, res);
  sendPage(res, ctx, options, body(ctx));
}

/** After a successful form post: see other (303), so reloading the next page posts nothing again. */
export const seeOther = (res: Response, location: string) => res.redirect(303, location);

