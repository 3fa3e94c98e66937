// GET /auth/oidc starts a single sign-on (302 to the identity provider);
// GET /auth/oidc/callback finishes it: a new session and a redirect to `/`.
// Without OIDC_ISSUER there are no such routes (404), and nothing else changes.
import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import type { Config } from '../config.ts';
import { AppError } from '../http/errors.ts';
import { anyone, SecuredRouter } from '../http/secured-router.ts';
import { cookieValue } from './authenticate.ts';
import { CALLBACK_PATH, clearedFlowCookie, FLOW_COOKIE, flowCookie, flowKey, OidcClient, openFlow, sealFlow, signInWithOidc } from './oidc.ts';
import { endSession, SESSION_COOKIE, sessionCookie } from './sessions.service.ts';

export function oidcRouter(db: Db, config: Config, secret: string, log: Logger): SecuredRouter {
  const router = new SecuredRouter('/auth/oidc');
  const settings = config.oidc;
  if (!settings) return router;
  const sso = new OidcClient(settings, config.publicUrl, log);
  const key = flowKey(secret);
  const secure = new URL(config.publicUrl).protocol === 'https:';

  router.get('/', anyone, async (_req, res) => {
    const { url, flow } = await sso.begin();
    res.set('Cache-Control', 'no-store');
    res.append('Set-Cookie', flowCookie(sealFlow(key, flow), secure));
    res.redirect(302, url.href);
  });

  router.get('/callback', anyone, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    // A started sign-in is finished once, whatever the outcome.
    res.append('Set-Cookie', clearedFlowCookie(secure));
    const flow = openFlow(key, cookieValue(req, FLOW_COOKIE));
    if (!flow) throw new AppError(400, 'sso_refused', 'No sign-in was started in this browser, or it took too long; start it again');
    // The address the provider redirected to, as Brygga is known to it (PUBLIC_URL), with the provider's answer.
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const identity = await sso.finish(new URL(`${config.publicUrl}${CALLBACK_PATH}${query}`), flow);
    const signedIn = await signInWithOidc(db, settings, identity, config.sessions, req.ip ?? null);
    // A new session, never the one the browser came with (session fixation).
    const previous = cookieValue(req, SESSION_COOKIE);
    if (previous) await endSession(db, previous);
    log.info({ userId: signedIn.userId, roles: signedIn.roles }, 'signed in with single sign-on');
    res.append('Set-Cookie', sessionCookie(signedIn.token, config.sessions.maxHours, secure));
    res.redirect(302, '/');
  });

  return router;
}
