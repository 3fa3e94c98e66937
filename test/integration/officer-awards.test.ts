// Awards officers register over the API: a winner of their own notice and a
// direct award (a contract without a notice), stored in the notice shape with
// the award date, so statistics count them with the awards from feeds.
import { expect } from 'chai';
import { addUser, createApiToken } from '../../src/accounts/accounts.service.ts';
import { insertBuyer } from '../../src/accounts/organisations.repo.ts';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';

describe('awards registered by officers (API)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let token: string;
  let buyerId: string;
  before(async () => {
    t = await startTestApp({ WORKERS: 'off' });
    buyerId = await insertBuyer(t.app.db, { name: 'Lerums kommun', orgNumber: '2120001447', nuts: 'SE232' });
    const officer = await addUser(t.app.db, { email: 'olle@lerum.test', roles: ['officer'], buyerId });
    token = (await createApiToken(t.app.db, officer, 'test')).token;
  });
  after(async () => t?.stop());

  const winner = { name: 'Golv & Glans AB', orgNumber: '556016-0680' };

  it('adds a winner with its value and date to the officer’s notice (a revision, not a material change)', async () => {
    const published = await api(t.app, 'POST', '/api/notices', { reference: 'KS 2026/9', title: 'Golvvård', buyer: { name: 'x' }, cpv: { main: '90911200' } }, { token });
    expect(published.status).to.equal(201);
    const id = published.body.notice.id as string;
    const res = await api(t.app, 'POST', `/api/notices/${id}/awards`, { winner, value: { amount: 400000, currency: 'SEK' }, date: '2026-03-01' }, { token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.notice.awards).to.deep.equal([{
      lotId: null, winner: { name: 'Golv & Glans AB', orgNumber: '5560160680', size: null, nuts: null, postalCode: null },
      value: { amount: 400000, currency: 'SEK' }, tendersReceived: null, date: '2026-03-01',
    }]);
    const row = await t.app.db.selectFrom('awards').selectAll().where('notice_id', '=', id).executeTakeFirstOrThrow();
    expect([row.winner_org_number, row.amount, row.currency, row.awarded_on]).to.deep.equal(['5560160680', 400000, 'SEK', '2026-03-01']);
    const change = await t.app.db.selectFrom('notice_changes').select(['fields', 'material']).where('notice_id', '=', id).executeTakeFirstOrThrow();
    expect([JSON.parse(change.fields), change.material]).to.deep.equal([['awards'], 0]);
  });

  it('refuses a bad organisationsnummer, a missing value or date, naming the field', async () => {
    const published = await api(t.app, 'POST', '/api/notices', { reference: 'KS 2026/10', title: 'Städ', buyer: { name: 'x' }, cpv: { main: '90911200' } }, { token });
    const res = await api(t.app, 'POST', `/api/notices/${published.body.notice.id}/awards`, { winner: { name: 'X', orgNumber: '556016-0681' } }, { token });
    expect(res.status).to.equal(400);
    const paths = (res.body.error.details as { path: string }[]).map((d) => d.path);
    expect(paths).to.include.members(['winner.orgNumber', 'value', 'date']);
  });

  it('stores a direct award as the buyer’s award notice, alerting nobody', async () => {
    const res = await api(t.app, 'POST', '/api/direct-awards', {
      title: 'Fönsterputs stadshuset', cpv: '90911300', winner, value: { amount: 85000, currency: 'SEK' }, date: '2026-02-01',
    }, { token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const n = res.body.notice;
    expect([n.kind, n.source, n.buyer.orgNumber, n.awards[0].winner.orgNumber, n.awards[0].date]).to.deep.equal(['award', 'local', '2120001447', '5560160680', '2026-02-01']);
    expect(n.reference).to.match(/^DU-/);
    const row = await t.app.db.selectFrom('notices').select('buyer_id').where('id', '=', n.id).executeTakeFirstOrThrow();
    expect(row.buyer_id).to.equal(buyerId);
  });

  it('a direct award needs an officer of a buyer', async () => {
    const res = await api(t.app, 'POST', '/api/direct-awards', { title: 'x', cpv: '90911300', winner, value: { amount: 1, currency: 'SEK' }, date: '2026-02-01' });
    expect(res.status).to.equal(403); // the admin token: no buyer organisation
  });
});
