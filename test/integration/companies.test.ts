// Firms and their subscriptions over real HTTP and SQLite: registration makes
// the first subscription, changes reach the outbox in the same transaction,
// another firm's subscription is not found, and bad input stores nothing.
import { expect } from 'chai';
import { luhnCheckDigit } from '../../src/domain/orgnr.ts';
import { newId, nowIso } from '../../src/ids.ts';
import { confirmAddress } from '../../src/mail/subscriptions.service.ts';
import { api, eventually, startTestApp, type TestApp } from '../helpers/app.ts';

const DAY = 24 * 3600 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

let firms = 0;
/** A registration body with a fresh, valid organisationsnummer. */
function firmBody(overrides: object = {}) {
  const stem = `5592${String(++firms).padStart(5, '0')}`;
  return {
    orgNumber: `${stem}${luhnCheckDigit(stem)}`, name: `Firma ${firms} AB`, email: `info${firms}@firma.example`,
    municipalityCode: '1441', categories: ['90910000'], ...overrides,
  };
}

describe('companies API', function () {
  let t: TestApp;
  before(async () => (t = await startTestApp({ WORKERS: 'off' })));
  after(async () => t?.stop());

  async function register(overrides: object = {}) {
    const res = await api(t.app, 'POST', '/api/companies', firmBody(overrides));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: string; subscriptions: { id: string; name: string }[] };
  }

  async function outbox(topic: string, companyId: string) {
    const rows = await t.app.db.selectFrom('outbox').select('payload').where('topic', '=', topic).orderBy('id').execute();
    return rows.map((r) => JSON.parse(r.payload)).filter((p) => p.companyId === companyId);
  }

  const revision = async () =>
    (await t.app.db.selectFrom('revisions').select('value').where('name', '=', 'subscriptions').executeTakeFirstOrThrow()).value;

  /** Everything a request about firms could write (the relay's relayed_at aside). */
  async function snapshot() {
    const { db } = t.app;
    return JSON.stringify([
      await db.selectFrom('companies').selectAll().orderBy('id').execute(),
      await db.selectFrom('company_categories').selectAll().orderBy('company_id').orderBy('code').execute(),
      await db.selectFrom('company_capabilities').selectAll().orderBy('company_id').orderBy('capability').execute(),
      await db.selectFrom('subscriptions').selectAll().orderBy('id').execute(),
      await db.selectFrom('subscription_cpv').selectAll().orderBy('subscription_id').orderBy('code').execute(),
      await db.selectFrom('outbox').select(['id', 'topic', 'payload']).orderBy('id').execute(),
      await revision(),
    ]);
  }

  /** The request is refused with this status (and, for a 400, names the field), and stores nothing. */
  async function refused(method: string, path: string, body: unknown, status: number, field?: string) {
    const before = await snapshot();
    const res = await api(t.app, method, path, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    if (field) {
      expect(res.body.error.code).to.equal('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include(field);
      expect(res.body.error.message).to.include(field);
    }
    expect(await snapshot()).to.equal(before);
    return res.body;
  }

  describe('registration', () => {
    it('makes the categories the first subscription, named in the firm’s language, and queues it for matching', async () => {
      const firm = await register({ categories: ['90911200', '90910000', '90911200-8'] });
      expect(firm.subscriptions).to.deep.equal([{
        id: firm.subscriptions[0].id, name: 'Våra kategorier', frequency: 'instant', active: true, reminderDays: 3,
        includeParent: false, keywords: null, regions: [], minValue: null, maxValue: null, kinds: [], procedures: [],
        onlyCsr: false, strict: false, minScore: null, cpv: ['90910000', '90911200'],
      }]);
      expect(await outbox('company.registered', firm.id)).to.deep.equal([{ companyId: firm.id, round: 1 }]);
      const changed = await outbox('subscription.changed', firm.id);
      expect(changed).to.have.length(1);
      expect(changed[0]).to.include({ companyId: firm.id, subscriptionId: firm.subscriptions[0].id });
      expect(changed[0].change).to.be.a('string').that.matches(/^[0-9A-Z]{26}$/);

      const english = await register({ language: 'en' });
      expect(english.subscriptions.map((s) => s.name)).to.deep.equal(['Our categories']);
    });
  });

  describe('subscriptions', () => {
    let firm: string;
    let other: string;
    before(async () => {
      firm = (await register()).id;
      other = (await register()).id;
    });

    const add = async (companyId: string, body: object) => {
      const res = await api(t.app, 'POST', `/api/companies/${companyId}/subscriptions`, { name: 'Städ', cpv: ['90910000'], ...body });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      return res.body;
    };

    it('POST takes reminderDays: 3 by default for instant, none for digests, or as given; and queues matching', async () => {
      const before = (await outbox('subscription.changed', firm)).length;
      expect((await add(firm, {})).reminderDays).to.equal(3);
      expect((await add(firm, { frequency: 'weekly' })).reminderDays).to.equal(null);
      expect((await add(firm, { frequency: 'daily', reminderDays: 7 })).reminderDays).to.equal(7);
      const instantWithout = await add(firm, { reminderDays: null });
      expect(instantWithout.reminderDays).to.equal(null);
      const changed = await outbox('subscription.changed', firm);
      expect(changed).to.have.length(before + 4);
      expect(changed.at(-1).subscriptionId).to.equal(instantWithout.id);
    });

    it('POST refuses a reminderDays that is not a whole number of days from 1 to 30', async () => {
      for (const reminderDays of [0, 31, 2.5, '3']) {
        await refused('POST', `/api/companies/${firm}/subscriptions`, { name: 'x', cpv: ['90910000'], reminderDays }, 400, 'reminderDays');
      }
    });

    it('PATCH changes any field; cpv replaces the list; matching is queued only when what it matches changed', async () => {
      const sub = await add(firm, { keywords: 'städ' });
      const path = `/api/companies/${firm}/subscriptions/${sub.id}`;
      const queued = async () => (await outbox('subscription.changed', firm)).filter((p) => p.subscriptionId === sub.id).length;
      expect(await queued()).to.equal(1);

      const renamed = await api(t.app, 'PATCH', path, { name: 'Lokalvård', frequency: 'daily', reminderDays: 5 });
      expect(renamed.status, JSON.stringify(renamed.body)).to.equal(200);
      expect(renamed.body).to.deep.include({ id: sub.id, name: 'Lokalvård', frequency: 'daily', reminderDays: 5, keywords: 'städ', cpv: ['90910000'] });
      expect(await queued()).to.equal(1);

      const recoded = await api(t.app, 'PATCH', path, { cpv: ['77310000-6', '90911200'] });
      expect(recoded.body.cpv).to.deep.equal(['77310000', '90911200']);
      expect(recoded.body.name).to.equal('Lokalvård');
      expect(await queued()).to.equal(2);

      const filtered = await api(t.app, 'PATCH', path, { keywords: null, regions: ['local'], minValue: 100000 });
      expect(filtered.body).to.deep.include({ keywords: null, regions: ['local'], minValue: 100000 });
      expect(await queued()).to.equal(3);

      expect((await api(t.app, 'GET', `/api/companies/${firm}`)).body.subscriptions.find((s: { id: string }) => s.id === sub.id))
        .to.deep.equal(filtered.body);
      expect((await api(t.app, 'PATCH', path, {})).body).to.deep.equal(filtered.body);
      expect(await queued()).to.equal(3);
    });

    it('PATCH refuses bad input, checked against the stored values, and stores nothing', async () => {
      const sub = await add(firm, { minValue: 100000 });
      const path = `/api/companies/${firm}/subscriptions/${sub.id}`;
      await refused('PATCH', path, { maxValue: 5000 }, 400, 'maxValue');
      await refused('PATCH', path, { cpv: [] }, 400, 'cpv');
      await refused('PATCH', path, { cpv: ['45214200-3'] }, 400, 'cpv.0');
      await refused('PATCH', path, { name: '' }, 400, 'name');
      await refused('PATCH', path, { frequency: 'hourly' }, 400, 'frequency');
      await refused('PATCH', path, { reminderDays: 31 }, 400, 'reminderDays');
      await refused('PATCH', path, { active: false }, 400, 'active');
      await refused('PATCH', path, { id: 'other' }, 400, 'id');
      await refused('PATCH', path, ['name'], 400, '(body)');
    });

    it('another firm’s subscription, or an unknown one, is not found, and stays as it was', async () => {
      const theirs = await add(other, {});
      for (const path of [`/api/companies/${firm}/subscriptions/${theirs.id}`, `/api/companies/${firm}/subscriptions/01UNKNOWN`]) {
        const body = await refused('PATCH', path, { name: 'Mine now' }, 404);
        expect(body.error.code).to.equal('not_found');
        await refused('DELETE', path, undefined, 404);
        await refused('POST', `${path}/pause`, undefined, 404);
        await refused('POST', `${path}/resume`, undefined, 404);
      }
      await refused('PATCH', `/api/companies/01UNKNOWN/subscriptions/${theirs.id}`, { name: 'x' }, 404);
    });

    it('DELETE removes it: 204, and then it is gone', async () => {
      const sub = await add(firm, {});
      const before = await revision();
      const res = await api(t.app, 'DELETE', `/api/companies/${firm}/subscriptions/${sub.id}`);
      expect(res.status).to.equal(204);
      expect(res.body).to.equal('');
      expect(await revision()).to.be.greaterThan(before);
      const company = (await api(t.app, 'GET', `/api/companies/${firm}`)).body;
      expect(company.subscriptions.map((s: { id: string }) => s.id)).not.to.include(sub.id);
      expect(await t.app.db.selectFrom('subscription_cpv').select('code').where('subscription_id', '=', sub.id).execute()).to.deep.equal([]);
      await refused('DELETE', `/api/companies/${firm}/subscriptions/${sub.id}`, undefined, 404);
    });

    it('pause stops it; resume starts it again and queues matching', async () => {
      const sub = await add(firm, {});
      const path = `/api/companies/${firm}/subscriptions/${sub.id}`;
      const queued = async () => (await outbox('subscription.changed', firm)).filter((p) => p.subscriptionId === sub.id).length;

      const paused = await api(t.app, 'POST', `${path}/pause`);
      expect(paused.status).to.equal(200);
      expect(paused.body).to.deep.equal({ ...sub, active: false });
      expect((await api(t.app, 'POST', `${path}/pause`)).body.active).to.equal(false);
      // Changed while paused: matched when resumed, not before.
      expect((await api(t.app, 'PATCH', path, { cpv: ['90911200'] })).status).to.equal(200);
      expect(await queued()).to.equal(1);

      const resumed = await api(t.app, 'POST', `${path}/resume`);
      expect(resumed.status).to.equal(200);
      expect(resumed.body).to.deep.include({ active: true, cpv: ['90911200'] });
      expect(await queued()).to.equal(2);
      expect((await api(t.app, 'POST', `${path}/resume`)).body.active).to.equal(true);
      expect(await queued()).to.equal(2);
    });
  });

  describe('PATCH /api/companies/:id', () => {
    it('changes the profile and answers the firm as GET does', async () => {
      const firm = await register({ csr: ['apprenticeships'] });
      const before = await revision();
      const res = await api(t.app, 'PATCH', `/api/companies/${firm.id}`, {
        name: 'Nytt Namn AB', municipalityCode: '1402', language: 'en', categories: ['77310000', '90910000'],
        csr: ['collective-agreement', { capability: 'iso-14001', validUntil: '2027-06-30' }],
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.deep.include({
        name: 'Nytt Namn AB', municipalityCode: '1402', language: 'en', categories: ['77310000', '90910000'], emailStatus: 'unconfirmed',
        csr: [{ capability: 'collective-agreement', validUntil: null }, { capability: 'iso-14001', validUntil: '2027-06-30' }],
      });
      expect(res.body).to.deep.equal((await api(t.app, 'GET', `/api/companies/${firm.id}`)).body);
      expect(await revision()).to.be.greaterThan(before);
      // Its subscriptions are its own: the first one keeps the categories it was made with.
      expect(res.body.subscriptions[0].cpv).to.deep.equal(['90910000']);
      // Same address: no new confirmation.
      expect(await outbox('company.registered', firm.id)).to.have.length(1);
    });

    it('a new address must be confirmed again: a new round of the confirmation e-mail', async () => {
      const firm = await register();
      await confirmAddress(t.app.db, firm.id);
      const res = await api(t.app, 'PATCH', `/api/companies/${firm.id}`, { email: 'ny@firma.example' });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ email: 'ny@firma.example', emailStatus: 'unconfirmed' });
      expect(await outbox('company.registered', firm.id)).to.deep.equal([{ companyId: firm.id, round: 1 }, { companyId: firm.id, round: 2 }]);
      const row = await t.app.db.selectFrom('companies').selectAll().where('id', '=', firm.id).executeTakeFirstOrThrow();
      expect(row).to.include({ confirm_round: 2, email_confirmed_at: null });
    });

    it('refuses bad input naming the field, and stores nothing', async () => {
      const firm = await register();
      const path = `/api/companies/${firm.id}`;
      await refused('PATCH', path, { email: 'not-an-address' }, 400, 'email');
      await refused('PATCH', path, { name: '  ' }, 400, 'name');
      await refused('PATCH', path, { categories: [] }, 400, 'categories');
      await refused('PATCH', path, { categories: ['90910000'], municipalityCode: '9999x' }, 400, 'municipalityCode');
      await refused('PATCH', path, { csr: ['iso-99999'] }, 400, 'csr.0.capability');
      await refused('PATCH', path, { csr: [{ capability: 'iso-14001', validUntil: 'soon' }] }, 400, 'csr.0.validUntil');
      await refused('PATCH', path, { language: 'de' }, 400, 'language');
      await refused('PATCH', path, { orgNumber: '556016-0680' }, 400, 'orgNumber');
      await refused('PATCH', path, { emailStatus: 'confirmed' }, 400, 'emailStatus');
      await refused('PATCH', path, undefined, 400, '(body)');
      await refused('PATCH', '/api/companies/01UNKNOWN', { name: 'x' }, 404);
    });
  });

  describe('POST /api/companies/:id/confirmation', () => {
    it('sends the confirmation again while the address is unconfirmed, then 409', async () => {
      const firm = await register();
      const res = await api(t.app, 'POST', `/api/companies/${firm.id}/confirmation`);
      expect(res.status).to.equal(202);
      expect(res.body).to.include({ id: firm.id, emailStatus: 'unconfirmed' });
      expect(await outbox('company.registered', firm.id)).to.deep.equal([{ companyId: firm.id, round: 1 }, { companyId: firm.id, round: 2 }]);

      await confirmAddress(t.app.db, firm.id);
      const body = await refused('POST', `/api/companies/${firm.id}/confirmation`, undefined, 409);
      expect(body.error.code).to.equal('already_confirmed');
      await refused('POST', '/api/companies/01UNKNOWN/confirmation', undefined, 404);
    });
  });

  describe('GET /api/companies/:id/matches', () => {
    let firm: string;
    const titles: Record<string, string> = {};

    before(async () => {
      firm = (await register({ categories: ['90910000'] })).id;
      const soon = inDays(5);
      const notices = [
        { key: 'soon-low', deadline: soon, score: 50 },
        { key: 'soon-high', deadline: soon, score: 80 },
        { key: 'later', deadline: inDays(20), score: 90 },
        { key: 'no-deadline-new', deadline: null, publishedAt: inDays(-2), score: 60 },
        { key: 'no-deadline-old', deadline: null, publishedAt: inDays(-400), score: 60 },
        { key: 'closed-long-ago', deadline: inDays(-10), score: 99 },
        { key: 'closed-recently', deadline: inDays(-2), score: 40 },
        { key: 'awarded', deadline: inDays(3), score: 70, awards: [{ winner: { name: 'Vinnare AB' } }] },
      ];
      for (const n of notices) {
        const res = await api(t.app, 'POST', '/api/notices', {
          sourceId: `M-${n.key}`, title: `Städning ${n.key}`, buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' },
          cpv: { main: '90911200' }, deadline: n.deadline, publishedAt: n.publishedAt ?? inDays(-1), awards: n.awards ?? [],
        });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        titles[n.key] = res.body.notice.title;
        // Matches as the match worker stores them (workers are off in this file).
        await t.app.db.insertInto('matches').values({
          id: newId(), notice_id: res.body.notice.id, company_id: firm, score: n.score,
          reasons: JSON.stringify([{ code: 'cpv', sv: 'CPV', en: 'CPV' }]), subscription_id: null, created_at: nowIso(),
        }).execute();
      }
    });

    const page = async (query: string) => {
      const res = await api(t.app, 'GET', `/api/companies/${firm}/matches${query}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res.body as { items: { title: string; status: string; deadline: string | null }[]; total: number; page: number; pageSize: number };
    };
    const keys = (items: { title: string }[]) => items.map((i) => i.title.replace('Städning ', ''));

    it('lists open notices first, soonest deadline first, then by score; then closed ones, most recently closed first', async () => {
      const all = await page('');
      expect(all).to.include({ total: 8, page: 1, pageSize: 20 });
      expect(keys(all.items)).to.deep.equal([
        'soon-high', 'soon-low', 'later', 'no-deadline-new', 'awarded', 'closed-recently', 'closed-long-ago', 'no-deadline-old',
      ]);
      expect(all.items.map((i) => i.status)).to.deep.equal(['open', 'open', 'open', 'open', 'closed', 'closed', 'closed', 'closed']);
      expect(Object.keys(all.items[0]).sort()).to.deep.equal(
        ['deadline', 'matchedAt', 'missing', 'notRelevant', 'noticeId', 'reasons', 'score', 'status', 'subscriptionId', 'title'],
      );
      expect(all.items[0]).to.deep.include({ score: 80, missing: [], reasons: [{ code: 'cpv', sv: 'CPV', en: 'CPV' }] });
      expect(all.items[3].deadline).to.equal(null);
    });

    it('pages and filters by status', async () => {
      const second = await page('?page=2&pageSize=3');
      expect(second).to.include({ total: 8, page: 2, pageSize: 3 });
      expect(keys(second.items)).to.deep.equal(['no-deadline-new', 'awarded', 'closed-recently']);
      expect((await page('?page=4&pageSize=3')).items).to.deep.equal([]);

      const open = await page('?status=open');
      expect(open.total).to.equal(4);
      expect(keys(open.items)).to.deep.equal(['soon-high', 'soon-low', 'later', 'no-deadline-new']);
      const closed = await page('?status=closed&pageSize=2');
      expect(closed).to.include({ total: 4, pageSize: 2 });
      expect(keys(closed.items)).to.deep.equal(['awarded', 'closed-recently']);
      expect(closed.items.every((i) => i.status === 'closed')).to.equal(true);
      expect((await page('?status=all')).total).to.equal(8);
    });

    it('a withdrawn notice is "withdrawn" among the closed ones, not "closed" beside its deadline ahead', async () => {
      const res = await api(t.app, 'POST', '/api/notices', {
        sourceId: 'M-withdrawn', title: 'Städning withdrawn', buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' }, cpv: { main: '90911200' }, deadline: inDays(30),
      });
      const noticeId = res.body.notice.id as string;
      await t.app.db.insertInto('matches').values({
        id: newId(), notice_id: noticeId, company_id: firm, score: 75, reasons: '[]', subscription_id: null, created_at: nowIso(),
      }).execute();
      expect((await page('?status=open')).items.map((i) => i.title)).to.include('Städning withdrawn');
      expect((await api(t.app, 'POST', `/api/notices/${noticeId}/withdraw`, { reason: 'Behovet har upphört.' })).status).to.equal(200);
      expect(keys((await page('?status=open')).items)).not.to.include('withdrawn');
      const closed = (await page('?status=closed')).items.find((i) => i.title === 'Städning withdrawn');
      expect(closed).to.deep.include({ status: 'withdrawn' });
    });

    it('refuses bad paging and unknown firms', async () => {
      for (const [query, field] of [['?pageSize=0', 'pageSize'], ['?pageSize=101', 'pageSize'], ['?page=0', 'page'], ['?page=x', 'page'], ['?status=soon', 'status']]) {
        await refused('GET', `/api/companies/${firm}/matches${query}`, undefined, 400, field);
      }
      await refused('GET', '/api/companies/01UNKNOWN/matches', undefined, 404);
    });
  });
});

describe('companies API with workers', function () {
  let t: TestApp;
  before(async () => (t = await startTestApp()));
  after(async () => t?.stop());

  it('a firm registered after a notice went out sees it among its matches', async () => {
    const notice = await api(t.app, 'POST', '/api/notices', {
      sourceId: 'EARLY-1', title: 'Städning av Lerums bibliotek', buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' },
      cpv: { main: '90911200' }, deadline: inDays(20),
    });
    expect(notice.status, JSON.stringify(notice.body)).to.equal(201);
    await eventually(async () => (await t.app.producer.queue('match').getJobCounts('completed')).completed > 0);

    const firm = await api(t.app, 'POST', '/api/companies', firmBody({ categories: ['90910000'] }));
    expect(firm.status).to.equal(201);
    const matches = await eventually(async () => {
      const res = await api(t.app, 'GET', `/api/companies/${firm.body.id}/matches`);
      return res.body.total > 0 && res.body;
    });
    expect(matches.items).to.have.length(1);
    expect(matches.items[0]).to.include({ noticeId: notice.body.notice.id, status: 'open', subscriptionId: firm.body.subscriptions[0].id });
  });
});
