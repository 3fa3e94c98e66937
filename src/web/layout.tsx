/** @jsxRuntime automatic @jsxImportSource preact */
// The frame of every page: skip link, header with the menu for the signed-in
// roles, the language switch, main content, footer. FKUI's classes
// (@fkui/design, /assets/fkui.css) give the look; /assets/brygga.css the rest.
import type { ComponentChildren } from 'preact';
import { has } from '../domain/access.ts';
import { t } from '../i18n/messages.ts';
import type { WebContext } from './context.ts';
import { CsrfField } from './components/form.tsx';

type Link = { href: string; label: string };

function menu(ctx: WebContext): Link[] {
  const { lang, principal: p } = ctx;
  const links: Link[] = [{ href: '/', label: t(lang, 'web.nav.search') }];
  if (has(p, 'firm')) links.push({ href: '/firm', label: t(lang, 'web.nav.firm') });
  if (has(p, 'officer')) links.push({ href: '/officer', label: t(lang, 'web.nav.officer') });
  if (has(p, 'staff', 'admin')) links.push({ href: '/staff', label: t(lang, 'web.nav.staff') });
  if (has(p, 'admin')) links.push({ href: '/admin', label: t(lang, 'web.nav.admin') });
  if (!p) links.push({ href: '/register', label: t(lang, 'web.nav.register') });
  links.push({ href: '/about', label: t(lang, 'web.nav.about') });
  return links;
}

/** The same page in the other language (the switch remembers the choice in a cookie). */
const otherLanguage = (ctx: WebContext) =>
  `/lang/${ctx.lang === 'sv' ? 'en' : 'sv'}?back=${encodeURIComponent(ctx.path)}`;

/** `scripts`: the page's own enhancement scripts from /assets/js/ (every page has forms.js). */
export function Layout({ ctx, title, scripts = [], children }: { ctx: WebContext; title: string; scripts?: string[]; children: ComponentChildren }) {
  const { lang, principal } = ctx;
  const current = ctx.path.split('?')[0];
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – Brygga`}</title>
        <link rel="stylesheet" href="/assets/fkui.css" />
        <link rel="stylesheet" href="/assets/brygga.css" />
        {['forms', ...scripts].map((name) => <script key={name} type="module" src={`/assets/js/${name}.js`} />)}
      </head>
      <body>
        <a class="skip-link" href="#main">{t(lang, 'web.skip')}</a>
        <header class="page-header site-header">
          <a class="page-header__app-name site-name" href="/">Brygga</a>
          <span class="site-tagline">{t(lang, 'app.tagline')}</span>
          <div class="page-header__right site-tools">
            <a href={otherLanguage(ctx)} lang={lang === 'sv' ? 'en' : 'sv'}>{t(lang, 'web.language.switch')}</a>
            {principal ? (
              <form method="post" action="/logout" class="inline-form">
                <CsrfField ctx={ctx} />
                <span class="signed-in">{t(lang, 'web.signedInAs', { email: principal.email })}</span>{' '}
                <button type="submit" class="button button--tertiary button--small button--tertiary--inverted">{t(lang, 'web.nav.logout')}</button>
              </form>
            ) : (
              <a href="/login">{t(lang, 'web.nav.login')}</a>
            )}
          </div>
        </header>
        <nav class="site-nav" aria-label={t(lang, 'web.nav.label')}>
          <ul>
            {menu(ctx).map((link) => (
              <li key={link.href}>
                <a href={link.href} aria-current={current === link.href ? 'page' : undefined}>{link.label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>{children}</main>
        <footer class="site-footer">
          <p>{t(lang, 'fairness')}</p>
          <p>
            <a href="/about">{t(lang, 'web.footer.about')}</a> · <a href="/accessibility">{t(lang, 'web.footer.accessibility')}</a>
          </p>
        </footer>
      </body>
    </html>
  );
}
