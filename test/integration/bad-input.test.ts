// Bad input gets a clear error naming the field, and nothing is stored.
import { expect } from 'chai';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';

const validNotice = {
  title: 'Snöröjning 2027',
  buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' },
  cpv: { main: '90620000' },
};
const validFirm = {
  orgNumber: '556016-0680', name: 'Firma AB', email: 'info@firma.example', municipalityCode: '1441', categories: ['90620000'], csr: [],
};

describe('bad input over HTTP', function () {
  let t: TestApp;
  before(async () => (t = await startTestApp({ WORKERS: 'off' })));
  after(async () => t?.stop());

  async function expectRejected(path: string, body: unknown, status: number, code: string, field?: string) {
    const res = await api(t.app, 'POST', path, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    expect(res.body.error.code).to.equal(code);
    expect(res.body.error.message).to.be.a('string').with.length.greaterThan(0);
    if (field) {
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include(field);
      expect(res.body.error.message).to.include(field);
    }
    return res.body.error;
  }

  afterEach(async () => {
    // Whatever was rejected left no trace.
    for (const table of ['notices', 'buyers', 'companies', 'subscriptions', 'outbox'] as const) {
      const rows = await t.app.db.selectFrom(table).select('id').execute();
      // A registered firm leaves one outbox row: its confirmation e-mail.
      expect(rows, table).to.have.length(table === 'companies' || table === 'outbox' ? existingFirms : 0);
    }
  });
  let existingFirms = 0;

  it('a notice without a title', () => expectRejected('/api/notices', { ...validNotice, title: undefined }, 400, 'validation_failed', 'title'));
  it('a notice without CPV', () => expectRejected('/api/notices', { ...validNotice, cpv: undefined }, 400, 'validation_failed', 'cpv'));
  it('a CPV code of the wrong type', () => expectRejected('/api/notices', { ...validNotice, cpv: { main: 90620000 } }, 400, 'validation_failed', 'cpv.main'));
  it('a CPV code with a wrong check digit', async () => {
    const error = await expectRejected('/api/notices', { ...validNotice, cpv: { main: '45214200-3' } }, 400, 'validation_failed', 'cpv.main');
    expect(error.message).to.include('check digit');
  });
  it('a CPV code in an unknown format', () => expectRejected('/api/notices', { ...validNotice, cpv: { main: '4521-42' } }, 400, 'validation_failed', 'cpv.main'));
  it('an additional CPV code that is not one', () =>
    expectRejected('/api/notices', { ...validNotice, cpv: { main: '90620000', additional: ['abc'] } }, 400, 'validation_failed', 'cpv.additional.0'));
  it('an invalid buyer organisationsnummer', () =>
    expectRejected('/api/notices', { ...validNotice, buyer: { name: 'X', orgNumber: '212000-1448' } }, 400, 'validation_failed', 'buyer.orgNumber'));
  it('a deadline that is not a date', () => expectRejected('/api/notices', { ...validNotice, deadline: 'tomorrow' }, 400, 'validation_failed', 'deadline'));
  it('a negative value', () =>
    expectRejected('/api/notices', { ...validNotice, estimatedValue: { amount: -1, currency: 'SEK' } }, 400, 'validation_failed', 'estimatedValue.amount'));
  it('a body that is not JSON', () => expectRejected('/api/notices', '{"title": ', 400, 'invalid_json'));
  it('a 2 MB body', () => expectRejected('/api/notices', { ...validNotice, description: 'x'.repeat(2 * 1024 * 1024) }, 413, 'payload_too_large'));

  it('a firm with an invalid organisationsnummer', () => expectRejected('/api/companies', { ...validFirm, orgNumber: '556016-0681' }, 400, 'validation_failed', 'orgNumber'));
  it('a firm whose number is a personnummer, unless it is a sole trader', async () => {
    await expectRejected('/api/companies', { ...validFirm, orgNumber: '811228-9874' }, 400, 'validation_failed', 'orgNumber');
    const soleTrader = await api(t.app, 'POST', '/api/companies', { ...validFirm, orgNumber: '811228-9874', soleTrader: true });
    expect(soleTrader.status).to.equal(201);
    existingFirms = 1;
  });
  it('a firm with a malformed e-mail address', () => expectRejected('/api/companies', { ...validFirm, email: 'not-an-address' }, 400, 'validation_failed', 'email'));
  it('a firm without categories', () => expectRejected('/api/companies', { ...validFirm, categories: [] }, 400, 'validation_failed', 'categories'));
  it('a firm registered twice', () => expectRejected('/api/companies', { ...validFirm, orgNumber: '811228-9874', soleTrader: true }, 409, 'already_registered', 'orgNumber'));
  it('a subscription for an unknown firm', () =>
    expectRejected('/api/companies/01UNKNOWN/subscriptions', { name: 'x', cpv: ['90620000'] }, 404, 'not_found'));
  it('a subscription with a bad frequency', async () => {
    const firm = await t.app.db.selectFrom('companies').select('id').executeTakeFirstOrThrow();
    await expectRejected(`/api/companies/${firm.id}/subscriptions`, { name: 'x', cpv: ['90620000'], frequency: 'hourly' }, 400, 'validation_failed', 'frequency');
  });
  it('an unknown notice id', async () => {
    const res = await api(t.app, 'GET', '/api/notices/NOPE');
    expect(res.status).to.equal(404);
    expect(res.body.error.code).to.equal('not_found');
  });
});
