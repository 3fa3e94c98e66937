// Single sign-on against a real OpenID Connect provider (oidc-provider) in
// this process, driven as a browser would: redirects followed by hand, cookies
// kept per site. The provider's login page is the test's own: it signs in the
// account the test names, and consent is already given (a first-party client).
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { expect } from 'chai';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { addUser } from '../../src/accounts/accounts.service.ts';
import { findUserByEmail } from '../../src/accounts/accounts.repo.ts';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';

const CLIENT = { id: 'brygga', secret: 'brygga-test-client-secret' };

type Account = { email: string; groups: string[]; emailVerified?: boolean };

/** An OpenID Connect provider listening on a free port of this machine, with one client registered. */
class TestProvider {
  readonly accounts = new Map<string, Account>();
  private constructor(private readonly server: Server, readonly issuer: string) {}

  static async start(redirectUri: string): Promise<TestProvider> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const self: TestProvider = new TestProvider(server, issuer);
    const provider = new Provider(issuer, {
      clients: [{
        client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uris: [redirectUri],
        grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post',
      }],
      jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
      cookies: { keys: ['test-provider-cookie-key'] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], groups: ['groups'] },
      pkce: { required: () => true },
      ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      findAccount: (_ctx, id) => {
        const account = self.accounts.get(id);
        return account && {
          accountId: id,
          claims: () => ({ sub: id, email: account.email, email_verified: account.emailVerified ?? true, groups: account.groups }),
        };
      },
      // Consent is given for Brygga, as a municipality's provider does for its own applications.
      loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
        const client = ctx.oidc.client!;
        const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(client.clientId);
        if (grantId) return ctx.oidc.provider.Grant.find(grantId);
        const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: ctx.oidc.session!.accountId! });
        grant.addOIDCScope('openid email profile groups');
        await grant.save();
        return grant;
      },
    });
    const handle = provider.callback();
    server.on('request', (req, res) => {
      if (!req.url?.startsWith('/interaction/')) return void handle(req, res);
      // The login page: signs in the account named by `as`.
      void (async () => {
        await provider.interactionDetails(req, res);
        const accountId = new URL(req.url!, issuer).searchParams.get('as') ?? '';
        await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
      })().catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    return self;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
  }
}

/** Cookies per site (origin), as a browser keeps them; requests never follow redirects by themselves. */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name);
  }

  async get(url: URL | string, headers: Record<string, string> = {}): Promise<Response> {
    const target = new URL(url);
    const jar = this.jars.get(target.origin) ?? new Map<string, string>();
    this.jars.set(target.origin, jar);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(target, { redirect: 'manual', headers: { accept: 'text/html', ...(cookie ? { cookie } : {}), ...headers } });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      const gone = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || /expires=Thu, 01 Jan 1970/i.test(line);
      if (gone || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }
}

type SignIn = {
  /** Changes the authorization request on its way to the provider (an attacker's, or another provider's). */
  tamperRequest?: (url: URL) => URL;
  /** Changes the provider's answer on its way back to Brygga. */
  tamperAnswer?: (url: URL) => URL;
};

/** The whole sign-in in a browser: Brygga → the provider → its login page → back to Brygga's callback. */
async function signIn(browser: Browser, t: TestApp, accountId: string, { tamperRequest = (u) => u, tamperAnswer = (u) => u }: SignIn = {}) {
  const start = await browser.get(`${t.app.url}/auth/oidc`);
  expect(start.status, await start.clone().text()).to.equal(302);
  let url = tamperRequest(new URL(start.headers.get('location')!));
  for (let hop = 0; hop < 10; hop++) {
    if (url.origin === t.app.url && url.pathname === '/auth/oidc/callback') {
      const callback = await browser.get(tamperAnswer(url));
      return { callback, authorizationUrl: new URL(start.headers.get('location')!), body: await callback.text() };
    }
    if (url.pathname.startsWith('/interaction/')) url.searchParams.set('as', accountId);
    const res = await browser.get(url);
    if (res.status !== 302 && res.status !== 303) throw new Error(`${url.pathname} answered ${res.status}: ${await res.text()}`);
    url = new URL(res.headers.get('location')!, url);
  }
  throw new Error('too many redirects');
}

const draft = () => ({ reference: `KS ${Date.now()}`, title: 'Städning', buyer: { name: 'Någon annan', orgNumber: '212000-1355' }, cpv: { main: '90911200' } });

/** What the session cookie lets its holder do: reach the reach preview (officer, staff, admin), as Brygga's own page. */
async function preview(t: TestApp, session: string | undefined) {
  return api(t.app, 'POST', '/api/notices/preview', draft(), { token: null, headers: { ...(session ? { cookie: `brygga_session=${session}` } : {}), origin: t.app.url } });
}

/** A port nothing listens on now (Brygga's public address must be known before it starts). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('single sign-on (OpenID Connect)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let idp: TestProvider;
  let other: TestProvider;
  const seq = `${Date.now()}`;
  const email = (name: string) => `${name}-${seq}@lerum.example`;

  before(async () => {
    const port = await freePort();
    const callback = `http://127.0.0.1:${port}/auth/oidc/callback`;
    idp = await TestProvider.start(callback);
    other = await TestProvider.start(callback); // the same client, registered at another issuer
    t = await startTestApp({
      WORKERS: 'off', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`,
      OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: CLIENT.id, OIDC_CLIENT_SECRET: CLIENT.secret,
      OIDC_SCOPES: 'openid email groups', OIDC_ROLE_CLAIM: 'groups',
      OIDC_ROLES: 'brygga-officer:officer,brygga-staff:staff,brygga-admin:admin',
    });
    for (const provider of [idp, other]) {
      provider.accounts.set('anna', { email: email('anna'), groups: ['everyone', 'brygga-officer'] });
      provider.accounts.set('nils', { email: email('nils'), groups: ['everyone', 'ekonomi'] });
      provider.accounts.set('sara', { email: email('sara'), groups: ['brygga-officer'] });
      provider.accounts.set('olle', { email: email('olle'), groups: ['brygga-staff'], emailVerified: false });
    }
  });
  after(async () => {
    await t?.stop();
    await idp?.stop();
    await other?.stop();
  });

  it('has its two routes, open to anyone', () => {
    const routes = t.app.routes.filter((r) => r.path.startsWith('/auth/oidc')).map((r) => `${r.method} ${r.path} (${r.rule})`);
    expect(routes).to.deep.equal(['GET /auth/oidc (anyone)', 'GET /auth/oidc/callback (anyone)']);
  });

  it('signs an officer in: a new account for the home municipality, a session, back to the start page', async () => {
    const browser = new Browser();
    const { callback, authorizationUrl, body } = await signIn(browser, t, 'anna');
    // What went to the provider: code flow with PKCE (S256), state and nonce.
    expect(authorizationUrl.origin).to.equal(idp.issuer);
    expect(authorizationUrl.searchParams.get('response_type')).to.equal('code');
    expect(authorizationUrl.searchParams.get('code_challenge_method')).to.equal('S256');
    expect(authorizationUrl.searchParams.get('code_challenge')).to.match(/^[\w-]{43}$/);
    expect(authorizationUrl.searchParams.get('state')).to.match(/^[\w-]{20,}$/);
    expect(authorizationUrl.searchParams.get('nonce')).to.match(/^[\w-]{20,}$/);
    expect(authorizationUrl.searchParams.get('redirect_uri')).to.equal(`${t.app.url}/auth/oidc/callback`);

    expect(callback.status, body).to.equal(302);
    expect(callback.headers.get('location')).to.equal('/');
    const setCookie = callback.headers.getSetCookie().find((c) => c.startsWith('brygga_session='))!;
    expect(setCookie).to.include('HttpOnly').and.include('SameSite=Lax').and.not.include('Secure');
    const session = browser.cookie(t.app.url, 'brygga_session');
    expect(browser.cookie(t.app.url, 'brygga_oidc'), 'the flow cookie is used once').to.equal(undefined);

    const user = await findUserByEmail(t.app.db, email('anna'));
    expect(user?.roles).to.equal('officer');
    const buyer = await t.app.db.selectFrom('buyers').selectAll().where('id', '=', user!.buyer_id!).executeTakeFirstOrThrow();
    expect(buyer.org_number).to.equal('2120001447');
    expect(buyer.name).to.equal('Lerums kommun');

    expect((await preview(t, session)).status, 'the session works for an officer’s route').to.equal(200);
    expect((await preview(t, undefined)).status).to.equal(401);
    const audit = await t.app.db.selectFrom('audit_log').selectAll().where('object_id', '=', user!.id).execute();
    expect(audit.map((a) => a.action)).to.deep.equal(['user.add']);
  });

  it('signing in again starts a new session; a role change at the provider ends the others', async () => {
    const first = new Browser();
    await signIn(first, t, 'sara');
    const firstSession = first.cookie(t.app.url, 'brygga_session')!;
    // Same roles: the first session stays, the second is a new one.
    const second = new Browser();
    await signIn(second, t, 'sara');
    const secondSession = second.cookie(t.app.url, 'brygga_session')!;
    expect(secondSession).to.not.equal(firstSession);
    expect((await preview(t, firstSession)).status).to.equal(200);

    // Signing in over an existing session replaces it (no fixation).
    await signIn(second, t, 'sara');
    const third = second.cookie(t.app.url, 'brygga_session')!;
    expect(third).to.not.equal(secondSession);
    expect((await preview(t, secondSession)).status).to.equal(401);

    idp.accounts.get('sara')!.groups = ['brygga-staff'];
    const fourth = new Browser();
    await signIn(fourth, t, 'sara');
    expect((await findUserByEmail(t.app.db, email('sara')))?.roles).to.equal('staff');
    expect((await preview(t, firstSession)).status, 'the officer’s old session is over').to.equal(401);
    expect((await preview(t, third)).status).to.equal(401);
    expect((await preview(t, fourth.cookie(t.app.url, 'brygga_session'))).status).to.equal(200);
    const user = await findUserByEmail(t.app.db, email('sara'));
    const audit = await t.app.db.selectFrom('audit_log').selectAll().where('object_id', '=', user!.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).to.deep.equal(['user.add', 'user.change']);
  });

  it('refuses an answer whose state is not the one this browser started with', async () => {
    const browser = new Browser();
    const { callback, body } = await signIn(browser, t, 'anna', {
      tamperAnswer: (u) => { u.searchParams.set('state', 'forged-state-forged-state-forged'); return u; },
    });
    expect(callback.status, body).to.equal(400);
    expect(browser.cookie(t.app.url, 'brygga_session')).to.equal(undefined);
  });

  it('refuses an answer to a sign-in this browser never started (another browser’s code)', async () => {
    const stolen: { url?: URL } = {};
    const { callback } = await signIn(new Browser(), t, 'anna', {
      // The attacker stops short of the callback and hands its address to someone else.
      tamperAnswer: (u) => { stolen.url = u; return new URL(`${t.app.url}/healthz`); },
    });
    expect(callback.status).to.equal(200);
    const victim = new Browser();
    const res = await victim.get(stolen.url!);
    expect(res.status).to.equal(400);
    expect(victim.cookie(t.app.url, 'brygga_session')).to.equal(undefined);
  });

  it('refuses an ID token with another nonce', async () => {
    const browser = new Browser();
    const { callback, body } = await signIn(browser, t, 'anna', {
      tamperRequest: (u) => { u.searchParams.set('nonce', 'an-attackers-nonce-0123456789'); return u; },
    });
    expect(callback.status, body).to.equal(400);
    expect(browser.cookie(t.app.url, 'brygga_session')).to.equal(undefined);
  });

  it('refuses a code obtained without this sign-in’s PKCE verifier', async () => {
    const browser = new Browser();
    const { callback, body } = await signIn(browser, t, 'anna', {
      tamperRequest: (u) => { u.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'); return u; },
    });
    expect(callback.status, body).to.equal(400);
    expect(browser.cookie(t.app.url, 'brygga_session')).to.equal(undefined);
  });

  it('refuses an answer from another issuer, even with the same client, state, nonce and PKCE', async () => {
    const browser = new Browser();
    const { callback, body } = await signIn(browser, t, 'anna', {
      tamperRequest: (u) => new URL(`${u.pathname}${u.search}`, other.issuer),
    });
    expect(callback.status, body).to.equal(400);
    expect(browser.cookie(t.app.url, 'brygga_session')).to.equal(undefined);
  });

  it('refuses someone whose groups give no role, and creates no account', async () => {
    const browser = new Browser();
    const { callback, body } = await signIn(browser, t, 'nils');
    expect(callback.status).to.equal(403);
    expect(callback.headers.get('content-type')).to.match(/html/);
    expect(body).to.include('403');
    expect(browser.cookie(t.app.url, 'brygga_session')).to.equal(undefined);
    expect(await findUserByEmail(t.app.db, email('nils'))).to.equal(undefined);
  });

  it('refuses an address the provider has not verified', async () => {
    const { callback } = await signIn(new Browser(), t, 'olle');
    expect(callback.status).to.equal(403);
    expect(await findUserByEmail(t.app.db, email('olle'))).to.equal(undefined);
  });

  it('never makes a firm’s account an officer', async () => {
    idp.accounts.set('firma', { email: email('firma'), groups: ['brygga-officer'] });
    await addUser(t.app.db, { email: email('firma'), roles: ['firm'] });
    const { callback } = await signIn(new Browser(), t, 'firma');
    expect(callback.status).to.equal(403);
    expect((await findUserByEmail(t.app.db, email('firma')))?.roles).to.equal('firm');
  });
});

describe('single sign-on, when not configured or not reachable', function () {
  this.timeout(60_000);

  it('answers 404 without OIDC_ISSUER', async () => {
    const t = await startTestApp({ WORKERS: 'off' });
    try {
      expect(t.app.routes.filter((r) => r.path.startsWith('/auth/oidc'))).to.deep.equal([]);
      expect((await api(t.app, 'GET', '/auth/oidc', undefined, { token: null })).status).to.equal(404);
      expect((await api(t.app, 'GET', '/auth/oidc/callback?code=x&state=y', undefined, { token: null })).status).to.equal(404);
    } finally {
      await t.stop();
    }
  });

  it('starts without the identity provider, and says so when a sign-in needs it', async () => {
    const port = await freePort();
    const t = await startTestApp({
      WORKERS: 'off', OIDC_ISSUER: `http://127.0.0.1:${port}`, OIDC_CLIENT_ID: CLIENT.id, OIDC_CLIENT_SECRET: CLIENT.secret,
    });
    try {
      expect((await api(t.app, 'GET', '/healthz', undefined, { token: null })).status).to.equal(200);
      const res = await api(t.app, 'GET', '/auth/oidc', undefined, { token: null });
      expect(res.status).to.equal(503);
      expect(res.body.error.code).to.equal('sso_unavailable');
      expect(res.body.error.message).to.include(`http://127.0.0.1:${port}`);
    } finally {
      await t.stop();
    }
  });
});
