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

  // Whatever was rejected left no trace: every table counts as many rows after a test as before it.
  const TABLES = ['notices', 'buyers', 'companies', 'subscriptions', 'outbox'] as const;
  const counts = async () =>
    Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, (await t.app.db.selectFrom(table).select('id').execute()).length])));
  let counted: Record<string, number> = {};
  let stored = false; // set by a test that means to store something
  beforeEach(async () => {
    counted = await counts();
    stored = false;
  });
  afterEach(async () => {
    if (!stored) expect(await counts()).to.deep.equal(counted);
  });

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
  // Codes from closed lists: the message names every allowed value, so the caller can correct it.
  const codes: [string, Record<string, unknown>, string, string[]][] = [
    ['procedure', { procedure: 'direktupphandling' }, 'procedure', ['open', 'restricted', 'neg-w-call', 'neg-wo-call', 'comp-dial', 'innovation', 'oth-single', 'oth-mult']],
    ['notice kind', { kind: 'tender-notice' }, 'kind', ['planning', 'tender', 'award', 'change']],
    ['strategic code (BT-06)', { criteria: { strategic: ['env-imp', 'green'] } }, 'criteria.strategic.1', ['env-imp', 'soc-obj', 'inn-pur']],
    ['social objective (BT-775)', { criteria: { social: ['jobs'] } }, 'criteria.social.0', ['opp', 'work-cond', 'acc-all']],
    ['environmental impact (BT-774)', { criteria: { green: ['co2'] } }, 'criteria.green.0', ['circ-econ', 'clim-mitig']],
    ['GPP criterion (BT-805)', { criteria: { gpp: ['none'] } }, 'criteria.gpp.0', ['eu', 'national', 'other']],
    ['reserved participation (BT-71)', { criteria: { reserved: ['sheltered'] } }, 'criteria.reserved.0', ['res-ws', 'res-pub-ser']],
    ['requirement', { criteria: { requirements: ['iso-14000'] } }, 'criteria.requirements.0', ['iso-14001', 'collective-agreement', 'svanen']],
    ['Swedish NUTS code', { placeOfPerformance: { nuts: ['SE232', 'SE999'] } }, 'placeOfPerformance.nuts.1', ['SE232', 'SE110', 'SEZZZ']],
    ['NUTS code of no NUTS country', { buyer: { ...validNotice.buyer, nuts: 'XX123' } }, 'buyer.nuts', ['SE232', 'DK', 'NO']],
  ];
  for (const [what, change, field, allowed] of codes) {
    it(`an unknown ${what}`, async () => {
      const error = await expectRejected('/api/notices', { ...validNotice, ...change }, 400, 'validation_failed', field);
      for (const code of allowed) expect(error.message).to.include(code);
    });
  }
  it('an unknown code in a reach preview too', () =>
    expectRejected('/api/notices/preview', { ...validNotice, procedure: 'ramavtal' }, 400, 'validation_failed', 'procedure'));
  it('two lots with one id', async () => {
    const lots = [{ id: 'LOT-1', title: 'Norr' }, { id: 'LOT-2' }, { id: ' LOT-1 ', title: 'Söder' }];
    const error = await expectRejected('/api/notices', { ...validNotice, lots }, 400, 'validation_failed', 'lots.2.id');
    expect(error.message).to.include('LOT-1');
  });
  it('a publication date that does not exist', async () => {
    const error = await expectRejected('/api/notices', { ...validNotice, publishedAt: '2026-02-30' }, 400, 'validation_failed', 'publishedAt');
    expect(error.message).to.include('2026-11-30');
  });
  it('a deadline without a time (a deadline is a moment)', () =>
    expectRejected('/api/notices', { ...validNotice, deadline: '2026-12-01' }, 400, 'validation_failed', 'deadline'));
  it('a title of nothing but control and bidi characters', () =>
    expectRejected('/api/notices', { ...validNotice, title: '\u0000\u202e\r\n\u2066' }, 400, 'validation_failed', 'title'));
  for (const [field, url] of [['documents', 'javascript:alert(1)'], ['submission', 'ftp://upphandling.example.se/anbud'], ['source', 'https://upphandling.example.se/a\nBcc: x'], ['documents', 'https://192.168.1.1/x']]) {
    it(`a link that is not a public http(s) URL: ${JSON.stringify(url)}`, async () => {
      const error = await expectRejected('/api/notices', { ...validNotice, links: { [field]: url } }, 400, 'validation_failed', `links.${field}`);
      expect(error.message).to.include('http(s) URL');
    });
  }
  it('a body that is not JSON', () => expectRejected('/api/notices', '{"title": ', 400, 'invalid_json'));
  it('a 2 MB body', () => expectRejected('/api/notices', { ...validNotice, description: 'x'.repeat(2 * 1024 * 1024) }, 413, 'payload_too_large'));

  it('a firm with an invalid organisationsnummer', () => expectRejected('/api/companies', { ...validFirm, orgNumber: '556016-0681' }, 400, 'validation_failed', 'orgNumber'));
  it('a firm whose number is a personnummer, unless it is a sole trader', async () => {
    await expectRejected('/api/companies', { ...validFirm, orgNumber: '811228-9874' }, 400, 'validation_failed', 'orgNumber');
    const soleTrader = await api(t.app, 'POST', '/api/companies', { ...validFirm, orgNumber: '811228-9874', soleTrader: true });
    expect(soleTrader.status).to.equal(201);
    stored = true;
  });
  it('a firm whose name is only control characters', () =>
    expectRejected('/api/companies', { ...validFirm, orgNumber: '556036-0793', name: '\u202e\u0007 ' }, 400, 'validation_failed', 'name'));
  it('a firm with a malformed e-mail address', () => expectRejected('/api/companies', { ...validFirm, email: 'not-an-address' }, 400, 'validation_failed', 'email'));
  it('a firm without categories', () => expectRejected('/api/companies', { ...validFirm, categories: [] }, 400, 'validation_failed', 'categories'));
  it('a firm registered twice: answered as a new one (registration.test.ts), and no second firm is stored', async () => {
    const res = await api(t.app, 'POST', '/api/companies', { ...validFirm, orgNumber: '811228-9874', soleTrader: true, email: 'another@firma.example' });
    expect(res.status).to.equal(201);
    const { outbox: _owner, ...rest } = await counts(); // the outbox carries the note to the firm's owner
    const { outbox: _before, ...restBefore } = counted;
    expect(rest).to.deep.equal(restBefore);
    stored = true;
  });
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

describe('values kept as they mean over HTTP', function () {
  let t: TestApp;
  before(async () => (t = await startTestApp({ WORKERS: 'off' })));
  after(async () => t?.stop());

  async function stored(body: Record<string, unknown>) {
    const res = await api(t.app, 'POST', '/api/notices', { ...validNotice, ...body });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return (await api(t.app, 'GET', `/api/notices/${res.body.notice.id}`)).body;
  }

  it('a publication date without a time stays a date; one with a time becomes UTC', async () => {
    expect((await stored({ reference: 'KS 2026/1', publishedAt: '2026-11-30' })).publishedAt).to.equal('2026-11-30');
    expect((await stored({ reference: 'KS 2026/2', publishedAt: '2026-11-30T09:15:00+01:00' })).publishedAt).to.equal('2026-11-30T08:15:00.000Z');
  });

  it('control and bidi characters are removed from texts; a description keeps its lines', async () => {
    const n = await stored({
      reference: 'KS\u202e 2026/3',
      title: ' Snö\u0000röjning\r\n2027\u2066 ',
      description: 'Rad 1\r\nRad 2\tmed tabb\u0007\u009b',
      buyer: { name: 'Lerums\u202d kommun', orgNumber: '212000-1447' },
      lots: [{ id: 'LOT-1', title: 'Norr\u2067' }],
    });
    expect(n).to.deep.include({ title: 'Snöröjning 2027', description: 'Rad 1\nRad 2\tmed tabb', reference: 'KS 2026/3' });
    expect(n.buyer.name).to.equal('Lerums kommun');
    expect(n.lots[0].title).to.equal('Norr');
  });

  it('codes in any case, foreign NUTS codes and http(s) links are accepted', async () => {
    const n = await stored({
      reference: 'KS 2026/4',
      procedure: 'NEG-W-CALL',
      criteria: { strategic: ['Env-Imp'], requirements: ['ISO-14001'] },
      placeOfPerformance: { nuts: ['se232', 'DK014', 'NO0A1'] },
      links: { documents: 'https://upphandling.example.se/KS-2026-4', submission: 'http://anbud.example.se/4' },
    });
    expect(n.procedure).to.equal('neg-w-call');
    expect(n.criteria).to.deep.include({ strategic: ['env-imp'], requirements: ['iso-14001'] });
    expect(n.placeOfPerformance.nuts).to.deep.equal(['SE232', 'DK014', 'NO0A1']);
    expect(n.links).to.deep.equal({ documents: 'https://upphandling.example.se/KS-2026-4', submission: 'http://anbud.example.se/4', source: null });
  });

  it('a subscription name is cleaned like a firm name', async () => {
    const firm = await api(t.app, 'POST', '/api/companies', { ...validFirm, email: 'clean@firma.example', name: 'Firma\u202e AB\r\nBcc: x@example.se' });
    expect(firm.status, JSON.stringify(firm.body)).to.equal(201);
    const sub = await api(t.app, 'POST', `/api/companies/${firm.body.id}/subscriptions`, { name: 'Städ\u0000\n\u2066uppdrag', cpv: ['90620000'] });
    expect(sub.status, JSON.stringify(sub.body)).to.equal(201);
    const row = await t.app.db.selectFrom('companies').select('name').where('id', '=', firm.body.id).executeTakeFirstOrThrow();
    expect(row.name).to.equal('Firma AB Bcc: x@example.se');
    const subscription = await t.app.db.selectFrom('subscriptions').select('name').where('id', '=', sub.body.id).executeTakeFirstOrThrow();
    expect(subscription.name).to.equal('Städ uppdrag');
  });
});
