/** @jsxRuntime automatic @jsxImportSource preact */
// What the firm's pages share: their rule (a firm's user, acting for its own
// company), the company of the request, the sub-menu and the one-line notes
// a page shows after a change (?done=…).
import type { Request, Response } from 'express';
import { principalOf, type Rule } from '../../http/secured-router.ts';
import { t, type Lang, type MessageKey } from '../../i18n/messages.ts';
import type { WebContext } from '../context.ts';

/** A firm's user: the pages show and change that user's own company only. */
export const firmPages: Rule = { name: 'firm', allows: (p) => !!p && p.roles.has('firm') && p.companyId !== null };

export const companyOf = (res: Response): string => principalOf(res)!.companyId!;

const LINKS: [string, MessageKey][] = [
  ['/firm', 'web.firm.nav.matches'],
  ['/firm/subscriptions', 'web.firm.nav.subscriptions'],
  ['/firm/deliveries', 'web.firm.nav.deliveries'],
  ['/firm/profile', 'web.firm.nav.profile'],
];

export function FirmNav({ ctx }: { ctx: WebContext }) {
  const current = ctx.path.split('?')[0];
  return (
    <nav class="firm-nav" aria-label={t(ctx.lang, 'web.firm.nav.label')}>
      <ul>
        {LINKS.map(([href, key]) => (
          <li key={href}><a href={href} aria-current={current === href ? 'page' : undefined}>{t(ctx.lang, key)}</a></li>
        ))}
      </ul>
    </nav>
  );
}

/** The note a page shows after a change it was redirected from: only the keys it knows. */
export function doneNote(req: Request, lang: Lang, known: Record<string, MessageKey>): string | null {
  const done = typeof req.query.done === 'string' ? req.query.done : '';
  return Object.hasOwn(known, done) ? t(lang, known[done]) : null;
}

export const Note = ({ text }: { text: string | null }) =>
  text ? (
    <div class="message-box message-box--success" role="status">
      <p class="message-box__content">{text}</p>
    </div>
  ) : null;
