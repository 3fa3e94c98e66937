// The officer's "my notices": each notice in the group a firm would see it
// in. Open by the alert rule is "Publicerade"; a notice without a deadline
// stops inviting firms after ALERT_MAX_AGE_DAYS, and statistics records
// never do: those are "Stängda", not published beside the open tenders.
import { expect } from 'chai';
import { addUser, createApiToken } from '../../src/accounts/accounts.service.ts';
import { insertBuyer } from '../../src/accounts/organisations.repo.ts';
import { SESSION_COOKIE, startSession } from '../../src/accounts/sessions.service.ts';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';
import { inDays } from '../helpers/firms.ts';

describe('the officer\'s notices page', function () {
  this.timeout(60_000);
  let t: TestApp;
  let token: string;
  let cookie: string;
  before(async () => {
    t = await startTestApp({ WORKERS: 'off' });
    const buyerId = await insertBuyer(t.app.db, { name: 'Lerums kommun', orgNumber: '2120001447', nuts: 'SE232' });
    const officer = await addUser(t.app.db, { email: 'olle@lerum.test', roles: ['officer'], buyerId });
    token = (await createApiToken(t.app.db, officer, 'test')).token;
    cookie = `${SESSION_COOKIE}=${(await startSession(t.app.db, officer, t.app.config.sessions)).token}`;
  });
  after(async () => t?.stop());

  /** The titles listed in each group of the page, by the group's heading id. */
  async function groups(): Promise<Record<string, string>> {
    const res = await fetch(`${t.app.url}/officer`, { headers: { cookie } });
    expect(res.status).to.equal(200);
    const html = await res.text();
    const sections = html.split('<section').slice(1);
    return Object.fromEntries(sections.map((s) => [s.match(/id="(group-[a-z]+)"/)?.[1] ?? '?', s]));
  }

  it('groups by the alert rule: open ones are published; without a deadline, an old notice is closed', async () => {
    const publish = (reference: string, title: string, extra: object) =>
      api(t.app, 'POST', '/api/notices', { reference, title, buyer: { name: 'x' }, cpv: { main: '90911200' }, ...extra }, { token });
    expect((await publish('KS 1', 'Öppen städning', { deadline: inDays(20) })).status).to.equal(201);
    expect((await publish('KS 2', 'Städning utan sista dag', { deadline: null, publishedAt: inDays(-3) })).status).to.equal(201);
    expect((await publish('KS 3', 'Gammal städning utan sista dag', { deadline: null, publishedAt: inDays(-90) })).status).to.equal(201);
    expect((await publish('KS 4', 'Stängd städning', { deadline: inDays(-2), publishedAt: inDays(-40) })).status).to.equal(201);

    const page = await groups();
    expect(page['group-published']).to.contain('Öppen städning').and.contain('Städning utan sista dag');
    expect(page['group-published']).not.to.contain('Gammal städning').and.not.to.contain('Stängd städning');
    expect(page['group-closed']).to.contain('Gammal städning utan sista dag').and.contain('Stängd städning');
  });
});
