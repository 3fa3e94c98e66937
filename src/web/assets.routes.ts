// The pages' static files: FKUI's stylesheet (@fkui/design, from node_modules),
// Brygga's own small one, and the few progressive-enhancement scripts in
// ./scripts/. The Content-Security-Policy allows no inline style or script, so
// everything a page uses is served from here.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { notFound } from '../http/errors.ts';
import { anyone, SecuredRouter } from '../http/secured-router.ts';

const require = createRequire(import.meta.url);

export function assetsRouter(): SecuredRouter {
  const router = new SecuredRouter();
  const styles: Record<string, string> = {
    'fkui.css': readFileSync(require.resolve('@fkui/design/lib/fkui.min.css'), 'utf8'),
    'brygga.css': readFileSync(new URL('./brygga.css', import.meta.url), 'utf8'),
  };
  const scriptsDir = new URL('./scripts/', import.meta.url);
  const scripts = new Map(readdirSync(scriptsDir).filter((f) => f.endsWith('.js')).map((f) => [f, readFileSync(new URL(f, scriptsDir), 'utf8')]));

  router.get('/assets/:file.css', anyone, (req, res) => {
    const css = styles[`${req.params.file}.css`];
    if (!css) throw notFound('Stylesheet');
    res.set('Cache-Control', 'public, max-age=3600').type('text/css').send(css);
  });
  router.get('/assets/js/:file.js', anyone, (req, res) => {
    const js = scripts.get(`${req.params.file}.js`);
    if (!js) throw notFound('Script');
    res.set('Cache-Control', 'public, max-age=3600').type('text/javascript').send(js);
  });
  return router;
}
