// The whole path over the real stack: HTTP → SQLite → outbox → BullMQ on Redis
// → match → notify → SMTP. Publishing twice or restarting workers sends nothing new.
import { expect } from 'chai';
import { api, eventually, queuesIdle, startTestApp, type TestApp } from '../helpers/app.ts';
import { confirmAll, startSmtp, type TestSmtp } from '../helpers/smtp.ts';

const deadline = new Date(Date.now() + 20 * 24 * 3600 * 1000).toISOString();

export const schoolKitchen = {
  sourceId: 'LK-2026-0042',
  title: 'Ombyggnad av storkök på Torstenssonsskolan',
  description: 'Totalentreprenad för ombyggnad av tillagningskök.',
  buyer: { name: 'Lerums kommun', orgNumber: '212000-1447', nuts: 'SE232' },
  cpv: { main: '45214200-2', additional: ['45331000'] },
  estimatedValue: { amount: 8500000, currency: 'SEK' },
  deadline,
  links: { documents: 'https://upphandling.lerum.se/LK-2026-0042/dokument', submission: null, source: null },
};

function firm(orgNumber: string, name: string, email: string, categories: string[]) {
  return { orgNumber, name, email, municipalityCode: '1441', categories, csr: [] };
}

describe('pipeline: publish → match → e-mail', function () {
  let smtp: TestSmtp;
  let t: TestApp;
  const ids: Record<string, string> = {};

  before(async function () {
    smtp = await startSmtp();
    t = await startTestApp({ MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url, PUBLIC_URL: 'https://brygga.lerum.se' });
    const firms = [
      { key: 'builder', body: firm('559100-0012', 'Lerums Bygg AB', 'bygg@example.se', ['45000000']), frequency: 'instant' },
      { key: 'school', body: firm('556016-0680', 'Skolbyggarna AB', 'skola@example.se', ['45214200']), frequency: 'instant' },
      { key: 'cleaner', body: firm('559100-0053', 'Säveån Städ AB', 'stad@example.se', ['90911200']), frequency: 'instant' },
      { key: 'digest', body: firm('559100-0087', 'Veckovis Bygg AB', 'vecka@example.se', ['45200000']), frequency: 'weekly' },
    ];
    for (const f of firms) {
      const created = await api(t.app, 'POST', '/api/companies', f.body);
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      ids[f.key] = created.body.id;
      // Registration made the categories the first subscription; only its frequency differs.
      const sub = await api(t.app, 'PATCH', `/api/companies/${created.body.id}/subscriptions/${created.body.subscriptions[0].id}`, { frequency: f.frequency });
      expect(sub.status, JSON.stringify(sub.body)).to.equal(200);
    }
    await confirmAll(smtp, 'https://brygga.lerum.se', t.app.url, firms.map((f) => f.body.email));
  });

  after(async () => {
    await t?.stop();
    await smtp?.close();
  });

  it('sends one e-mail to each firm whose instant subscription matches, and none to the others', async () => {
    const published = await api(t.app, 'POST', '/api/notices', schoolKitchen);
    expect(published.status, JSON.stringify(published.body)).to.equal(201);
    expect(published.body.notice.cpv.main).to.equal('45214200');

    await smtp.waitFor(2);
    await eventually(() => queuesIdle(t.app));
    expect(smtp.messages.map((m) => m.to[0]).sort()).to.deep.equal(['bygg@example.se', 'skola@example.se']);

    const mail = smtp.messages.find((m) => m.to[0] === 'bygg@example.se')!;
    expect(mail.parsed.subject).to.include('Ombyggnad av storkök på Torstenssonsskolan');
    const text = mail.parsed.text!;
    expect(text).to.include(`https://brygga.lerum.se/notices/${published.body.notice.id}`);
    expect(text).to.match(/Sista anbudsdag: \d+ \w+ 20\d\d/);
    expect(text).to.include('ingår i er kategori 45000000 Bygg- och anläggningsarbeten');
    expect(smtp.messages.find((m) => m.to[0] === 'skola@example.se')!.parsed.text).to.include('45214200 är en av era kategorier (Bygg- och anläggningsarbeten)');
  });

  it('stores the match of a firm with a weekly subscription without alerting it now', async () => {
    const matches = await api(t.app, 'GET', `/api/companies/${ids.digest}/matches`);
    expect(matches.body.items).to.have.length(1);
    expect(matches.body.items[0].reasons[0].sv).to.include('45214200');
    expect((await api(t.app, 'GET', `/api/companies/${ids.cleaner}/matches`)).body.items).to.deep.equal([]);
  });

  it('sends nothing new when the same notice is published again or the workers restart', async () => {
    const again = await api(t.app, 'POST', '/api/notices', schoolKitchen);
    expect(again.status).to.equal(200);
    expect(again.body.outcome).to.equal('unchanged');

    await t.app.stopWorkers();
    // A duplicate match job under another id: only the ledger can stop it now.
    await t.app.producer.queue('match').add('match', { noticeId: again.body.notice.id, revision: 1 }, { jobId: 'match-duplicate' });
    await t.app.producer.queue('notify').add('notify', { kind: 'instant', companyId: ids.builder, noticeId: again.body.notice.id }, { jobId: 'notify-duplicate' });
    t.app.startWorkers();
    // Both duplicates have run to the end (the notify job from the match one too): nothing more can come.
    await eventually(async () => (await t.app.producer.queue('match').getJob('match-duplicate'))?.finishedOn);
    await eventually(async () => (await t.app.producer.queue('notify').getJob('notify-duplicate'))?.finishedOn);
    await eventually(() => queuesIdle(t.app));

    expect(smtp.messages).to.have.length(2);
    const deliveries = await t.app.db.selectFrom('deliveries').selectAll().where('kind', '=', 'instant').execute();
    expect(deliveries.map((d) => d.status)).to.deep.equal(['sent', 'sent']);
    const matches = await t.app.db.selectFrom('matches').select('company_id').execute();
    expect(matches).to.have.length(3);
  });

  it('serves the notice over the API and on a page', async () => {
    const id = (await t.app.db.selectFrom('notices').select('id').executeTakeFirstOrThrow()).id;
    const notice = await api(t.app, 'GET', `/api/notices/${id}`);
    expect(notice.body).to.include({ id, title: schoolKitchen.title, kind: 'tender', source: 'local' });
    expect(notice.body.buyer).to.deep.equal({ name: 'Lerums kommun', orgNumber: '2120001447', nuts: 'SE232' });
    const home = await api(t.app, 'GET', '/');
    expect(home.status).to.equal(200);
    expect(home.body).to.include(schoolKitchen.title);
    const page = await api(t.app, 'GET', `/notices/${id}`);
    expect(page.body).to.include('Lerums kommun');
    expect(page.body).to.match(/<a [^>]*href="https:\/\/upphandling\.lerum\.se\/LK-2026-0042\/dokument"[^>]*>Upphandlingsdokument<\/a>/);
    expect(page.body).to.match(/Sista anbudsdag<\/dt><dd>\d+ \w+ 20\d\d kl\. \d\d:\d\d \(svensk tid\)/);
  });
});
