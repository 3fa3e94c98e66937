// Signing in with a link by e-mail, and the protections around it, over real
// HTTP with a real SMTP server: the round trip, links that are expired, used
// or tampered with, an unknown address answered the same, session fixation,
// signing out, cross-site requests, rate limits and security headers.
import { expect } from 'chai';
import { addUser } from '../../src/accounts/accounts.service.ts';
import { ANSWER_AFTER_MS } from '../../src/accounts/signin.service.ts';
import { sha256 } from '../../src/accounts/secrets.ts';
import { api, eventually, startTestApp } from '../helpers/app.ts';
import { PUBLIC, startWithSmtp, type Ctx } from '../helpers/firms.ts';
import { linkIn, type ReceivedMail } from '../helpers/smtp.ts';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const WINDOW_S = 2;

describe('signing in', function () {
  this.timeout(60_000);
  let c: Ctx;
  let base: string;
  let clients = 0;
  /** A client of its own (the app trusts the loopback proxy's X-Forwarded-For), so the per-client limits of one test do not touch another. */
  const newClient = () => `198.51.100.${++clients}`;

  before(async () => {
    c = await startWithSmtp({
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_SIGNIN_PER_ADDRESS: `3/${WINDOW_S}s`,
      RATE_LIMIT_SIGNIN_PER_CLIENT: `4/${WINDOW_S}s`,
      RATE_LIMIT_REGISTER_PER_ADDRESS: `2/${WINDOW_S}s`,
      RATE_LIMIT_REGISTER_PER_CLIENT: `3/${WINDOW_S}s`,
      RATE_LIMIT_TOKEN_FAILURES_PER_CLIENT: `3/${WINDOW_S}s`,
    });
    base = c.t.app.url;
  });
  after(async () => {
    await c?.t.stop();
    await c?.smtp.close();
  });

  let users = 0;
  async function newUser(roles: ('firm' | 'officer' | 'staff' | 'admin')[] = ['staff']) {
    const email = `person${++users}@lerum.test`;
    const id = await addUser(c.t.app.db, { email, roles });
    return { id, email };
  }

  /** POST /login as a browser form (or JSON), from a client of its own unless told. */
  async function ask(email: string, options: { json?: boolean; client?: string; headers?: Record<string, string> } = {}) {
    const body = options.json ? JSON.stringify({ email }) : new URLSearchParams({ email }).toString();
    const started = performance.now();
    const res = await fetch(`${base}/login`, {
      method: 'POST',
      headers: {
        'content-type': options.json ? 'application/json' : 'application/x-www-form-urlencoded',
        accept: options.json ? 'application/json' : BROWSER,
        'x-forwarded-for': options.client ?? newClient(),
        ...options.headers,
      },
      body,
    });
    return { status: res.status, text: await res.text(), headers: res.headers, ms: performance.now() - started };
  }

  const signInMails = (email: string) =>
    c.smtp.messages.filter((m) => m.to.includes(email) && /Logga in på Brygga|Sign in to Brygga/.test(m.parsed.subject ?? ''));

  /** The link in the n-th sign-in e-mail to this address, pointed at the test server. */
  async function linkFor(email: string, n = 1): Promise<{ link: string; mail: ReceivedMail }> {
    const mail = await eventually(async () => signInMails(email)[n - 1]);
    return { link: linkIn(mail, `${PUBLIC}/login/`).replace(PUBLIC, base), mail };
  }

  async function signIn(email: string, cookie?: string) {
    const before = signInMails(email).length;
    await ask(email);
    const { link } = await linkFor(email, before + 1);
    const res = await post(link, { cookie });
    expect(res.status).to.equal(303);
    return sessionIn(res)!;
  }

  /** A POST as a browser on our own pages sends it (Origin: the site), with an optional session cookie. */
  function post(url: string, { cookie, origin = base, headers = {} }: { cookie?: string; origin?: string | null; headers?: Record<string, string> } = {}) {
    return fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        accept: BROWSER,
        ...(origin ? { origin } : {}),
        ...(cookie ? { cookie: `brygga_session=${cookie}` } : {}),
        ...headers,
      },
    });
  }

  const setCookie = (res: Response) => res.headers.getSetCookie().find((h) => h.startsWith('brygga_session='));
  const sessionIn = (res: Response) => setCookie(res)?.split(';')[0].slice('brygga_session='.length);
  const me = (cookie: string) => fetch(`${base}/api/me`, { headers: { cookie: `brygga_session=${cookie}` } });

  it('GET /login: a page with an e-mail field, in Swedish or English', async () => {
    const sv = await fetch(`${base}/login`, { headers: { accept: BROWSER } });
    expect(sv.status).to.equal(200);
    const page = await sv.text();
    expect(page).to.include('<html lang="sv">').and.include('<h1>Logga in</h1>');
    expect(page).to.match(/<form method="post" action="\/login">[\s\S]*<input[^>]* id="field-email" name="email" type="email"/);
    const en = await (await fetch(`${base}/login`, { headers: { accept: BROWSER, 'accept-language': 'en-GB,en;q=0.9' } })).text();
    expect(en).to.include('<html lang="en">').and.include('<h1>Sign in</h1>');
  });

  it('round trip: ask, get the e-mail, open the page (nothing happens), press the button, signed in with a new session', async () => {
    const user = await newUser(['staff']);
    const asked = await ask(user.email);
    expect(asked.status).to.equal(200);
    expect(asked.text).to.include('Om adressen finns hos oss har vi skickat en länk');

    const { link, mail } = await linkFor(user.email);
    expect(mail.to).to.deep.equal([user.email]);
    expect(mail.parsed.subject).to.equal('Logga in på Brygga');
    expect(mail.parsed.text).to.include('15 minuter');
    // id.secret: 256 random bits, stored only as their hash.
    const [id, secret] = link.split('/login/')[1].split('.');
    expect(secret).to.match(/^[A-Za-z0-9_-]{43}$/);
    const row = await c.t.app.db.selectFrom('login_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.secret_hash).to.equal(sha256(secret)).and.not.include(secret);
    expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).to.be.closeTo(15 * 60_000, 1000);
    const outbox = await c.t.app.db.selectFrom('outbox').select('payload').execute();
    expect(outbox.map((o) => o.payload).join('\n')).not.to.include(secret);

    // A mail scanner opening the link signs nobody in and spends nothing.
    const opened = await fetch(link, { headers: { accept: BROWSER } });
    expect(opened.status).to.equal(200);
    // The page's form token (src/web/csrf.ts) is its only cookie.
    expect(opened.headers.getSetCookie().filter((c) => !c.startsWith('brygga_csrf='))).to.deep.equal([]);
    expect(opened.headers.get('cache-control')).to.equal('no-store');
    const page = await opened.text();
    expect(page).to.match(/<form method="post" action="\/login\/[^"]+">[\s\S]*<button type="submit" class="button button--primary">Logga in<\/button><\/form>/);
    expect((await c.t.app.db.selectFrom('login_tokens').select('used_at').where('id', '=', id).executeTakeFirstOrThrow()).used_at).to.equal(null);

    const signedIn = await post(link);
    expect(signedIn.status).to.equal(303);
    expect(signedIn.headers.get('location')).to.equal('/');
    const cookie = setCookie(signedIn)!;
    expect(cookie).to.match(/^brygga_session=[0-9A-Z]{26}\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200; Secure$/);
    const who = await me(sessionIn(signedIn)!);
    expect(who.status).to.equal(200);
    expect(await who.json()).to.deep.include({ id: user.id, email: user.email, roles: ['staff'], companyId: null, buyerId: null, via: 'session' });
  });

  it('answers JSON clients in JSON, with the same words', async () => {
    const user = await newUser();
    const known = await ask(user.email, { json: true });
    const unknown = await ask('nobody-json@lerum.test', { json: true });
    expect(known.status).to.equal(202);
    expect(unknown.status).to.equal(202);
    expect(JSON.parse(known.text)).to.deep.equal(JSON.parse(unknown.text));
    expect(JSON.parse(known.text).message).to.include('Om adressen finns hos oss');
    expect((await ask('not an address', { json: true })).status).to.equal(400);
  });

  it('an unknown address gets the same answer, in the same time, and no e-mail', async () => {
    const known = await Promise.all([1, 2, 3, 4].map(() => newUser()));
    const timings = { known: [] as number[], unknown: [] as number[] };
    let knownPage = '';
    let unknownPage = '';
    for (let i = 0; i < known.length; i++) {
      const k = await ask(known[i].email);
      const u = await ask(`stranger${i}@lerum.test`);
      expect(k.status).to.equal(200);
      expect(u.status).to.equal(200);
      timings.known.push(k.ms);
      timings.unknown.push(u.ms);
      knownPage = k.text;
      unknownPage = u.text;
    }
    expect(unknownPage).to.equal(knownPage);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (const ms of [...timings.known, ...timings.unknown]) expect(ms).to.be.at.least(ANSWER_AFTER_MS - 5);
    expect(Math.abs(median(timings.known) - median(timings.unknown)), JSON.stringify(timings)).to.be.below(40);

    for (const k of known) await linkFor(k.email); // each known address got its link
    expect(c.smtp.messages.filter((m) => m.to.some((to) => to.startsWith('stranger')))).to.deep.equal([]);
  });

  it('a used link does not work again: a page that says so, with a way to ask for a new one', async () => {
    const user = await newUser();
    await ask(user.email);
    const { link } = await linkFor(user.email);
    expect((await post(link)).status).to.equal(303);
    for (const again of [await post(link), await fetch(link, { headers: { accept: BROWSER } })]) {
      expect(again.status).to.equal(400);
      expect(again.headers.getSetCookie().filter((c) => !c.startsWith('brygga_csrf='))).to.deep.equal([]);
      const page = await again.text();
      expect(page).to.include('<h1>Länken fungerar inte längre</h1>').and.include('<a href="/login">');
    }
  });

  it('an expired link does not work', async () => {
    const user = await newUser();
    await ask(user.email);
    const { link } = await linkFor(user.email);
    const id = link.split('/login/')[1].split('.')[0];
    await c.t.app.db.updateTable('login_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', id).execute();
    const res = await post(link, { headers: { 'accept-language': 'en' } });
    expect(res.status).to.equal(400);
    expect(await res.text()).to.include('<h1>The link no longer works</h1>').and.include('<a href="/login">');
    expect((await c.t.app.db.selectFrom('login_tokens').select('used_at').where('id', '=', id).executeTakeFirstOrThrow()).used_at).to.equal(null);
  });

  it('a tampered link does not work, and does not spend the real one', async () => {
    const user = await newUser();
    await ask(user.email);
    const { link } = await linkFor(user.email);
    const other = (ch: string) => (ch === 'A' ? 'B' : 'A');
    const [id, secret] = link.split('/login/')[1].split('.');
    const tampered = [
      `${base}/login/${id}.${secret.slice(0, -1)}${other(secret.at(-1)!)}`, // the secret
      `${base}/login/${id.slice(0, -1)}${other(id.at(-1)!)}.${secret}`, // the id
      `${base}/login/not-a-token`,
    ];
    for (const bad of tampered) {
      const res = await post(bad);
      expect(res.status, bad).to.equal(404);
      expect(await res.text()).to.include('<h1>Länken fungerar inte längre</h1>');
      expect((await fetch(bad, { headers: { accept: BROWSER } })).status).to.equal(404);
    }
    expect((await post(link)).status).to.equal(303);
  });

  it('session fixation: a cookie the browser had before signing in is not the session after', async () => {
    const attacker = await newUser(['firm']);
    const victim = await newUser(['officer']);
    // A value planted in the browser is replaced, never adopted.
    const planted = '01JPLANTEDPLANTEDPLANTED00.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const fresh = await signIn(victim.email, planted);
    expect(fresh).not.to.equal(planted);
    expect((await me(planted)).status).to.equal(401);
    // So is a real session the attacker planted: it ends, and the new one is the victim's own.
    const attackers = await signIn(attacker.email);
    const victims = await signIn(victim.email, attackers);
    expect(victims).not.to.equal(attackers);
    expect(((await (await me(victims)).json()) as { email: string }).email).to.equal(victim.email);
    expect((await me(attackers)).status).to.equal(401);
  });

  it('sign out ends this session; sign out everywhere ends them all', async () => {
    const user = await newUser();
    const one = await signIn(user.email);
    const two = await signIn(user.email);
    const three = await signIn(user.email);

    const out = await post(`${base}/logout`, { cookie: one });
    expect(out.status).to.equal(303);
    expect(out.headers.get('location')).to.equal('/');
    expect(setCookie(out)).to.match(/^brygga_session=; .*Max-Age=0/);
    expect((await me(one)).status).to.equal(401);
    expect((await me(two)).status).to.equal(200);

    const everywhere = await post(`${base}/logout/everywhere`, { cookie: two });
    expect(everywhere.status).to.equal(303);
    expect((await me(two)).status).to.equal(401);
    expect((await me(three)).status).to.equal(401);
    // Nobody signed in may not sign out everywhere.
    expect((await api(c.t.app, 'POST', '/logout/everywhere', undefined, { token: null })).status).to.equal(401);
  });

  it('GET /api/me: 401 for nobody; who the token is for a bearer', async () => {
    const nobody = await api(c.t.app, 'GET', '/api/me', undefined, { token: null });
    expect(nobody.status).to.equal(401);
    expect(nobody.body.error.code).to.equal('unauthorized');
    const admin = await api(c.t.app, 'GET', '/api/me');
    expect(admin.status).to.equal(200);
    expect(admin.body).to.deep.include({ email: 'admin@brygga.test', roles: ['admin'], via: 'token' });
  });

  it('a cross-site POST with a session cookie is refused; from our own pages it passes', async () => {
    const user = await newUser();
    const session = await signIn(user.email);
    const crossSite: Record<string, string>[] = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }];
    for (const headers of crossSite) {
      const refused = await post(`${base}/logout/everywhere`, { cookie: session, origin: null, headers });
      expect(refused.status, JSON.stringify(headers)).to.equal(403);
    }
    // A cookie without any word from the browser on where it comes from is refused too.
    expect((await post(`${base}/logout/everywhere`, { cookie: session, origin: null })).status).to.equal(403);
    expect((await me(session)).status).to.equal(200);
    expect((await post(`${base}/logout/everywhere`, { cookie: session, origin: null, headers: { 'sec-fetch-site': 'same-origin' } })).status).to.equal(303);
    expect((await me(session)).status).to.equal(401);
  });

  it('signing in from another site is refused (login CSRF), and the link still works', async () => {
    const user = await newUser();
    await ask(user.email);
    const { link } = await linkFor(user.email);
    expect((await post(link, { origin: 'https://evil.example' })).status).to.equal(403);
    expect((await post(link, { origin: null, headers: { 'sec-fetch-site': 'cross-site' } })).status).to.equal(403);
    expect((await ask('someone@lerum.test', { headers: { origin: 'https://evil.example' } })).status).to.equal(403);
    expect((await post(link, { origin: PUBLIC })).status).to.equal(303);
  });

  describe('rate limits', () => {
    const waitOut = (res: { headers: Headers }) => new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after')) * 1000 + 100));

    function expectLimited(res: { status: number; headers: Headers }, body: string) {
      expect(res.status, body).to.equal(429);
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).to.be.within(1, WINDOW_S);
      expect(res.headers.get('ratelimit-remaining')).to.equal(null);
    }

    it('sign-in links per address (known or not, from any client): 429 with Retry-After, then open again after the window', async () => {
      const user = await newUser();
      for (const email of [user.email, 'unknown-limited@lerum.test']) {
        for (let i = 0; i < 3; i++) expect((await ask(email)).status).to.equal(200);
        const limited = await ask(email);
        expectLimited(limited, limited.text);
        expect(limited.text).to.include('<h1>För många försök</h1>');
        const json = await ask(email, { json: true });
        expectLimited(json, json.text);
        expect(JSON.parse(json.text).error.code).to.equal('rate_limited');
        await waitOut(limited);
        expect((await ask(email)).status).to.equal(200);
      }
    });

    it('sign-in links per client, whatever the address', async () => {
      const client = newClient();
      for (let i = 0; i < 4; i++) expect((await ask(`many${i}@lerum.test`, { client })).status).to.equal(200);
      const limited = await ask('many-more@lerum.test', { client });
      expectLimited(limited, limited.text);
      expect((await ask('many-more@lerum.test')).status).to.equal(200); // another client
      await waitOut(limited);
      expect((await ask('many-again@lerum.test', { client })).status).to.equal(200);
    });

    it('registration per address and per client; an admin is not counted', async () => {
      const register = (email: string, client: string, token: string | null = null) =>
        api(c.t.app, 'POST', '/api/companies', { email, name: 'Firma', orgNumber: 'x' }, { token, headers: { 'x-forwarded-for': client } });
      // Counted before the body is judged: these are refused as invalid (400), the limit still holds.
      const address = 'victim@lerum.test';
      expect((await register(address, newClient())).status).to.equal(400);
      expect((await register(address, newClient())).status).to.equal(400);
      const byAddress = await register(address, newClient());
      expectLimited(byAddress, JSON.stringify(byAddress.body));
      expect(byAddress.body.error.code).to.equal('rate_limited');
      expect((await register(address, newClient(), c.t.app.adminToken)).status).to.equal(400);

      const client = newClient();
      for (let i = 0; i < 3; i++) expect((await register(`firm${i}@lerum.test`, client)).status).to.equal(400);
      const byClient = await register('firm9@lerum.test', client);
      expectLimited(byClient, JSON.stringify(byClient.body));
      await waitOut(byClient);
      expect((await register('firm9@lerum.test', client)).status).to.equal(400);
    });

    it('failed bearer tokens per client: past the limit even a good token waits, then it passes again', async () => {
      const client = newClient();
      const asClient = (token: string) => api(c.t.app, 'GET', '/api/me', undefined, { token, headers: { 'x-forwarded-for': client } });
      const good = c.t.app.adminToken;
      const wrong = `${good.split('.')[0]}.${'A'.repeat(43)}`;
      for (const token of [wrong, 'garbage', wrong]) expect((await asClient(token)).status).to.equal(401);
      const limited = await asClient(good);
      expectLimited(limited, JSON.stringify(limited.body));
      expect((await asClient(wrong)).status).to.equal(429);
      // Another client is not held up; a good token does not count.
      expect((await api(c.t.app, 'GET', '/api/me', undefined, { headers: { 'x-forwarded-for': newClient() } })).status).to.equal(200);
      await waitOut(limited);
      expect((await asClient(good)).status).to.equal(200);
    });
  });

  describe('security headers', () => {
    it('a strict Content-Security-Policy, no framing, no Referer, HSTS over https', async () => {
      const res = await fetch(`${base}/login`, { headers: { accept: BROWSER } });
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).to.include("default-src 'self'").and.include("script-src 'self'").and.include("style-src 'self'")
        .and.include("frame-ancestors 'none'").and.include("object-src 'none'").and.include("form-action 'self'")
        .and.include('upgrade-insecure-requests');
      expect(csp).not.to.include('unsafe-inline');
      expect(res.headers.get('x-frame-options')).to.equal('DENY');
      expect(res.headers.get('referrer-policy')).to.equal('no-referrer');
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(res.headers.get('strict-transport-security')).to.match(/^max-age=31536000/);
      // The API's answers carry them too.
      expect((await api(c.t.app, 'GET', '/api/me')).headers.get('x-frame-options')).to.equal('DENY');
    });

    it('pages have no inline style or script; the stylesheet is served from the site', async () => {
      const page = await (await fetch(`${base}/login`, { headers: { accept: BROWSER } })).text();
      expect(page).not.to.match(/<style|<script(?![^>]*\ssrc="\/assets\/js\/[\w-]+\.js")|\sstyle=/);
      expect(page).to.include('<link rel="stylesheet" href="/assets/brygga.css"/>');
      const css = await fetch(`${base}/assets/brygga.css`);
      expect(css.status).to.equal(200);
      expect(css.headers.get('content-type')).to.include('text/css');
      expect(await css.text()).to.include('.skip-link');
      expect((await fetch(`${base}/assets/fkui.css`)).status, 'the design system').to.equal(200);
    });

    it('no HSTS (and no upgrade of requests) when Brygga is served over plain http', async () => {
      const plain = await startTestApp({ WORKERS: 'off' });
      try {
        const res = await fetch(`${plain.app.url}/`, { headers: { accept: BROWSER } });
        expect(res.headers.get('strict-transport-security')).to.equal(null);
        expect(res.headers.get('content-security-policy')).not.to.include('upgrade-insecure-requests');
        expect(res.headers.get('x-frame-options')).to.equal('DENY');
      } finally {
        await plain.stop();
      }
    });
  });
});
