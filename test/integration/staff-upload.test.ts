// The staff import form's multipart upload: the form token is checked after
// the body is split, and a file over IMPORT_LIMIT gets the form back with the
// error (nothing read, nothing stored).
import { expect } from 'chai';
import { addUser } from '../../src/accounts/accounts.service.ts';
import { startSession } from '../../src/accounts/sessions.service.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

describe('staff import upload (multipart)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let cookie: string;
  const csrf = 'a'.repeat(43);

  before(async () => {
    t = await startTestApp({ WORKERS: 'off', IMPORT_LIMIT: '2kb' });
    const id = await addUser(t.app.db, { email: 'upload@brygga.test', roles: ['staff'] });
    const { token } = await startSession(t.app.db, id, t.app.config.sessions);
    cookie = `brygga_session=${token}; brygga_csrf=${csrf}`;
  });
  after(async () => t?.stop());

  const post = (form: FormData) =>
    fetch(`${t.app.url}/staff/imports`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie, origin: t.app.url, accept: 'text/html' } });
  const formWith = (token: string, file: Blob) => {
    const form = new FormData();
    form.append('_csrf', token);
    form.append('format', 'auto');
    form.append('file', file, 'notices.csv');
    return form;
  };

  it('refuses a form without the right token, after reading it', async () => {
    const res = await post(formWith('b'.repeat(43), new Blob(['x'])));
    expect(res.status).to.equal(403);
  });

  it('answers a file over IMPORT_LIMIT with the form and the error, storing nothing', async () => {
    const res = await post(formWith(csrf, new Blob([Buffer.alloc(5_000_000, 'x')])));
    expect(res.status).to.equal(400);
    expect(await res.text()).to.contain('Filen är större än 2kb');
    expect((await t.app.db.selectFrom('notices').select('id').execute()).length).to.equal(0);
  });

  it('takes a file within the limit and answers 303 to the import’s page', async () => {
    const csv = 'Upphandlings-ID,Upphandlingens titel,Namn för köpare,Organisationsnummer för köpare,Huvudsaklig CPV-kod,Publiceringsdatum,"Antal upphandlingar, Summa"\n'
      + 'UP-1,Städning av skolor,LERUMS KOMMUN,2120001447,90910000 Rengöring,2021-03-01,1\n';
    const res = await post(formWith(csrf, new Blob([csv], { type: 'text/csv' })));
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.match(/^\/staff\/imports\/[0-9A-Z]{26}$/);
    const status = await fetch(`${t.app.url}${res.headers.get('location')}/status`, { headers: { cookie } });
    expect(await status.json()).to.include({ state: 'done', percent: 100 });
  });
});
