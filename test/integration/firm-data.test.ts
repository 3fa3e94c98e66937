// A firm's data over real HTTP and SQLite: who may read and change a firm
// (its own users; staff read only; admin), its owner and the users it invites,
// the personnummer masked for everyone else, and the export / delete round
// trip that leaves only anonymised counts of its e-mail.
import { expect } from 'chai';
import { addUser, createApiToken } from '../../src/accounts/accounts.service.ts';
import { findUserByEmail } from '../../src/accounts/accounts.repo.ts';
import { startSession, SESSION_COOKIE } from '../../src/accounts/sessions.service.ts';
import { luhnCheckDigit } from '../../src/domain/orgnr.ts';
import { newId, nowIso } from '../../src/ids.ts';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';
import { nextOrgNumber } from '../helpers/firms.ts';

/** A valid personnummer (sole trader) born on this day. */
function personnummer(yymmdd: string, serial = '123') {
  const stem = `${yymmdd}${serial}`;
  return `${yymmdd}-${serial}${luhnCheckDigit(stem)}`;
}

describe('a firm’s data', function () {
  this.timeout(30_000);
  let t: TestApp;
  // Firms register here as they would, anonymously, many from one client.
  before(async () => (t = await startTestApp({ WORKERS: 'off', RATE_LIMIT_REGISTER_PER_CLIENT: '1000/1h' })));
  after(async () => t?.stop());

  const as = (token: string | null) => ({ token });
  let seq = 0;

  /** Registers a firm (as anonymous, as a firm would); its owner gets an API token. */
  async function firm(overrides: object = {}) {
    const email = `owner${++seq}@firma.example`;
    const res = await api(t.app, 'POST', '/api/companies', {
      orgNumber: nextOrgNumber(), name: `Firma ${seq} AB`, email, municipalityCode: '1441', categories: ['90910000'], ...overrides,
    }, as(null));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const owner = await findUserByEmail(t.app.db, (overrides as { email?: string }).email ?? email);
    expect(owner, 'the registration made the owner').to.not.equal(undefined);
    const { token } = await createApiToken(t.app.db, owner!.id, 'test');
    return { id: res.body.id as string, body: res.body, owner: owner!, token, email: owner!.email };
  }

  /** A user of another kind, with an API token. */
  async function user(roles: ('firm' | 'officer' | 'staff' | 'admin')[], companyId: string | null = null) {
    const id = await addUser(t.app.db, { email: `${roles.join('-')}${++seq}@example.se`, roles, companyId });
    return { id, token: (await createApiToken(t.app.db, id, 'test')).token };
  }

  describe('registration makes the owner', () => {
    it('a firm user of the new company, with the registration address, marked owner', async () => {
      const f = await firm({ email: 'Anbud@Registrerad.example' });
      expect(f.owner).to.include({ email: 'anbud@registrerad.example', roles: 'firm', company_id: f.id, is_owner: 1 });
      const users = await api(t.app, 'GET', `/api/companies/${f.id}/users`, undefined, as(f.token));
      expect(users.status).to.equal(200);
      expect(users.body).to.deep.equal([{ id: f.owner.id, email: 'anbud@registrerad.example', name: null, owner: true, createdAt: f.owner.created_at }]);
    });

    it('a company name is at most 120 characters of one-line plain text', async () => {
      const long = await api(t.app, 'POST', '/api/companies', {
        orgNumber: nextOrgNumber(), name: 'x'.repeat(121), email: 'long@firma.example', municipalityCode: '1441', categories: ['90910000'],
      }, as(null));
      expect(long.status).to.equal(400);
      expect(long.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['name']);
      const f = await firm({ name: `Städ\r\nAB ${'y'.repeat(111)}` });
      expect(f.body.name).to.equal(`Städ AB ${'y'.repeat(111)}`).and.have.length(119);
    });
  });

  describe('who may read and change a firm', () => {
    let a: Awaited<ReturnType<typeof firm>>;
    let other: Awaited<ReturnType<typeof firm>>;
    let staff: { token: string };
    let officer: { token: string };
    before(async () => {
      a = await firm();
      other = await firm();
      staff = await user(['staff']);
      officer = await user(['officer']);
    });

    it('another firm’s user: 403 on every route of the firm; the firm is unchanged', async () => {
      const before = (await api(t.app, 'GET', `/api/companies/${a.id}`)).body;
      const sid = before.subscriptions[0].id;
      const attempts: [string, string, unknown][] = [
        ['GET', '', undefined], ['PATCH', '', { name: 'Kapad AB' }], ['DELETE', '', undefined], ['GET', '/export', undefined],
        ['GET', '/users', undefined], ['POST', '/users', { email: 'intrang@example.se' }], ['DELETE', `/users/${a.owner.id}`, undefined],
        ['GET', '/matches', undefined], ['POST', '/subscriptions', { name: 'x', cpv: ['90910000'] }], ['PATCH', `/subscriptions/${sid}`, { name: 'x' }],
        ['DELETE', `/subscriptions/${sid}`, undefined], ['POST', '/confirmation', undefined],
      ];
      for (const [method, path, body] of attempts) {
        const res = await api(t.app, method, `/api/companies/${a.id}${path}`, body, as(other.token));
        expect(res.status, `${method} ${path}`).to.equal(403);
        const anonymous = await api(t.app, method, `/api/companies/${a.id}${path}`, body, as(null));
        expect(anonymous.status, `anonymous ${method} ${path}`).to.equal(401);
        const byOfficer = await api(t.app, method, `/api/companies/${a.id}${path}`, body, as(officer.token));
        expect(byOfficer.status, `officer ${method} ${path}`).to.equal(403);
      }
      expect((await api(t.app, 'GET', `/api/companies/${a.id}`)).body).to.deep.equal(before);
      expect((await api(t.app, 'GET', `/api/companies/${a.id}/users`)).body).to.have.length(1);
    });

    it('staff read the firm, its users and matches, and change nothing', async () => {
      for (const path of ['', '/users', '/matches']) {
        expect((await api(t.app, 'GET', `/api/companies/${a.id}${path}`, undefined, as(staff.token))).status, path).to.equal(200);
      }
      const sid = (await api(t.app, 'GET', `/api/companies/${a.id}`)).body.subscriptions[0].id;
      for (const [method, path, body] of [
        ['PATCH', '', { name: 'Staff AB' }], ['DELETE', '', undefined], ['GET', '/export', undefined], ['POST', '/users', { email: 'staff-invite@example.se' }],
        ['DELETE', `/users/${a.owner.id}`, undefined], ['POST', '/subscriptions', { name: 'x', cpv: ['90910000'] }], ['PATCH', `/subscriptions/${sid}`, { name: 'y' }],
      ] as [string, string, unknown][]) {
        expect((await api(t.app, method, `/api/companies/${a.id}${path}`, body, as(staff.token))).status, `${method} ${path}`).to.equal(403);
      }
    });

    it('the firm’s own user reads and changes it', async () => {
      const res = await api(t.app, 'PATCH', `/api/companies/${a.id}`, { name: 'Egen Ändring AB' }, as(a.token));
      expect(res.status).to.equal(200);
      expect(res.body.name).to.equal('Egen Ändring AB');
    });
  });

  describe('a sole trader’s personnummer', () => {
    it('is whole for the firm’s own users and admin, masked for staff and for an anonymous registrant', async () => {
      const number = personnummer('850101');
      const f = await firm({ orgNumber: number, soleTrader: true });
      expect(f.body.orgNumber, 'the registration answer to an anonymous caller').to.equal('850101-****');
      const member = await user(['firm'], f.id);
      const staff = await user(['staff']);
      const shown = async (token: string) => (await api(t.app, 'GET', `/api/companies/${f.id}`, undefined, as(token))).body.orgNumber;
      expect(await shown(f.token)).to.equal(number);
      expect(await shown(member.token)).to.equal(number);
      expect(await shown(t.app.adminToken)).to.equal(number);
      expect(await shown(staff.token)).to.equal('850101-****');
      const exported = await api(t.app, 'GET', `/api/companies/${f.id}/export`, undefined, as(f.token));
      expect(exported.body.company.orgNumber).to.equal(number);
      // An organisationsnummer is public: shown whole to staff.
      const company = await firm();
      expect((await api(t.app, 'GET', `/api/companies/${company.id}`, undefined, as(staff.token))).body.orgNumber).to.match(/^\d{6}-\d{4}$/);
    });
  });

  describe('the firm’s users', () => {
    it('the owner invites users; an address is one user only; they act for the firm and may not invite', async () => {
      const f = await firm();
      const invited = await api(t.app, 'POST', `/api/companies/${f.id}/users`, { email: 'Kollega@Firma.example', name: 'Kim Kollega' }, as(f.token));
      expect(invited.status, JSON.stringify(invited.body)).to.equal(201);
      expect(invited.body).to.include({ email: 'kollega@firma.example', name: 'Kim Kollega', owner: false });
      expect(invited.headers.get('location')).to.equal(`/api/companies/${f.id}/users/${invited.body.id}`);

      for (const email of ['kollega@firma.example', f.email, 'admin@brygga.test']) {
        const again = await api(t.app, 'POST', `/api/companies/${f.id}/users`, { email }, as(f.token));
        expect(again.status).to.equal(409);
        expect(again.body.error.code).to.equal('user_exists');
        expect(again.body.error.message).to.equal('email: this address already belongs to a Brygga user, and an address can belong to one user only: invite another address');
      }
      expect((await api(t.app, 'POST', `/api/companies/${f.id}/users`, { email: 'inte-en-adress' }, as(f.token))).status).to.equal(400);

      const colleague = { token: (await createApiToken(t.app.db, invited.body.id, 'test')).token };
      expect((await api(t.app, 'PATCH', `/api/companies/${f.id}`, { language: 'en' }, as(colleague.token))).status).to.equal(200);
      expect((await api(t.app, 'POST', `/api/companies/${f.id}/users`, { email: 'ny@firma.example' }, as(colleague.token))).status).to.equal(403);
      expect((await api(t.app, 'DELETE', `/api/companies/${f.id}/users/${f.owner.id}`, undefined, as(colleague.token))).status).to.equal(403);
      expect((await api(t.app, 'DELETE', `/api/companies/${f.id}`, undefined, as(colleague.token))).status).to.equal(403);

      const audit = await t.app.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.add').where('object_id', '=', invited.body.id).execute();
      expect(audit).to.have.length(1);
      expect(audit[0]).to.include({ user_id: f.owner.id, object_type: 'user' });
    });

    it('removing a user ends its sessions and tokens; the last owner stays', async () => {
      const f = await firm();
      const invited = await api(t.app, 'POST', `/api/companies/${f.id}/users`, { email: `bort${seq}@firma.example` }, as(f.token));
      const uid = invited.body.id as string;
      const { token } = await createApiToken(t.app.db, uid, 'test');
      const session = await startSession(t.app.db, uid, t.app.config.sessions);
      const cookie = { cookie: `${SESSION_COOKIE}=${session.token}` };
      expect((await api(t.app, 'GET', `/api/companies/${f.id}`, undefined, { token: null, headers: cookie })).status).to.equal(200);

      const removed = await api(t.app, 'DELETE', `/api/companies/${f.id}/users/${uid}`, undefined, as(f.token));
      expect(removed.status).to.equal(204);
      expect((await api(t.app, 'GET', `/api/companies/${f.id}`, undefined, { token: null, headers: cookie })).status).to.equal(401);
      expect((await api(t.app, 'GET', `/api/companies/${f.id}`, undefined, as(token))).status).to.equal(401);
      expect(await t.app.db.selectFrom('sessions').select('id').where('user_id', '=', uid).execute()).to.deep.equal([]);
      expect((await api(t.app, 'DELETE', `/api/companies/${f.id}/users/${uid}`, undefined, as(f.token))).status).to.equal(404);

      const last = await api(t.app, 'DELETE', `/api/companies/${f.id}/users/${f.owner.id}`, undefined, as(f.token));
      expect(last.status).to.equal(409);
      expect(last.body.error.code).to.equal('last_owner');
      // Another firm's user is not found here, even by the administrator.
      const other = await firm();
      expect((await api(t.app, 'DELETE', `/api/companies/${f.id}/users/${other.owner.id}`)).status).to.equal(404);

      // With a second owner, the first may go.
      const second = await api(t.app, 'POST', `/api/companies/${f.id}/users`, { email: `agare${seq}@firma.example`, owner: true }, as(f.token));
      expect(second.body.owner).to.equal(true);
      expect((await api(t.app, 'DELETE', `/api/companies/${f.id}/users/${f.owner.id}`)).status).to.equal(204);
      expect((await api(t.app, 'GET', `/api/companies/${f.id}/users`)).body.map((u: { id: string }) => u.id)).to.deep.equal([second.body.id]);
    });
  });

  describe('export and delete', () => {
    it('exports everything about the firm, then deletes it: only anonymised counts of its e-mail stay', async () => {
      const f = await firm({ csr: ['collective-agreement', { capability: 'iso-14001', validUntil: '2027-06-30' }] });
      const bystander = await firm();
      const colleague = await api(t.app, 'POST', `/api/companies/${f.id}/users`, { email: `exp${seq}@firma.example` }, as(f.token));
      const colleagueToken = (await createApiToken(t.app.db, colleague.body.id, 'integration')).token;
      await api(t.app, 'POST', `/api/companies/${f.id}/subscriptions`, { name: 'Fönsterputs', cpv: ['90911300'], frequency: 'weekly' }, as(f.token));
      // A notice, its match and two e-mails in the ledger, as the workers would have left them.
      const notice = await api(t.app, 'POST', '/api/notices', {
        reference: `EXP-${seq}`, title: 'Städning av Exportskolan', buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' }, cpv: { main: '90911200' },
        deadline: new Date(Date.now() + 20 * 86400_000).toISOString(),
      });
      const noticeId = notice.body.notice.id as string;
      const { db } = t.app;
      for (const companyId of [f.id, bystander.id]) {
        await db.insertInto('matches').values({
          id: newId(), notice_id: noticeId, company_id: companyId, score: 70, reasons: '[{"code":"cpv","sv":"CPV","en":"CPV"}]', subscription_id: null, created_at: nowIso(),
        }).execute();
      }
      const ledger = [
        { kind: 'confirm', ref: '1', status: 'sent', created_at: '2026-10-03T08:00:00.000Z' },
        { kind: 'instant', ref: noticeId, status: 'sent', created_at: '2026-11-20T08:00:00.000Z' },
        { kind: 'instant', ref: 'OLD', status: 'failed', created_at: '2026-11-21T08:00:00.000Z' },
      ];
      for (const row of ledger) {
        const id = newId();
        await db.insertInto('deliveries').values({ id, company_id: f.id, ...row, message_id: `<${id}@brygga>`, error: null, sent_at: row.created_at }).execute();
        if (row.kind === 'instant' && row.status === 'sent') {
          await db.insertInto('delivery_items').values({ delivery_id: id, company_id: f.id, notice_id: noticeId, section: 'new', revision: 1 }).execute();
        }
      }

      const exported = await api(t.app, 'GET', `/api/companies/${f.id}/export`, undefined, as(colleagueToken));
      expect(exported.status, JSON.stringify(exported.body)).to.equal(200);
      expect(exported.headers.get('content-disposition')).to.equal(`attachment; filename=brygga-${f.id}.json`);
      const doc = exported.body;
      expect(Object.keys(doc).sort()).to.deep.equal(['audit', 'company', 'deliveries', 'exportedAt', 'matches', 'notRelevant', 'users']);
      expect(doc.company).to.deep.include({ id: f.id, name: f.body.name, email: f.email, emailStatus: 'unconfirmed', categories: ['90910000'] });
      expect(doc.company.csr).to.deep.equal([{ capability: 'collective-agreement', validUntil: null }, { capability: 'iso-14001', validUntil: '2027-06-30' }]);
      expect(doc.company.subscriptions.map((s: { name: string }) => s.name)).to.deep.equal(['Våra kategorier', 'Fönsterputs']);
      expect(doc.users.map((u: { email: string; owner: boolean }) => [u.email, u.owner])).to.deep.equal([[f.email, true], [colleague.body.email, false]]);
      expect(doc.users[1].apiTokens.map((k: { name: string }) => k.name)).to.deep.equal(['integration']);
      expect(JSON.stringify(doc)).not.to.include('secret_hash').and.not.to.include(colleagueToken.split('.')[1]);
      expect(doc.matches).to.have.length(1);
      expect(doc.matches[0]).to.include({ noticeId, title: 'Städning av Exportskolan', score: 70 });
      expect(doc.deliveries.map((d: { kind: string; status: string }) => `${d.kind} ${d.status}`)).to.deep.equal(['confirm sent', 'instant sent', 'instant failed']);
      expect(doc.deliveries[1].items).to.deep.equal([{ noticeId, section: 'new', revision: 1 }]);
      expect(doc.audit.map((a: { action: string }) => a.action)).to.include('user.add');

      const audited = await db.selectFrom('audit_log').selectAll().where('action', '=', 'company.export').where('object_id', '=', f.id).execute();
      expect(audited).to.have.length(1);
      expect(audited[0]).to.include({ user_id: colleague.body.id, object_type: 'company' });

      // Only an owner (or admin) deletes.
      expect((await api(t.app, 'DELETE', `/api/companies/${f.id}`, undefined, as(colleagueToken))).status).to.equal(403);
      const deleted = await api(t.app, 'DELETE', `/api/companies/${f.id}`, undefined, as(f.token));
      expect(deleted.status).to.equal(204);

      expect((await api(t.app, 'GET', `/api/companies/${f.id}`)).status).to.equal(404);
      expect((await api(t.app, 'GET', `/api/companies/${f.id}`, undefined, as(f.token))).status, 'its users are gone with it').to.equal(401);
      expect((await api(t.app, 'GET', `/api/companies/${f.id}/export`)).status).to.equal(404);
      for (const table of ['matches', 'deliveries', 'delivery_items', 'subscriptions', 'company_capabilities', 'company_categories'] as const) {
        const left = await db.selectFrom(table).select('company_id').where('company_id', '=', f.id).execute();
        expect(left, table).to.deep.equal([]);
      }
      expect(await db.selectFrom('users').select('id').where('company_id', '=', f.id).execute()).to.deep.equal([]);
      expect(await db.selectFrom('api_tokens').select('id').where('user_id', 'in', [f.owner.id, colleague.body.id]).execute()).to.deep.equal([]);
      // The other firm keeps its match; the ledger became counts without firm, address or notice.
      expect(await db.selectFrom('matches').select('company_id').where('notice_id', '=', noticeId).execute()).to.deep.equal([{ company_id: bystander.id }]);
      expect(await db.selectFrom('delivery_counts').selectAll().orderBy('month').orderBy('status').execute()).to.deep.equal([
        { month: '2026-10', kind: 'confirm', status: 'sent', count: 1 },
        { month: '2026-11', kind: 'instant', status: 'failed', count: 1 },
        { month: '2026-11', kind: 'instant', status: 'sent', count: 1 },
      ]);
      const deletion = await db.selectFrom('audit_log').selectAll().where('action', '=', 'company.delete').where('object_id', '=', f.id).executeTakeFirstOrThrow();
      expect(deletion.user_id).to.equal(f.owner.id);
      expect(JSON.parse(deletion.details)).to.include({ users: 2, subscriptions: 2, matches: 1, deliveries: 3 });

      expect((await api(t.app, 'DELETE', `/api/companies/${f.id}`)).status).to.equal(404);
      // The number is free again: registering it makes a new firm.
      expect((await api(t.app, 'POST', '/api/companies', {
        orgNumber: f.body.orgNumber, name: 'Återkomsten AB', email: f.email, municipalityCode: '1441', categories: ['90910000'],
      }, as(null))).status).to.equal(201);
      expect(await findUserByEmail(db, f.email)).to.include({ is_owner: 1 });
    });

    it('the administrator deletes any firm; counts from several deleted firms add up', async () => {
      const count = async () =>
        (await t.app.db.selectFrom('delivery_counts').select('count').where('month', '=', '2025-05').where('kind', '=', 'weekly').where('status', '=', 'sent').executeTakeFirst())?.count ?? 0;
      for (const n of [2, 3]) {
        const f = await firm();
        for (let i = 0; i < n; i++) {
          await t.app.db.insertInto('deliveries').values({
            id: newId(), company_id: f.id, kind: 'weekly', ref: `2025-W2${i}`, status: 'sent', message_id: null, error: null, created_at: `2025-05-0${i + 1}T05:00:00.000Z`, sent_at: null,
          }).execute();
        }
        expect((await api(t.app, 'DELETE', `/api/companies/${f.id}`)).status).to.equal(204);
      }
      expect(await count()).to.equal(5);
    });
  });
});
