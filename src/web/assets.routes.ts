// The pages' stylesheet, from a file beside this module: the
// Content-Security-Policy allows no inline <style> (src/http/security-headers.ts).
import { readFileSync } from 'node:fs';
import { anyone, SecuredRouter } from '../http/secured-router.ts';

export const STYLESHEET = '/assets/brygga.css';

export function assetsRouter(): SecuredRouter {
  const router = new SecuredRouter();
  const css = readFileSync(new URL('./brygga.css', import.meta.url), 'utf8');
  router.get(STYLESHEET, anyone, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('text/css').send(css);
  });
  return router;
}
