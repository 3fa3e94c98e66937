// The language switch: remembers the reader's choice in a cookie (a year) and
// goes back to the page it came from. Only a path on this site is followed.
import { anyone, SecuredRouter } from '../http/secured-router.ts';
import { LANG_COOKIE } from './context.ts';

const localPath = (value: unknown) => (typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/');

export function langRouter(): SecuredRouter {
  const router = new SecuredRouter();
  router.get('/lang/:lang', anyone, (req, res) => {
    const lang = req.params.lang === 'en' ? 'en' : 'sv';
    res.append('Set-Cookie', `${LANG_COOKIE}=${lang}; Path=/; Max-Age=${365 * 24 * 3600}; SameSite=Lax`);
    res.redirect(303, localPath(req.query.back));
  });
  return router;
}
