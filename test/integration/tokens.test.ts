// API tokens, the administrator's users and buyers, and the audit log, over
// real HTTP: tokens are shown once and act with their creator's roles and
// organisation; expired and revoked ones are refused; a role change ends the
// user's sessions; what officers and administrators change is audited.
import { expect } from 'chai';
import { createApiToken } from '../../src/accounts/accounts.service.ts';
import { SESSION_COOKIE, startSession } from '../../src/accounts/sessions.service.ts';
import { registerCompany } from '../../src/companies/companies.service.ts';
import { companyInputSchema } from '../../src/companies/company.schema.ts';
import { api, startTestApp, type App, type TestApp } from '../helpers/app.ts';
import { DAY, inDays, nextOrgNumber } from '../helpers/firms.ts';

const LERUM = '212000-1447';
const ALINGSAS = '212000-1512';
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

type User = { id: string; email: string; token: string };

describe('API tokens, users, buyers and the audit log', function () {
  this.timeout(60_000);
  let t: TestApp;
  let app: App;
  let officer: User; // of Lerums kommun
  let otherOfficer: User; // of Alingsås kommun
  let staff: User;
  let firm: User;
  let companyId: string;

  /** A session of the user, sent as a browser on our own pages would (cookie and Origin). */
  async function session(userId: string) {
    const { token } = await startSession(app.db, userId, app.config.sessions);
    return { token: null, headers: { cookie: `${SESSION_COOKIE}=${token}`, origin: app.url } };
  }

  /** A user added by the admin, with an API token made through their own session. */
  async function user(body: object): Promise<User> {
    const created = await api(app, 'POST', '/api/admin/users', body);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const made = await api(app, 'POST', '/api/me/tokens', { name: 'integration' }, await session(created.body.id));
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    return { id: created.body.id, email: created.body.email, token: made.body.token };
  }

  const notice = (reference: string, orgNumber = LERUM, name = 'Lerums kommun') => ({
    reference, title: `Lokalvård ${reference}`, buyer: { name, orgNumber }, cpv: { main: '90911200' }, deadline: inDays(30),
  });

  before(async () => {
    t = await startTestApp({ WORKERS: 'off' });
    app = t.app;
    for (const [name, orgNumber] of [['Lerums kommun', LERUM], ['Alingsås kommun', ALINGSAS]]) {
      const res = await api(app, 'POST', '/api/admin/buyers', { name, orgNumber, nuts: 'SE232' });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    ({ id: companyId } = await registerCompany(app.db, companyInputSchema.parse({
      orgNumber: nextOrgNumber(), name: 'Tokens Städ AB', email: 'anbud@tokens-stad.example', municipalityCode: '1441', categories: ['90910000'],
    })));
    officer = await user({ email: 'Upphandlare@Lerum.example', roles: ['officer'], buyerOrgNumber: LERUM, name: 'Ulla Upphandlare' });
    otherOfficer = await user({ email: 'upphandlare@alingsas.example', roles: ['officer'], buyerOrgNumber: '2120001512' });
    staff = await user({ email: 'naringsliv@lerum.example', roles: ['staff'] });
    firm = await user({ email: 'kollega@tokens-stad.example', roles: ['firm'], companyId });
  });
  after(async () => {
    await t?.stop();
  });

  describe('a user’s own tokens', () => {
    it('are created signed in, shown once, and listed without their secret', async () => {
      const s = await session(officer.id);
      const made = await api(app, 'POST', '/api/me/tokens', { name: 'E-avrop', days: 30 }, s);
      expect(made.status).to.equal(201);
      expect(made.body.token).to.match(/^[0-9A-Z]{26}\.[A-Za-z0-9_-]{43}$/);
      expect(made.body).to.include({ name: 'E-avrop', revokedAt: null, lastUsedAt: null });
      expect(Date.parse(made.body.expiresAt) - Date.now()).to.be.closeTo(30 * DAY, 60_000);

      const listed = await api(app, 'GET', '/api/me/tokens', undefined, s);
      expect(listed.status).to.equal(200);
      expect(listed.body.map((x: { name: string }) => x.name)).to.deep.equal(['integration', 'E-avrop']);
      for (const row of listed.body) expect(Object.keys(row).sort()).to.deep.equal(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'revokedAt']);
      expect(JSON.stringify(listed.body)).not.to.include(made.body.token.split('.')[1]);
      // The first token was used to create nothing yet; listing with it marks it used.
      const byToken = await api(app, 'GET', '/api/me/tokens', undefined, { token: officer.token });
      expect(byToken.body.find((x: { name: string }) => x.name === 'integration').lastUsedAt).to.be.a('string');
    });

    it('refuses bad input, anonymous callers (401) and a token minting another token (403)', async () => {
      const s = await session(officer.id);
      expect((await api(app, 'POST', '/api/me/tokens', { name: '' }, s)).status).to.equal(400);
      expect((await api(app, 'POST', '/api/me/tokens', { name: 'x', days: 0 }, s)).status).to.equal(400);
      expect((await api(app, 'POST', '/api/me/tokens', { name: 'x', days: 10_000 }, s)).status).to.equal(400);
      expect((await api(app, 'POST', '/api/me/tokens', { name: 'x', secret: 'mine' }, s)).status).to.equal(400);
      expect((await api(app, 'GET', '/api/me/tokens', undefined, { token: null })).status).to.equal(401);
      expect((await api(app, 'POST', '/api/me/tokens', { name: 'x' }, { token: null })).status).to.equal(401);
      const minted = await api(app, 'POST', '/api/me/tokens', { name: 'x' }, { token: officer.token });
      expect(minted.status).to.equal(403);
      expect(minted.body.error.code).to.equal('session_required');
      // A session cookie without our Origin is a cross-site request.
      const { headers } = await session(officer.id);
      expect((await api(app, 'POST', '/api/me/tokens', { name: 'x' }, { token: null, headers: { cookie: headers.cookie } })).status).to.equal(403);
    });

    it('act with the creator’s roles and organisation: an officer’s token publishes for its buyer, not another’s', async () => {
      const theirs = await api(app, 'POST', '/api/notices', notice('UH 2026/1', ALINGSAS, 'Alingsås kommun'), { token: otherOfficer.token });
      expect(theirs.status, JSON.stringify(theirs.body)).to.equal(201);
      expect(theirs.body.notice.buyer.orgNumber).to.equal('2120001512');

      // The buyer is the officer's organisation, whatever the body says.
      const ours = await api(app, 'POST', '/api/notices', notice('KS 2026/1', ALINGSAS, 'Alingsås kommun'), { token: officer.token });
      expect(ours.status, JSON.stringify(ours.body)).to.equal(201);
      expect(ours.body.notice.buyer).to.include({ name: 'Lerums kommun', orgNumber: '2120001447' });

      const id = theirs.body.notice.id;
      expect((await api(app, 'PATCH', `/api/notices/${id}`, { title: 'Kapad' }, { token: officer.token })).status).to.equal(403);
      expect((await api(app, 'POST', `/api/notices/${id}/withdraw`, { reason: 'Kapad' }, { token: officer.token })).status).to.equal(403);
      expect((await api(app, 'PATCH', `/api/notices/${ours.body.notice.id}`, { title: 'Lokalvård av Lerums simhall' }, { token: officer.token })).status).to.equal(200);
      // A firm's or staff's token publishes nothing.
      expect((await api(app, 'POST', '/api/notices', notice('KS 2026/2'), { token: firm.token })).status).to.equal(403);
      expect((await api(app, 'POST', '/api/notices', notice('KS 2026/2'), { token: staff.token })).status).to.equal(403);
    });

    it('are refused with 401 once revoked or expired; another user’s token cannot be revoked (404)', async () => {
      const s = await session(officer.id);
      const made = await api(app, 'POST', '/api/me/tokens', { name: 'short-lived' }, s);
      expect((await api(app, 'GET', '/api/me/tokens', undefined, { token: made.body.token })).status).to.equal(200);

      const foreign = (await api(app, 'GET', '/api/me/tokens', undefined, { token: staff.token })).body[0].id;
      expect((await api(app, 'DELETE', `/api/me/tokens/${foreign}`, undefined, s)).status).to.equal(404);
      expect((await api(app, 'GET', '/api/me/tokens', undefined, { token: staff.token })).status).to.equal(200);

      expect((await api(app, 'DELETE', `/api/me/tokens/${made.body.id}`, undefined, s)).status).to.equal(204);
      expect((await api(app, 'DELETE', `/api/me/tokens/${made.body.id}`, undefined, s)).status).to.equal(204); // again: nothing changes
      const refused = await api(app, 'GET', '/api/me/tokens', undefined, { token: made.body.token });
      expect(refused.status).to.equal(401);
      expect(refused.body.error.code).to.equal('invalid_token');
      const listed = await api(app, 'GET', '/api/me/tokens', undefined, s);
      expect(listed.body.find((x: { id: string }) => x.id === made.body.id).revokedAt).to.be.a('string');

      const old = await createApiToken(app.db, officer.id, 'old', 1, new Date(Date.now() - 2 * DAY));
      expect((await api(app, 'GET', '/api/me/tokens', undefined, { token: old.token })).status).to.equal(401);
      expect((await api(app, 'POST', '/api/notices', notice('KS 2026/3'), { token: old.token })).status).to.equal(401);
      const tampered = `${officer.token.slice(0, -1)}${officer.token.endsWith('A') ? 'B' : 'A'}`;
      expect((await api(app, 'GET', '/api/me/tokens', undefined, { token: tampered })).status).to.equal(401);
    });
  });

  describe('the admin routes', () => {
    it('refuse anonymous callers (401) and every role but admin (403), for every route under /api/admin', async () => {
      const routes = app.routes.filter((r) => r.path.startsWith('/api/admin/'));
      expect(routes.map((r) => `${r.method} ${r.path}`)).to.include.members([
        'GET /api/admin/users', 'POST /api/admin/users', 'PATCH /api/admin/users/:id', 'DELETE /api/admin/users/:id',
        'GET /api/admin/users/:id/tokens', 'DELETE /api/admin/tokens/:id', 'GET /api/admin/buyers', 'POST /api/admin/buyers',
      ]);
      for (const route of routes) {
        const path = route.path.replace(':id', UNKNOWN_ID);
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
        expect((await api(app, route.method, path, body, { token: null })).status, `${route.method} ${path} anonymous`).to.equal(401);
        for (const who of [firm, officer, staff]) {
          expect((await api(app, route.method, path, body, { token: who.token })).status, `${route.method} ${path} as ${who.email}`).to.equal(403);
        }
        const s = await session(staff.id);
        expect((await api(app, route.method, path, body, s)).status, `${route.method} ${path} staff session`).to.equal(403);
      }
    });

    it('lists users with their roles and organisation', async () => {
      const res = await api(app, 'GET', '/api/admin/users');
      expect(res.status).to.equal(200);
      const found = res.body.find((u: { email: string }) => u.email === 'upphandlare@lerum.example');
      expect(found).to.deep.include({ id: officer.id, name: 'Ulla Upphandlare', roles: ['officer'], companyId: null, isOwner: false });
      expect(found.buyer).to.include({ name: 'Lerums kommun', orgNumber: '2120001447' });
      expect(res.body.find((u: { id: string }) => u.id === firm.id)).to.include({ companyId, buyer: null });
      expect((await api(app, 'GET', `/api/admin/users/${UNKNOWN_ID}`)).status).to.equal(404);
    });

    it('refuses a user it cannot make sense of, and an address already taken (409)', async () => {
      const refused = async (body: object, code = 'validation_failed', status = 400) => {
        const res = await api(app, 'POST', '/api/admin/users', body);
        expect(res.status, JSON.stringify(res.body)).to.equal(status);
        expect(res.body.error.code).to.equal(code);
        return res.body.error;
      };
      expect((await refused({ email: 'x@y.example', roles: ['boss'] })).message).to.match(/^roles\.0: a role: one of firm, officer, staff, admin/);
      await refused({ email: 'x@y.example', roles: [] });
      await refused({ email: 'not an address', roles: ['staff'] });
      expect((await refused({ email: 'x@y.example', roles: ['officer'] })).message).to.include('buyer organisation');
      await refused({ email: 'x@y.example', roles: ['officer'], buyerOrgNumber: '212000-1512', buyerId: UNKNOWN_ID });
      await refused({ email: 'x@y.example', roles: ['officer'], buyerOrgNumber: '212000-1448' }); // check digit
      await refused({ email: 'x@y.example', roles: ['officer'], buyerOrgNumber: '212000-1363' }, 'unknown_buyer'); // Partille: not a buyer here
      await refused({ email: 'x@y.example', roles: ['firm'] });
      await refused({ email: 'x@y.example', roles: ['firm'], companyId: UNKNOWN_ID }, 'unknown_company');
      await refused({ email: 'x@y.example', roles: ['staff'], companyId });
      await refused({ email: 'x@y.example', roles: ['staff'], isOwner: true });
      await refused({ email: 'UPPHANDLARE@lerum.example', roles: ['staff'] }, 'user_exists', 409);
    });

    it('ends a user’s sessions when their roles or organisation change, not when their name does', async () => {
      const added = await api(app, 'POST', '/api/admin/users', { email: 'flyttas@lerum.example', roles: ['officer', 'staff'], buyerOrgNumber: LERUM });
      const id = added.body.id;
      const s = await session(id);
      const token = (await api(app, 'POST', '/api/me/tokens', { name: 'e-avrop' }, s)).body.token;
      expect((await api(app, 'GET', '/api/me/tokens', undefined, s)).status).to.equal(200);

      const renamed = await api(app, 'PATCH', `/api/admin/users/${id}`, { name: 'Fia Flyttas' });
      expect(renamed.status, JSON.stringify(renamed.body)).to.equal(200);
      expect(renamed.body).to.deep.include({ sessionsEnded: false, tokensRevoked: 0 });
      expect((await api(app, 'GET', '/api/me/tokens', undefined, s)).status).to.equal(200);

      // Losing a role: sessions end; the token keeps working, with less.
      const narrowed = await api(app, 'PATCH', `/api/admin/users/${id}`, { roles: ['staff'] });
      expect(narrowed.status, JSON.stringify(narrowed.body)).to.equal(200);
      expect(narrowed.body).to.deep.include({ sessionsEnded: true, tokensRevoked: 0 });
      expect(narrowed.body.user).to.include({ name: 'Fia Flyttas', buyer: null }); // the buyer went with the role
      expect((await api(app, 'GET', '/api/me/tokens', undefined, s)).status).to.equal(401);
      expect((await api(app, 'POST', '/api/notices', notice('KS 2026/9'), { token })).status).to.equal(403);

      // Gaining a role or moving organisation: sessions end and tokens are revoked.
      const s2 = await session(id);
      const moved = await api(app, 'PATCH', `/api/admin/users/${id}`, { roles: ['officer', 'staff'], buyerOrgNumber: ALINGSAS });
      expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
      expect(moved.body).to.deep.include({ sessionsEnded: true, tokensRevoked: 1 });
      expect(moved.body.user.buyer).to.include({ name: 'Alingsås kommun' });
      expect((await api(app, 'GET', '/api/me/tokens', undefined, s2)).status).to.equal(401);
      expect((await api(app, 'GET', '/api/me/tokens', undefined, { token })).status).to.equal(401);

      expect((await api(app, 'PATCH', `/api/admin/users/${id}`, {})).status).to.equal(400);
      expect((await api(app, 'PATCH', `/api/admin/users/${id}`, { roles: ['firm'] })).status).to.equal(400); // no company
      expect((await api(app, 'PATCH', `/api/admin/users/${UNKNOWN_ID}`, { roles: ['staff'] })).status).to.equal(404);
    });

    it('removes a user: their sessions and tokens end; the last admin stays', async () => {
      const added = await api(app, 'POST', '/api/admin/users', { email: 'slutar@lerum.example', roles: ['staff'] });
      const s = await session(added.body.id);
      const token = (await api(app, 'POST', '/api/me/tokens', { name: 'x' }, s)).body.token;
      expect((await api(app, 'DELETE', `/api/admin/users/${added.body.id}`)).status).to.equal(204);
      expect((await api(app, 'GET', '/api/me/tokens', undefined, s)).status).to.equal(401);
      expect((await api(app, 'GET', '/api/me/tokens', undefined, { token })).status).to.equal(401);
      expect((await api(app, 'DELETE', `/api/admin/users/${added.body.id}`)).status).to.equal(404);

      const admin = (await api(app, 'GET', '/api/admin/users')).body.find((u: { roles: string[] }) => u.roles.includes('admin'));
      const last = await api(app, 'DELETE', `/api/admin/users/${admin.id}`);
      expect(last.status).to.equal(409);
      expect(last.body.error.code).to.equal('last_admin');
      expect((await api(app, 'PATCH', `/api/admin/users/${admin.id}`, { roles: ['staff'] })).status).to.equal(409);
      expect((await api(app, 'GET', '/api/admin/users')).status).to.equal(200);
    });

    it('lists and revokes another user’s tokens', async () => {
      const listed = await api(app, 'GET', `/api/admin/users/${staff.id}/tokens`);
      expect(listed.status).to.equal(200);
      expect(listed.body).to.have.length(1);
      expect(listed.body[0]).not.to.have.property('token');
      expect((await api(app, 'GET', `/api/admin/users/${UNKNOWN_ID}/tokens`)).status).to.equal(404);

      const extra = await createApiToken(app.db, staff.id, 'revoke me');
      expect((await api(app, 'DELETE', `/api/admin/tokens/${extra.id}`)).status).to.equal(204);
      expect((await api(app, 'GET', '/api/me/tokens', undefined, { token: extra.token })).status).to.equal(401);
      expect((await api(app, 'GET', '/api/me/tokens', undefined, { token: staff.token })).status).to.equal(200);
      expect((await api(app, 'DELETE', `/api/admin/tokens/${UNKNOWN_ID}`)).status).to.equal(404);
    });

    it('lists and adds buyer organisations', async () => {
      const added = await api(app, 'POST', '/api/admin/buyers', { name: 'Partille kommun', orgNumber: '2120001363' });
      expect(added.status, JSON.stringify(added.body)).to.equal(201);
      expect(added.body).to.include({ name: 'Partille kommun', orgNumber: '2120001363', nuts: null, users: 0 });
      const again = await api(app, 'POST', '/api/admin/buyers', { name: 'Partille', orgNumber: '212000-1363' });
      expect(again.status).to.equal(409);
      expect(again.body.error.code).to.equal('buyer_exists');
      expect((await api(app, 'POST', '/api/admin/buyers', { name: 'Någon', orgNumber: '19121212-1212' })).status).to.equal(400);
      expect((await api(app, 'POST', '/api/admin/buyers', { orgNumber: '212000-1355' })).status).to.equal(400);

      const listed = await api(app, 'GET', '/api/admin/buyers');
      expect(listed.status).to.equal(200);
      const byName = Object.fromEntries(listed.body.map((b: { name: string; users: number }) => [b.name, b.users]));
      expect(byName).to.include({ 'Lerums kommun': 1, 'Partille kommun': 0 });
    });
  });

  describe('the audit log', () => {
    it('records publishing, withdrawing, role changes and token creation: who, roles, what, which, when, from where', async () => {
      const body = notice('KS 2026/50');
      const published = await api(app, 'POST', '/api/notices', body, { token: officer.token });
      const noticeId = published.body.notice.id;
      const corrected = await api(app, 'POST', '/api/notices', { ...body, title: 'Lokalvård, rättad' }, { token: officer.token });
      expect(corrected.body.outcome).to.equal('updated');
      const same = await api(app, 'POST', '/api/notices', { ...body, title: 'Lokalvård, rättad' }, { token: officer.token });
      expect(same.body.outcome).to.equal('unchanged'); // not audited
      await api(app, 'POST', `/api/notices/${noticeId}/withdraw`, { reason: 'Behovet har upphört' }, { token: officer.token });
      const changed = await api(app, 'PATCH', `/api/admin/users/${firm.id}`, { roles: ['firm', 'staff'] });
      expect(changed.status).to.equal(200);
      const s = await session(staff.id);
      const made = await api(app, 'POST', '/api/me/tokens', { name: 'statistikjobb' }, s);

      const log = await api(app, 'GET', '/api/staff/audit?limit=500', undefined, { token: staff.token });
      expect(log.status).to.equal(200);
      const entries = log.body.entries as { action: string; objectId: string; userId: string; roles: string[]; ip: string; at: string; email: string; details: Record<string, unknown> }[];
      const about = (id: string) => entries.filter((e) => e.objectId === id).map((e) => e.action).reverse();
      expect(about(noticeId)).to.deep.equal(['notice.publish', 'notice.update', 'notice.withdraw']);
      const withdrawn = entries.find((e) => e.action === 'notice.withdraw' && e.objectId === noticeId)!;
      expect(withdrawn).to.include({ userId: officer.id, email: 'upphandlare@lerum.example' });
      expect(withdrawn.roles).to.deep.equal(['officer']);
      expect(withdrawn.ip).to.match(/127\.0\.0\.1$/);
      expect(Date.now() - Date.parse(withdrawn.at)).to.be.lessThan(60_000);
      expect(withdrawn.details).to.include({ reason: 'Behovet har upphört', via: 'token' });
      expect(entries.find((e) => e.action === 'notice.update' && e.objectId === noticeId)!.details.changed).to.deep.equal(['title']);

      const roleChange = entries.find((e) => e.action === 'user.change' && e.objectId === firm.id)!;
      expect(roleChange.roles).to.deep.equal(['admin']);
      expect(roleChange.details.roles).to.deep.equal({ from: ['firm'], to: ['firm', 'staff'] });
      const tokenRow = entries.find((e) => e.action === 'token.create' && e.objectId === made.body.id)!;
      expect(tokenRow).to.include({ userId: staff.id });
      expect(tokenRow.details).to.include({ name: 'statistikjobb', via: 'session' });
      expect(JSON.stringify(log.body)).not.to.include(made.body.token.split('.')[1]);
      expect(entries.map((e) => e.action)).to.include.members(['user.add', 'buyer.add', 'token.revoke', 'user.remove']);
      // Newest first.
      expect(entries.map((e) => e.at)).to.deep.equal(entries.map((e) => e.at).sort().reverse());
    });

    it('is read by staff and admin page by page, newest first, and by nobody else', async () => {
      const first = await api(app, 'GET', '/api/staff/audit?limit=3', undefined, { token: staff.token });
      expect(first.body.entries).to.have.length(3);
      const second = await api(app, 'GET', `/api/staff/audit?limit=3&before=${first.body.next}`);
      expect(second.status).to.equal(200);
      expect(second.body.entries[0].id < first.body.entries[2].id).to.equal(true);
      expect((await api(app, 'GET', '/api/staff/audit?limit=0')).status).to.equal(400);
      expect((await api(app, 'GET', '/api/staff/audit?before=nonsense')).status).to.equal(400);

      // The firm user was made staff above; a plain firm user is not.
      const plain = await user({ email: 'annan@tokens-stad.example', roles: ['firm'], companyId });
      expect((await api(app, 'GET', '/api/staff/audit', undefined, { token: plain.token })).status).to.equal(403);
      expect((await api(app, 'GET', '/api/staff/audit', undefined, { token: officer.token })).status).to.equal(403);
      expect((await api(app, 'GET', '/api/staff/audit', undefined, { token: null })).status).to.equal(401);
    });

    it('has no route that changes it', () => {
      const writes = app.routes.filter((r) => r.path.includes('audit') && r.method !== 'GET');
      expect(writes).to.deep.equal([]);
    });
  });
});
