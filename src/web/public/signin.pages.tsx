/** @jsxRuntime automatic @jsxImportSource preact */
// The pages of signing in (src/accounts/signin.routes.ts) and of the links in
// e-mail (src/mail/mail.routes.ts). Their forms carry the form token like
// every other form; the routes keep their own protections (Origin checks,
// the signed token in the link), and /unsubscribe/:token takes a POST
// without one (RFC 8058 one-click from mail clients).
import { t } from '../../i18n/messages.ts';
import { Button, PostForm, TextField } from '../components/form.tsx';
import type { WebContext } from '../context.ts';

/** GET /login: the address to send a sign-in link to. */
export function LoginPage({ ctx, minutes }: { ctx: WebContext; minutes: string }) {
  const { lang } = ctx;
  return (
    <>
      <h1>{t(lang, 'page.login.title')}</h1>
      <p>{t(lang, 'page.login.intro', { minutes })}</p>
      <PostForm ctx={ctx} action="/login">
        <TextField name="email" type="email" label={t(lang, 'page.login.email')} autocomplete="email" required maxLength={254} spellcheck={false} />
        <Button>{t(lang, 'page.login.send')}</Button>
      </PostForm>
    </>
  );
}

/** A page that only says something: a heading and a status message. */
export function MessagePage({ title, message }: { title: string; message: string }) {
  return (
    <>
      <h1>{title}</h1>
      <div class="message-box message-box--success" role="status">
        <div class="message-box__content"><p>{message}</p></div>
      </div>
    </>
  );
}

/**
 * A question with one button that posts back to this same address: opening a
 * link never acts (mail scanners open links), the button does.
 */
export function ConfirmPage({ ctx, title, question, button, action }: { ctx: WebContext; title: string; question: string; button: string; action: string }) {
  return (
    <>
      <h1>{title}</h1>
      <p>{question}</p>
      <PostForm ctx={ctx} action={action}>
        <Button>{button}</Button>
      </PostForm>
    </>
  );
}

/** A sign-in link that is spent, expired or not whole. */
export function BadSignInLinkPage({ ctx, minutes }: { ctx: WebContext; minutes: string }) {
  const { lang } = ctx;
  return (
    <>
      <h1>{t(lang, 'page.login.badLink.title')}</h1>
      <p>{t(lang, 'page.login.badLink.text', { minutes })}</p>
      <p><a href="/login">{t(lang, 'page.login.again')}</a></p>
    </>
  );
}
