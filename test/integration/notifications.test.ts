// Notifications over the real stack: double opt-in, instant alerts with
// one-click unsubscribe, daily and weekly digests, SMTP failures, and workers
// that die mid-batch. Assertions read raw header lines from a real SMTP server.
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { sendInstantAlert } from '../../src/mail/delivery.service.ts';
import { api, eventually } from '../helpers/app.ts';
import { DAY, inDays, nextOrgNumber, PUBLIC, publish as publishNotice, registerFirm as register, runScheduled, settle, startWithSmtp, type Ctx } from '../helpers/firms.ts';
import { confirmAll, linkIn, startSmtp, type ReceivedMail } from '../helpers/smtp.ts';

const setup = startWithSmtp;

/** The firm's first subscription (from its categories) takes the first settings; `confirm: false` leaves the address unconfirmed. */
const registerFirm = (c: Ctx, email: string, subscriptions: object[], confirm = true) => register(c, email, subscriptions, { confirm });

/** Publishes a notice of Lerums kommun under the buyer's reference `ref` (and "Lokalvård <ref>" as its title). */
const publish = async (c: Ctx, ref: string, extra: object = {}) => (await publishNotice(c, ref, extra)).notice.id;

const headerLine = (mail: ReceivedMail, name: string) =>
  mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));

const runDigest = runScheduled;

describe('notifications', function () {
  this.timeout(60_000);
  let c: Ctx;
  afterEach(async () => {
    await c?.t.stop();
    await c?.smtp.close();
  });

  it('double opt-in: no alert before the address is confirmed, and GET does not confirm', async () => {
    c = await setup();
    const id = await registerFirm(c, 'ny@firma.example', [{}], false);
    const [confirmation] = await c.smtp.waitFor(1);
    expect(confirmation.parsed.subject).to.equal('Bekräfta er e-postadress för Brygga');
    await publish(c, 'before');
    await settle(c);
    expect(c.smtp.messages).to.have.length(1);

    const link = linkIn(confirmation, `${PUBLIC}/confirm/`).replace(PUBLIC, c.t.app.url);
    const page = await fetch(link);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.match(/<form method="post" action="\/confirm\/[^"]+">/);
    expect((await api(c.t.app, 'GET', `/api/companies/${id}`)).body.emailStatus).to.equal('unconfirmed');
    expect((await fetch(link, { method: 'POST' })).status).to.equal(200);
    expect((await api(c.t.app, 'GET', `/api/companies/${id}`)).body.emailStatus).to.equal('confirmed');
    // What was published before the confirmation arrives as one summary.
    await c.smtp.waitFor(2);
    expect(c.smtp.messages[1].parsed.subject).to.equal('1 öppen upphandling matchar er nya bevakning');
    expect(c.smtp.messages[1].parsed.text).to.include('Lokalvård before');

    await publish(c, 'after');
    await c.smtp.waitFor(3);
    expect(c.smtp.messages[2].parsed.subject).to.match(/^Ny upphandling: Lokalvård after – sista anbudsdag \d+ \w+ \d{4}$/);
    expect((await fetch(`${c.t.app.url}/confirm/forged.token`)).status).to.equal(404);
  });

  it('instant alerts carry RFC 8058 one-click unsubscribe; GET keeps, POST stops, nothing after', async () => {
    c = await setup();
    const id = await registerFirm(c, 'a@firma.example', [{ name: 'Lokalvård' }]);
    await publish(c, 'one', { estimatedValue: { amount: 4200000, currency: 'SEK' }, criteria: { requirements: ['svanen'], social: ['opp'] } });
    const [alert] = await c.smtp.waitFor(1);

    const unsubscribeLine = headerLine(alert, 'List-Unsubscribe')!;
    expect(unsubscribeLine).to.match(/^List-Unsubscribe: <https:\/\/brygga\.lerum\.se\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>$/);
    expect(headerLine(alert, 'List-Unsubscribe-Post')).to.equal('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const text = alert.parsed.text!;
    expect(text).to.include('Upphandlande organisation: Lerums kommun');
    expect(text).to.match(/Uppskattat värde: 4\s200\s000\skr/);
    expect(text).to.include('Hållbarhetskrav: Svanenmärkt, Jobb för personer långt från arbetsmarknaden');
    expect(text).to.include('Kräver Svanenmärkt – saknas i er profil');
    expect(alert.parsed.html).to.include('<a href="https://brygga.lerum.se/notices/');
    expect(text).to.include('Avsluta bevakningen ”Lokalvård”');

    const url = unsubscribeLine.match(/<(.+)>/)![1].replace(PUBLIC, c.t.app.url);
    expect((await fetch(url)).status).to.equal(200);
    expect((await api(c.t.app, 'GET', `/api/companies/${id}`)).body.subscriptions[0].active).to.equal(true);
    const post = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(post.status).to.equal(200);
    expect((await api(c.t.app, 'GET', `/api/companies/${id}`)).body.subscriptions[0].active).to.equal(false);

    await publish(c, 'two');
    await settle(c);
    expect(c.smtp.messages).to.have.length(1);
  });

  it('daily digest: one e-mail per firm with several matching subscriptions; nothing new, nothing sent', async () => {
    c = await setup();
    const id = await registerFirm(c, 'd@firma.example', [{ frequency: 'daily', name: 'Städ A' }, { frequency: 'daily', name: 'Städ B', cpv: ['90911200'] }]);
    await publish(c, 'n1');
    await publish(c, 'n2');
    await settle(c);
    expect(c.smtp.messages).to.have.length(0);

    const monday = new Date('2026-11-30T06:00:00Z');
    await runDigest(c, 'daily', monday);
    const [digest] = await c.smtp.waitFor(1);
    expect(digest.parsed.subject).to.equal('2 nya upphandlingar – Brygga 2026-11-30');
    expect(digest.parsed.text!.match(/Lokalvård n1/g)).to.have.length(1);
    expect(digest.parsed.text!.match(/Lokalvård n2/g)).to.have.length(1);
    expect(headerLine(digest, 'List-Unsubscribe-Post')).to.equal('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    await runDigest(c, 'daily', monday); // the same period again
    await runDigest(c, 'daily', new Date('2026-12-01T06:00:00Z')); // next day, nothing new
    await settle(c);
    expect(c.smtp.messages).to.have.length(1);
    const ledger = await c.t.app.db.selectFrom('deliveries').select(['kind', 'ref']).where('company_id', '=', id).where('kind', '=', 'daily').execute();
    expect(ledger).to.deep.equal([{ kind: 'daily', ref: '2026-11-30' }]);
  });

  it('weekly digest: new matches, deadlines closing within 7 days and material changes', async () => {
    c = await setup();
    await registerFirm(c, 'w@firma.example', [{ frequency: 'weekly' }]);
    await publish(c, 'soon', { deadline: inDays(20) });
    await publish(c, 'moved', { deadline: inDays(40) });
    await settle(c);
    await runDigest(c, 'weekly', new Date());
    const [first] = await c.smtp.waitFor(1);
    expect(first.parsed.subject).to.match(/^2 nya upphandlingar – Brygga vecka \d+$/);
    expect(first.parsed.text).to.include('== Nya upphandlingar som passar er ==');

    // Two weeks on: "soon" closes within 7 days, "moved" got a new deadline.
    await publish(c, 'moved', { deadline: inDays(50) });
    await settle(c);
    await runDigest(c, 'weekly', new Date(Date.now() + 14 * DAY));
    await c.smtp.waitFor(2);
    const second = c.smtp.messages[1];
    expect(second.parsed.subject).to.match(/^1 som stänger snart och 1 ändrad – Brygga vecka \d+$/);
    expect(second.parsed.text).to.match(/== Stänger inom 7 dagar ==\n\nLokalvård soon/);
    // The change in words, old → new, never a field name.
    expect(second.parsed.text).to.match(/== Ändrade upphandlingar ==\n\nLokalvård moved[\s\S]*\* Sista anbudsdag: \d+ \w+ \d{4} kl\. \d\d:\d\d → \d+ \w+ \d{4} kl\. \d\d:\d\d \(svensk tid\)/);
    expect(second.parsed.text).not.to.include('deadline');
  });

  it('English when the firm chose it', async () => {
    c = await setup();
    const created = await api(c.t.app, 'POST', '/api/companies', {
      orgNumber: nextOrgNumber(), name: 'Nordic Cleaning AB', email: 'en@firma.example', municipalityCode: '1441', categories: ['90910000'], language: 'en',
    });
    await api(c.t.app, 'POST', `/api/companies/${created.body.id}/subscriptions`, { name: 'Cleaning', cpv: ['90910000'] });
    const [confirmation] = await c.smtp.waitFor(1);
    expect(confirmation.parsed.subject).to.equal('Confirm your e-mail address for Brygga');
    await confirmAll(c.smtp, PUBLIC, c.t.app.url, ['en@firma.example']);
    // The summary that follows confirming is out first (as registerFirm waits for it): a notice published
    // while it is being made may be told in it, as new, and then no alert follows.
    await settle(c);
    await publish(c, 'en');
    const [alert] = await c.smtp.waitFor(1);
    expect(alert.parsed.subject).to.match(/^New tender: Lokalvård en – deadline /);
    expect(alert.parsed.text).to.include('90911200 is within your category 90910000 (Sewage, waste, cleaning and environment)');
  });

  describe('SMTP failures', () => {
    it('451 then accepted: delivered once, after a retry', async () => {
      c = await setup();
      await registerFirm(c, 'r@firma.example', [{}]);
      c.smtp.rejectNext(1, 451, 'Try again later');
      await publish(c, 'retry');
      await c.smtp.waitFor(1);
      await settle(c);
      const [delivery] = await c.t.app.db.selectFrom('deliveries').selectAll().where('kind', '=', 'instant').execute();
      expect(delivery).to.include({ status: 'sent', attempts: 2 });
      expect(c.smtp.messages).to.have.length(1);
    });

    it('a worker that died after the relay accepted, before the ledger said sent: the row taken over is recorded, not sent again', async () => {
      c = await setup();
      const companyId = await registerFirm(c, 'k@firma.example', [{}]);
      const noticeId = await publish(c, 'crash');
      await c.smtp.waitFor(1);
      await settle(c);
      // The state such a death leaves: the row still 'sending' under the dead worker, its lease run out.
      await c.t.app.db.updateTable('deliveries').set({ status: 'sending', owner: 'dead-worker', lease_until: '2000-01-01T00:00:00.000Z', sent_at: null })
        .where('kind', '=', 'instant').execute();
      expect(await sendInstantAlert(c.t.app.rt.mail, { companyId, noticeId })).to.equal('sent');
      await settle(c);
      expect(c.smtp.messages).to.have.length(1);
      const [delivery] = await c.t.app.db.selectFrom('deliveries').selectAll().where('kind', '=', 'instant').execute();
      expect(delivery).to.include({ status: 'sent', owner: null });
    });

    it('550: retried once, then recorded; repeated failures suspend the address and staff see it', async () => {
      c = await setup({ MAIL_SUSPEND_AFTER: '2' });
      const id = await registerFirm(c, 'bad@firma.example', [{}]);
      c.smtp.rejectNext(10, 550, 'No such user');
      await publish(c, 'f1');
      await publish(c, 'f2');
      await settle(c);
      const deliveries = await c.t.app.db.selectFrom('deliveries').selectAll().where('kind', '=', 'instant').execute();
      // A first 5xx is tried once more (a relay rejecting everyone must not cost firms their address); the second counts.
      expect(deliveries.map((d) => [d.status, d.attempts])).to.deep.equal([['failed', 2], ['failed', 2]]);
      expect(deliveries[0].error).to.include('No such user');
      const suspended = await api(c.t.app, 'GET', '/api/staff/suspended-addresses');
      expect(suspended.body).to.have.length(1);
      expect(suspended.body[0]).to.include({ companyId: id, email: 'bad@firma.example', permanentFailures: 2 });

      c.smtp.rejectNext(0, 550, '');
      await publish(c, 'f3');
      await settle(c);
      expect(c.smtp.messages).to.have.length(0); // suspended: nothing more is tried, the alert is held
      const held = await c.t.app.db.selectFrom('deliveries').select('status').where('kind', '=', 'instant').where('status', '=', 'held').execute();
      expect(held).to.have.length(1);
    });

    it('server down for a while, then up: every alert delivered once', async () => {
      c = await setup();
      await registerFirm(c, 'down@firma.example', [{}]);
      c.smtp.rejectNext(0, 451, '');
      const port = Number(new URL(c.smtp.url).port);
      await c.smtp.close();
      for (let i = 0; i < 5; i++) await publish(c, `down${i}`);
      // Every alert has failed at least once against the closed port before the server comes back.
      await eventually(async () => {
        const tried = await c.t.app.db.selectFrom('deliveries').select('id').where('kind', '=', 'instant').where('attempts', '>=', 1).execute();
        return tried.length === 5;
      });
      c.smtp = await startSmtp(port);
      await c.smtp.waitFor(5, 30_000);
      await settle(c);
      const titles = c.smtp.messages.map((m) => m.parsed.subject!.match(/Lokalvård (down\d)/)![1]).sort();
      expect(titles).to.deep.equal(['down0', 'down1', 'down2', 'down3', 'down4']);
    });
  });

  it('a worker killed between jobs and mid-batch: after a restart every alert is delivered, each once', async function () {
    this.timeout(180_000);
    c = await setup({ WORKERS: 'off', WORKER_LOCK_MS: '2000', MAIL_RATE_PER_SECOND: '40' });
    // WORKERS=off here: the confirmation e-mail is sent by the worker process below.
    await registerFirm(c, 'k@firma.example', [{}], false);
    const env = {
      ...process.env,
      DATABASE_URL: c.t.app.config.databaseUrl, REDIS_URL: c.t.app.config.redisUrl, QUEUE_PREFIX: c.t.app.config.queuePrefix,
      MAIL_TRANSPORT: 'smtp', SMTP_URL: c.smtp.url, PUBLIC_URL: PUBLIC, SECRET_KEY: 'test-secret-test-secret-test-secret-0123',
      WORKER_LOCK_MS: '2000', MAIL_RATE_PER_SECOND: '40', LOG_LEVEL: 'silent', SEED_DEMO: 'false', QUEUE_BACKOFF_MS: '200',
    };
    let output = '';
    const startWorker = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { cwd: new URL('../..', import.meta.url).pathname, env, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.on('data', (d) => (output += d));
      return child;
    };
    const explain = (error: Error) => {
      throw new Error(`${error.message}\nworker output:\n${output}`);
    };
    let worker = startWorker();
    await confirmAll(c.smtp, PUBLIC, c.t.app.url, ['k@firma.example']).catch(explain);

    const N = 60;
    for (let i = 0; i < N; i++) await publish(c, `k${i}`);
    await c.smtp.waitFor(10, 30_000);
    worker.kill('SIGKILL'); // mid-batch: jobs are running and queued
    await new Promise((r) => worker.once('exit', r));
    worker = startWorker();
    await c.smtp.waitFor(25, 30_000);
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    worker = startWorker();
    try {
      await c.smtp.waitFor(N, 60_000);
      // A row whose e-mail the relay took just before a kill is recorded once its 15 s lease
      // has run out and the job's back-off (doubling from 200 ms) comes round: up to ~30 s.
      await eventually(async () => {
        const sent = await c.t.app.db.selectFrom('deliveries').select('id').where('kind', '=', 'instant').where('status', '=', 'sent').execute();
        return sent.length === N;
      }, 60_000).catch(async (error: Error) => {
        // What is left unrecorded, and what became of its job.
        const rows = await c.t.app.db.selectFrom('deliveries').select(['id', 'ref', 'status', 'lease_until']).where('kind', '=', 'instant').where('status', '!=', 'sent').execute();
        const failed = await c.t.app.producer.queue('notify').getFailed();
        const jobs = failed.map((j) => `${j.id}: ${j.failedReason} (attempts ${j.attemptsMade})`);
        throw new Error(`${error.message}\nunrecorded: ${JSON.stringify(rows)}\nfailed jobs: ${jobs.join('; ') || 'none'}\nworker output:\n${output}`);
      });
    } finally {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
    }
    // Every notice reached the firm; any repeat is the same message (same Message-ID), see README.
    const byNotice = new Map<string, Set<string>>();
    for (const m of c.smtp.messages) {
      const notice = m.parsed.subject!.match(/Lokalvård (k\d+)/)![1];
      byNotice.set(notice, (byNotice.get(notice) ?? new Set()).add(m.parsed.messageId!));
    }
    expect(byNotice.size).to.equal(N);
    expect([...byNotice.values()].every((ids) => ids.size === 1)).to.equal(true);
  });
});
