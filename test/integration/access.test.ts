// Who may use which route: every route the application registered (read from
// the app, not listed by hand) has an entry here, and each is tried over real
// HTTP as every kind of caller. A route without an entry fails the test.
import { expect } from 'chai';
import { addUser, createApiToken } from '../../src/accounts/accounts.service.ts';
import { insertSession } from '../../src/accounts/accounts.repo.ts';
import { issueSecret } from '../../src/accounts/secrets.ts';
import { startSession } from '../../src/accounts/sessions.service.ts';
import type { RouteInfo } from '../../src/http/secured-router.ts';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';
import { nextOrgNumber } from '../helpers/firms.ts';

const CALLERS = [
  'anonymous', 'expired session', 'firm (own)', 'firm (other)', 'officer (own buyer)', 'officer (other buyer)',
  'officer by session', 'staff', 'firm owner', 'admin', // admin last: its DELETE really deletes
] as const;
type Caller = (typeof CALLERS)[number];
type Expect = 'ok' | 401 | 403;

/** Who may, as a profile: every caller not named is refused (401 when anonymous, 403 otherwise). */
function allow(...callers: Caller[]): Record<Caller, Expect> {
  return Object.fromEntries(CALLERS.map((c) => {
    if (callers.includes(c)) return [c, 'ok'];
    return [c, c === 'anonymous' || c === 'expired session' ? 401 : 403];
  })) as Record<Caller, Expect>;
}
const ALL = [...CALLERS];
const PUBLIC = allow(...ALL);
const FIRM_READ = allow('firm (own)', 'firm owner', 'staff', 'admin');
const FIRM_WRITE = allow('firm (own)', 'firm owner', 'admin');
const OFFICERS = ['officer (own buyer)', 'officer (other buyer)', 'officer by session'] as const;
const PUBLISHER_OF_NOTICE = allow('officer (own buyer)', 'officer by session', 'admin');
const PUBLISH = allow(...OFFICERS, 'staff', 'admin');
const STAFF = allow('staff', 'admin');
const ADMIN = allow('admin');
const SIGNED_IN = allow(...CALLERS.filter((c) => c !== 'anonymous' && c !== 'expired session'));
const FIRM_OWNER = allow('firm owner', 'admin');
/** The firm's pages: any firm's user, each about its own company (another firm's subscription is a 404). */
const FIRM_PAGES = allow('firm (own)', 'firm (other)', 'firm owner');
/** The firm's pages only its owners use (users, deleting the firm), each about its own company: FIRM_OWNER without an :id. */
const FIRM_OWNER_PAGES = allow('firm owner');

/** Every route of the application, and who may use it. */
const TABLE: Record<string, Record<Caller, Expect>> = {
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'POST /api/import': STAFF,
  'POST /api/notices/preview': PUBLISH,
  'GET /api/companies/:id/matches': FIRM_READ,
  'GET /api/companies/:id/suggestions': FIRM_READ,
  'POST /api/notices': PUBLISH,
  'PATCH /api/notices/:id': PUBLISHER_OF_NOTICE,
  'POST /api/notices/:id/withdraw': PUBLISHER_OF_NOTICE,
  'GET /api/notices/:id': PUBLIC,
  'POST /api/companies': PUBLIC,
  'GET /api/companies/:id': FIRM_READ,
  'PATCH /api/companies/:id': FIRM_WRITE,
  'POST /api/companies/:id/confirmation': FIRM_WRITE,
  'POST /api/companies/:id/subscriptions': FIRM_WRITE,
  'PATCH /api/companies/:id/subscriptions/:sid': FIRM_WRITE,
  'DELETE /api/companies/:id/subscriptions/:sid': FIRM_WRITE,
  'POST /api/companies/:id/subscriptions/:sid/pause': FIRM_WRITE,
  'POST /api/companies/:id/subscriptions/:sid/resume': FIRM_WRITE,
  'GET /unsubscribe/:token': PUBLIC,
  'POST /unsubscribe/:token': PUBLIC,
  'GET /confirm/:token': PUBLIC,
  'POST /confirm/:token': PUBLIC,
  'GET /api/staff/suspended-addresses': STAFF,
  'POST /api/staff/suspended-addresses/:companyId/lift': STAFF,
  // The statistics (src/stats/) and a firm's workplaces, which they count
  'GET /api/stats/overview': STAFF,
  'GET /api/stats/breakdown/:by': STAFF,
  'GET /api/stats/reach': STAFF,
  'GET /api/stats/capabilities': STAFF,
  'GET /api/stats/spend': STAFF,
  'GET /api/stats/young-firms': STAFF,
  'GET /api/stats/categories': STAFF,
  'GET /api/stats/name-matches': STAFF,
  'PUT /api/stats/name-matches': STAFF,
  'GET /api/companies/:id/workplaces': FIRM_READ,
  'PUT /api/companies/:id/workplaces': FIRM_WRITE,
  'GET /api/search': PUBLIC,
  'GET /': PUBLIC,
  'GET /notices/:id': PUBLIC,
  'GET /about': PUBLIC,
  'GET /accessibility': PUBLIC,
  // The development mailbox: only with MAIL_TRANSPORT=file outside production (as in these tests).
  'GET /dev/mail': PUBLIC,
  'GET /dev/mail/:file': PUBLIC,
  'GET /assets/:file.css': PUBLIC,
  'GET /assets/js/:file.js': PUBLIC,
  'GET /lang/:lang': PUBLIC,
  // Signing in
  'GET /login': PUBLIC,
  'POST /login': PUBLIC,
  'GET /login/:token': PUBLIC,
  'POST /login/:token': PUBLIC,
  'POST /logout': PUBLIC,
  'POST /logout/everywhere': SIGNED_IN,
  'GET /api/me': SIGNED_IN,
  // Tokens need a session to be made: a leaked token cannot mint its successor.
  'GET /api/me/tokens': SIGNED_IN,
  'POST /api/me/tokens': allow('officer by session'),
  'DELETE /api/me/tokens/:id': SIGNED_IN,
  // A firm's data and users
  'GET /api/companies/:id/export': allow('firm (own)', 'firm owner', 'admin'),
  'DELETE /api/companies/:id': FIRM_OWNER,
  'GET /api/companies/:id/users': allow('firm (own)', 'firm owner', 'staff', 'admin'),
  'POST /api/companies/:id/users': FIRM_OWNER,
  'DELETE /api/companies/:id/users/:uid': FIRM_OWNER,
  // Administration and staff
  'GET /api/admin/users': ADMIN,
  'POST /api/admin/users': ADMIN,
  'GET /api/admin/users/:id': ADMIN,
  'PATCH /api/admin/users/:id': ADMIN,
  'DELETE /api/admin/users/:id': ADMIN,
  'GET /api/admin/users/:id/tokens': ADMIN,
  'DELETE /api/admin/tokens/:id': ADMIN,
  'GET /api/admin/buyers': ADMIN,
  'POST /api/admin/buyers': ADMIN,
  'GET /api/staff/audit': STAFF,
  'GET /metrics': STAFF,
  // The queue page (bull-board): reading, and retrying failed jobs.
  'GET /staff/queues': STAFF,
  'GET /staff/queues/*path': STAFF,
  'PUT /staff/queues/api/queues/:queueName/:jobId/retry': STAFF,
  'PUT /staff/queues/api/queues/:queueName/retry/:queueStatus': STAFF,
  // The firm's pages (src/web/firm/): registering for anyone; the rest for a firm's user, about its own company.
  'GET /register': PUBLIC,
  'POST /register': PUBLIC,
  'GET /register/sent': PUBLIC,
  'GET /api/cpv': PUBLIC,
  'POST /api/companies/:id/matches/:noticeId/feedback': FIRM_WRITE,
  'GET /firm': FIRM_PAGES,
  'POST /firm/matches/:noticeId/not-relevant': FIRM_PAGES,
  'POST /firm/matches/:noticeId/undo': FIRM_PAGES,
  'GET /firm/subscriptions': FIRM_PAGES,
  'GET /firm/subscriptions/new': FIRM_PAGES,
  'POST /firm/subscriptions': FIRM_PAGES,
  'GET /firm/subscriptions/:sid': FIRM_PAGES,
  'POST /firm/subscriptions/:sid': FIRM_PAGES,
  'POST /firm/subscriptions/:sid/pause': FIRM_PAGES,
  'POST /firm/subscriptions/:sid/resume': FIRM_PAGES,
  'POST /firm/subscriptions/:sid/delete': FIRM_PAGES,
  'GET /firm/deliveries': FIRM_PAGES,
  'GET /firm/profile': FIRM_PAGES,
  'POST /firm/profile': FIRM_PAGES,
  'POST /firm/profile/language': FIRM_PAGES,
  'POST /firm/profile/suggestions/categories': FIRM_PAGES,
  'POST /firm/profile/suggestions/subscription': FIRM_PAGES,
  'GET /firm/profile/export': FIRM_PAGES,
  'POST /firm/profile/users': FIRM_OWNER_PAGES,
  'POST /firm/profile/users/:uid/remove': FIRM_OWNER_PAGES,
  'GET /firm/profile/delete': FIRM_OWNER_PAGES,
  'POST /firm/profile/delete': FIRM_OWNER_PAGES,
  'GET /firm/deleted': PUBLIC,
  // The staff pages (src/web/staff/)
  'GET /staff': STAFF,
  'GET /staff/firms': STAFF,
  'GET /staff/firms/:id': STAFF,
  'GET /staff/suspended': STAFF,
  'POST /staff/suspended/:companyId/lift': STAFF,
  'GET /staff/imports': STAFF,
  'POST /staff/imports': STAFF,
  'GET /staff/imports/:id': STAFF,
  'GET /staff/imports/:id/status': STAFF,
  'GET /staff/audit': STAFF,
  // The statistics pages, exports and yearly report (src/web/staff/stats.routes.tsx)
  'GET /staff/stats': STAFF,
  'GET /staff/stats/export.csv': STAFF,
  'GET /staff/stats/export.xlsx': STAFF,
  'GET /staff/stats/report': STAFF,
  // The administrator's pages (src/web/admin/)
  'GET /admin': ADMIN,
  'POST /admin/users': ADMIN,
  'GET /admin/users/:id': ADMIN,
  'POST /admin/users/:id': ADMIN,
  'POST /admin/users/:id/remove': ADMIN,
  'GET /admin/buyers': ADMIN,
  'POST /admin/buyers': ADMIN,
  'GET /admin/tokens': ADMIN,
  'POST /admin/tokens': ADMIN,
  'POST /admin/tokens/:id/revoke': ADMIN,
  // The officer's pages (src/web/officer/) and the awards officers register
  // An administrator chooses the buyer organisation on these pages (the API lets it publish for any buyer).
  'GET /officer': allow(...OFFICERS, 'admin'),
  'GET /officer/notices/new': allow(...OFFICERS, 'admin'),
  'POST /officer/notices/new': allow(...OFFICERS, 'admin'),
  'GET /officer/drafts/:id/delete': allow(...OFFICERS, 'admin'),
  'POST /officer/drafts/:id/delete': allow(...OFFICERS, 'admin'),
  'GET /officer/notices/:id/edit': PUBLISHER_OF_NOTICE,
  'POST /officer/notices/:id/edit': PUBLISHER_OF_NOTICE,
  'GET /officer/notices/:id/withdraw': PUBLISHER_OF_NOTICE,
  'POST /officer/notices/:id/withdraw': PUBLISHER_OF_NOTICE,
  'GET /officer/notices/:id/award': PUBLISHER_OF_NOTICE,
  'POST /officer/notices/:id/award': PUBLISHER_OF_NOTICE,
  'GET /officer/direct-awards/new': allow(...OFFICERS),
  'POST /officer/direct-awards/new': allow(...OFFICERS),
  'POST /api/notices/:id/awards': PUBLISHER_OF_NOTICE,
  'POST /api/direct-awards': allow(...OFFICERS),
};

type World = {
  companyA: string; subscriptionA: string; noticeA: string;
  as: Record<Caller, { token?: string; cookie?: string }>;
};

/** Two firms, two buyers, a notice of buyer A, and a caller of every kind. */
async function world(t: TestApp): Promise<World> {
  const { db } = t.app;
  const register = async (name: string) => {
    const res = await api(t.app, 'POST', '/api/companies', {
      orgNumber: nextOrgNumber(), name, email: `${name.toLowerCase()}@firma.example`, municipalityCode: '1441', categories: ['90910000'],
    });
    return res.body as { id: string; subscriptions: { id: string }[] };
  };
  const [a, b] = [await register(`A${Date.now()}`), await register(`B${Date.now()}`)];
  const owner = await db.selectFrom('users').select('id').where('company_id', '=', a.id).where('is_owner', '=', 1).executeTakeFirstOrThrow();
  const published = await api(t.app, 'POST', '/api/notices', {
    reference: `KS ${Date.now()}`, title: 'Städning', buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' }, cpv: { main: '90911200' },
  });
  const other = await api(t.app, 'POST', '/api/notices', {
    reference: `X ${Date.now()}`, title: 'Annat', buyer: { name: 'Partille kommun', orgNumber: '212000-1363' }, cpv: { main: '90911200' },
  });
  const buyerOf = async (id: string) => (await db.selectFrom('notices').select('buyer_id').where('id', '=', id).executeTakeFirstOrThrow()).buyer_id;
  const buyerA = await buyerOf(published.body.notice.id);
  const buyerB = await buyerOf(other.body.notice.id);

  const seq = `${Date.now()}${Math.random().toString(36).slice(2, 6)}`;
  const tokenFor = async (key: string, roles: ('firm' | 'officer' | 'staff' | 'admin')[], org: { companyId?: string; buyerId?: string } = {}) => {
    const id = await addUser(db, { email: `${key}-${seq}@brygga.example`, roles, ...org });
    return { id, token: (await createApiToken(db, id, 'access test')).token };
  };
  const officerA = await tokenFor('officer-a', ['officer'], { buyerId: buyerA });
  // Another officer of the same buyer signs in by session (one signing out everywhere ends only its own).
  const sessionOfficer = await tokenFor('officer-s', ['officer'], { buyerId: buyerA });
  const session = await startSession(db, sessionOfficer.id, t.app.config.sessions);
  const expired = issueSecret();
  await insertSession(db, { id: expired.id, user_id: officerA.id, secret_hash: expired.hash, expires_at: '2020-01-01T00:00:00.000Z' });
  return {
    companyA: a.id, subscriptionA: a.subscriptions[0].id, noticeA: published.body.notice.id,
    as: {
      'anonymous': {},
      'expired session': { cookie: expired.token },
      'firm (own)': { token: (await tokenFor('firm-a', ['firm'], { companyId: a.id })).token },
      'firm (other)': { token: (await tokenFor('firm-b', ['firm'], { companyId: b.id })).token },
      'officer (own buyer)': { token: officerA.token },
      'officer (other buyer)': { token: (await tokenFor('officer-b', ['officer'], { buyerId: buyerB })).token },
      'officer by session': { cookie: session.token },
      'staff': { token: (await tokenFor('staff', ['staff'])).token },
      'admin': { token: (await tokenFor('admin', ['admin'])).token },
      'firm owner': { token: (await createApiToken(db, owner.id, 'access test')).token },
    },
  };
}

function concrete(route: RouteInfo, w: World): string {
  return route.path
    .replace(/^\/api\/companies\/:id/, `/api/companies/${w.companyA}`)
    .replace(/^\/api\/notices\/:id/, `/api/notices/${w.noticeA}`)
    .replace(/^\/notices\/:id/, `/notices/${w.noticeA}`)
    .replace(/^\/officer\/notices\/:id/, `/officer/notices/${w.noticeA}`)
    .replace(':sid', w.subscriptionA)
    .replace(':token', 'not-a-token')
    .replace(/:(id|uid)$/, '01NOSUCHTHING0000000000000'); // a user or token nobody has
}

describe('who may use which route', function () {
  this.timeout(180_000);
  let t: TestApp;
  before(async () => {
    // Every caller here is one client: limits that would stop a real attacker would stop the table.
    t = await startTestApp({
      WORKERS: 'off', RATE_LIMIT_REGISTER_PER_ADDRESS: '10000/1h', RATE_LIMIT_REGISTER_PER_CLIENT: '10000/1h',
      RATE_LIMIT_SIGNIN_PER_ADDRESS: '10000/1h', RATE_LIMIT_SIGNIN_PER_CLIENT: '10000/1h', RATE_LIMIT_TOKEN_FAILURES_PER_CLIENT: '10000/1h',
    });
  });
  after(async () => t?.stop());

  it('every route of the application has an entry in the table', () => {
    const routes = t.app.routes.map((r) => `${r.method} ${r.path}`);
    expect(routes.filter((r) => !(r in TABLE)), 'routes without an entry').to.deep.equal([]);
    expect(Object.keys(TABLE).filter((r) => !routes.includes(r)), 'entries without a route').to.deep.equal([]);
  });

  it('each route answers every kind of caller as the table says', async () => {
    const wrong: string[] = [];
    for (const route of t.app.routes) {
      const expected = TABLE[`${route.method} ${route.path}`];
      if (!expected) continue;
      const w = await world(t); // fresh: a DELETE must not take the next check's data with it
      for (const caller of CALLERS) {
        const { token, cookie } = w.as[caller];
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
        // A browser's same-origin request, as Brygga's own pages send it.
        const headers: Record<string, string> = cookie ? { cookie: `brygga_session=${cookie}`, origin: t.app.url } : {};
        const res = await api(t.app, route.method, concrete(route, w), body, { token: token ?? null, headers });
        // A page's form refused only for its missing form token got past the route's rule.
        const formToken = res.status === 403 && (res.body as { error?: { code?: string } })?.error?.code === 'invalid_form_token';
        const got = (res.status === 401 || res.status === 403) && !formToken ? res.status : 'ok';
        if (got !== expected[caller]) wrong.push(`${route.method} ${route.path} as ${caller}: expected ${expected[caller]}, got ${res.status}`);
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it('a session cookie cannot change anything from another site', async () => {
    const w = await world(t);
    const { cookie } = w.as['officer by session'];
    const forged = await api(t.app, 'POST', '/api/notices/preview', {}, { token: null, headers: { cookie: `brygga_session=${cookie}`, origin: 'https://evil.example' } });
    expect(forged.status).to.equal(403);
    expect(forged.body.error.code).to.equal('cross_site_request');
    const own = await api(t.app, 'POST', '/api/notices/preview', {}, { token: null, headers: { cookie: `brygga_session=${cookie}`, origin: t.app.url } });
    expect(own.status).to.equal(400); // in, and refused only for the empty draft
  });

  it('an officer publishes for its own buyer whatever the body says, and never a feed’s source', async () => {
    const w = await world(t);
    const { token } = w.as['officer (own buyer)'];
    const res = await api(t.app, 'POST', '/api/notices', {
      reference: 'KS 2026/77', title: 'Fönsterputs', buyer: { name: 'Göteborgs Stad', orgNumber: '212000-1355' }, cpv: { main: '90911300' },
    }, { token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.notice.buyer.orgNumber).to.equal('2120001447');
    const feed = await api(t.app, 'POST', '/api/notices', {
      source: 'eforms', sourceId: 'x-1', title: 'Manipulerad', buyer: { name: 'Lerums kommun' }, cpv: { main: '90911300' },
    }, { token });
    expect(feed.status).to.equal(403);
  });
});
