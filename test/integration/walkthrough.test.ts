// The README's walk-through, step by step over the real stack with the demo
// data: each step sends exactly the e-mails the README says, and nothing else.
import { expect } from 'chai';
import { createApiToken } from '../../src/accounts/accounts.service.ts';
import { seedDemoIfEmpty } from '../../src/demo/seed.ts';
import { api } from '../helpers/app.ts';
import { PUBLIC, settle, startWithSmtp, type Ctx } from '../helpers/firms.ts';
import { confirmAll } from '../helpers/smtp.ts';

const CLEANERS = ['anbud@exempel.se', 'info@kooperativet-motesplats-lerum-ek-for.example', 'info@savean-stad-service-ab.example'];

describe('the README walk-through', function () {
  this.timeout(120_000);
  let c: Ctx;
  after(async () => {
    await c?.t.stop();
    await c?.smtp.close();
  });

  /** The e-mails sent since the last step, as [recipient, subject], sorted. */
  const step = async () => {
    await settle(c);
    const sent = c.smtp.messages.map((m) => [m.to[0], m.parsed.subject ?? '']).sort((a, b) => a[0].localeCompare(b[0]));
    const texts = c.smtp.messages.map((m) => m.parsed.text ?? '');
    c.smtp.messages.length = 0;
    return { sent, texts };
  };
  const notice = (deadline: string) => ({
    reference: 'KS 2026/999', title: 'Städning av Lerums simhall',
    buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' }, cpv: { main: '90911200' },
    deadline, links: { documents: 'https://upphandling.lerum.se/999' },
  });
  let id = '';
  let officer = ''; // the demo officer's API token, as `npm run users -- token` prints it

  before(async () => {
    c = await startWithSmtp();
    await seedDemoIfEmpty(c.t.app);
    const user = await c.t.app.db.selectFrom('users').select('id').where('email', '=', 'upphandlare@lerum.example').executeTakeFirstOrThrow();
    officer = (await createApiToken(c.t.app.db, user.id, 'walk-through')).token;
    await step();
  });

  it('1–2. a firm registers and confirms: one summary of the open notices it matches', async () => {
    const res = await api(c.t.app, 'POST', '/api/companies', {
      orgNumber: '556016-0680', name: 'Exempel Städ AB', email: 'anbud@exempel.se',
      municipalityCode: '1441', categories: ['90910000'], csr: ['collective-agreement'],
    }, { token: null });
    expect(res.status).to.equal(201);
    await confirmAll(c.smtp, PUBLIC, c.t.app.url, ['anbud@exempel.se']);
    const { sent } = await step();
    expect(sent).to.deep.equal([['anbud@exempel.se', '2 öppna upphandlingar matchar er nya bevakning']]);
  });

  it('3. an officer publishes: "Ny upphandling" to the three cleaning firms on instant alerts', async () => {
    const res = await api(c.t.app, 'POST', '/api/notices', notice('2027-01-29T12:00:00+01:00'), { token: officer });
    expect(res.body.outcome).to.equal('new');
    id = res.body.notice.id;
    const { sent, texts } = await step();
    expect(sent).to.deep.equal(CLEANERS.map((to) => [to, 'Ny upphandling: Städning av Lerums simhall – sista anbudsdag 29 januari 2027']));
    expect(texts[0]).to.include('Upphandlingsdokument: https://upphandling.lerum.se/999');
  });

  it('4. the officer corrects the deadline: "Ändrad upphandling", old → new, to the same three', async () => {
    const res = await api(c.t.app, 'POST', '/api/notices', notice('2027-02-12T12:00:00+01:00'), { token: officer });
    expect(res.body).to.deep.include({ outcome: 'updated', changed: ['deadline'] });
    const { sent, texts } = await step();
    expect(sent).to.deep.equal(CLEANERS.map((to) => [to, 'Ändrad upphandling: Städning av Lerums simhall']));
    for (const text of texts) expect(text).to.include('Sista anbudsdag: 29 januari 2027 kl. 12:00 → 12 februari 2027 kl. 12:00 (svensk tid)');
  });

  it('5. the officer withdraws it: "Återkallad upphandling" with the reason, once, and it leaves search', async () => {
    const res = await api(c.t.app, 'POST', `/api/notices/${id}/withdraw`, { reason: 'Behovet har upphört' }, { token: officer });
    expect(res.status).to.equal(200);
    const { sent, texts } = await step();
    expect(sent).to.deep.equal(CLEANERS.map((to) => [to, 'Återkallad upphandling: Städning av Lerums simhall']));
    expect(texts[0]).to.include('Köparens motivering: Behovet har upphört');
    const hits = (await api(c.t.app, 'GET', '/api/search?q=simhall')).body.hits.map((h: { title: string }) => h.title);
    expect(hits).to.deep.equal(['Takbyte på Partille simhall']);
  });
});
