// Redis losing its data mid-run (a FLUSHALL of a Redis without persistence):
// jobs queued for notices, and alerts queued for matches, are gone, and so are
// the digest schedulers. Reconciliation finds the work in the database and
// queues it again; every alert still arrives exactly once. So does an alert
// whose job BullMQ failed for good, and one whose row a dead worker left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { insertDelivery } from '../../src/mail/ledger.repo.ts';
import { Runtime } from '../../src/runtime.ts';
import { startWorkers, type Workers } from '../../workers/start.ts';
import { api, App, eventually, type TestApp } from '../helpers/app.ts';
import { PUBLIC, inDays, publish, registerFirm, settle, type Ctx } from '../helpers/firms.ts';
import { startPrivateRedis, type TestRedis } from '../helpers/redis.ts';
import { confirmAll, startSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { testDatabase, type TestDatabase } from '../helpers/database.ts';

describe('reconciliation after Redis lost its data', function () {
  this.timeout(90_000);
  let redis: TestRedis;
  let smtp: TestSmtp;
  let dir: string;
  let database: TestDatabase | undefined;
  let app: App;
  let workers: Workers | null = null;
  const logs: string[] = [];

  before(async () => {
    redis = await startPrivateRedis(); // --save '' --appendonly no: a restart would lose everything
    smtp = await startSmtp();
    dir = mkdtempSync(join(tmpdir(), 'brygga-reconcile-'));
    database = await testDatabase(dir);
    const config = loadConfig({
      NODE_ENV: 'test', PORT: '0', DATABASE_URL: database.url, REDIS_URL: redis.url, QUEUE_PREFIX: 'reconcile',
      MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url, PUBLIC_URL: PUBLIC, SEED_DEMO: 'false', WORKERS: 'off',
      SECRET_KEY: 'test-secret-test-secret-test-secret-0123', QUEUE_BACKOFF_MS: '200', LOG_LEVEL: 'warn',
    });
    const sink = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
    app = await App.start(await Runtime.start(config, pino({ level: 'warn' }, sink)));
    workers = startWorkers(app.rt, { reconcileEveryMs: 500, reconcileGraceMs: 0 });
  });

  after(async () => {
    await app?.stop();
    await workers?.close();
    await smtp?.close();
    await redis?.stop();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('queues the lost work again from the database: every alert once, the schedulers back', async () => {
    expect(logs.some((l) => l.includes('Redis persistence is off')), 'a warning at start-up').to.equal(true);
    const c: Ctx = { t: { app, dir, stop: async () => undefined } as TestApp, smtp };
    const firms = ['a@firma.example', 'b@firma.example', 'c@firma.example'];
    for (const email of firms) await registerFirm(c, email);

    // Before the loss: alerts as usual.
    await publish(c, 'before-1');
    await publish(c, 'before-2');
    await smtp.waitFor(6);
    await settle(c);

    // Matched, but the alerts wait in the (paused) notify queue when Redis loses them.
    const queue = (name: 'index' | 'match' | 'notify') => app.producer.queue(name);
    await queue('notify').pause();
    const matchedOnly = (await publish(c, 'matched-only')).notice.id;
    const queued = async (name: 'match' | 'notify') => (await queue(name).getJobCounts('waiting')).waiting;
    await eventually(async () => (await queued('notify')) >= 3);
    // Stored, but neither indexed nor matched when Redis loses the jobs.
    await queue('index').pause();
    await queue('match').pause();
    const storedOnly = (await publish(c, 'stored-only')).notice.id;
    await eventually(async () => !(await app.db.selectFrom('outbox').select('id').where('relayed_at', 'is', null).executeTakeFirst()));
    expect(await queued('match')).to.equal(1);
    expect(smtp.messages).to.have.length(6);

    const admin = new Redis(redis.url);
    await admin.flushall();
    await admin.quit();
    // The schedulers are gone now; the workers check every half second, so asking
    // here would race them. The warning asserted below proves they found them missing.

    // The workers notice the missing schedulers, re-create them and reconcile.
    await smtp.waitFor(12, 30_000);
    await new Promise((r) => setTimeout(r, 2000)); // a few more reconciliation runs: nothing more is sent
    expect(smtp.messages).to.have.length(12);
    const told = smtp.messages.map((m) => `${m.to.join(',')} ${m.parsed.subject?.replace(/ – .*/, '')}`).sort();
    expect(told).to.deep.equal(firms.flatMap((email) =>
      ['before-1', 'before-2', 'matched-only', 'stored-only'].map((ref) => `${email} Ny upphandling: Lokalvård ${ref}`)).sort());
    const ledger = await app.db.selectFrom('deliveries').select(['company_id', 'ref', 'status']).where('kind', '=', 'instant').execute();
    expect(ledger).to.have.length(12);
    expect(ledger.every((d) => d.status === 'sent')).to.equal(true);
    expect(ledger.filter((d) => d.ref === matchedOnly || d.ref === storedOnly)).to.have.length(6);

    // The stored-only notice was indexed after all, and the schedulers are back.
    const found = await eventually(async () => (await app.search.fts.count()) === 4);
    expect(found).to.equal(true);
    for (const id of ['digest-daily', 'digest-weekly', 'digest-reminder']) {
      expect(await app.producer.queue('digest').getJobScheduler(id), id).to.not.equal(undefined);
    }
    expect(await app.producer.queue('reconcile').getJobScheduler('reconcile')).to.not.equal(undefined);
    expect(logs.some((l) => l.includes('job schedulers were missing'))).to.equal(true);
    expect(logs.some((l) => l.includes('reconciliation queued work'))).to.equal(true);
  });

  it('retries an alert whose job failed for good, and one whose ledger row a dead worker left sending: each once', async () => {
    const c: Ctx = { t: { app, dir, stop: async () => undefined } as TestApp, smtp };
    await settle(c);
    const before = smtp.messages.length;
    const notify = app.producer.queue('notify');
    await notify.pause();
    const notice = (await publish(c, 'failed-for-good')).notice.id;
    await eventually(async () => (await notify.getJobCounts('waiting')).waiting === 3);

    // The workers stop; the three alert jobs fail for good, as BullMQ fails a job
    // whose workers died mid-run too often. One firm's row was claimed by a worker
    // that then died: sending, its lease run out, its e-mail not sent.
    await workers?.close();
    workers = null;
    await notify.resume();
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const taker = new Worker('notify', null, { connection, prefix: app.rt.config.queuePrefix, autorun: false });
    for (let i = 0; i < 3; i++) {
      const job = (await taker.getNextJob('dead-worker')) as Job;
      await job.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), 'dead-worker', false);
    }
    await taker.close();
    await connection.quit();
    expect(await notify.getJobCounts('failed')).to.deep.equal({ failed: 3 });
    const firm = await app.db.selectFrom('companies').select('id').where('email', '=', 'a@firma.example').executeTakeFirstOrThrow();
    const row = await insertDelivery(app.db, { companyId: firm.id, kind: 'instant', ref: notice }, [{ noticeId: notice, section: 'new', revision: 1 }]);
    const past = new Date(Date.now() - 60_000).toISOString();
    await app.db.updateTable('deliveries').set({ status: 'sending', owner: 'dead-worker', lease_until: past, created_at: past }).where('id', '=', row.id).execute();

    workers = startWorkers(app.rt, { reconcileEveryMs: 500, reconcileGraceMs: 0 });
    await smtp.waitFor(before + 3, 30_000);
    await new Promise((r) => setTimeout(r, 2000)); // more reconciliation runs: nothing more is sent
    const told = smtp.messages.slice(before).map((m) => m.to.join(',')).sort();
    expect(told).to.deep.equal(['a@firma.example', 'b@firma.example', 'c@firma.example']);
    const ledger = await app.db.selectFrom('deliveries').select(['id', 'status']).where('kind', '=', 'instant').where('ref', '=', notice).execute();
    expect(ledger.map((d) => d.status)).to.deep.equal(['sent', 'sent', 'sent']);
    expect(ledger.map((d) => d.id)).to.include(row.id); // the stuck row was sent, not a second one made
    expect(await notify.getJobCounts('failed')).to.deep.equal({ failed: 0 });
  });

  it('sends a change e-mail whose job was lost to the firms told of the notice before, once', async () => {
    const c: Ctx = { t: { app, dir, stop: async () => undefined } as TestApp, smtp };
    await settle(c);
    const notice = (await publish(c, 'moved')).notice.id;
    await settle(c);
    const notify = app.producer.queue('notify');
    await notify.pause();
    const corrected = await publish(c, 'moved', { deadline: inDays(40) });
    expect(corrected.changed).to.include('deadline');
    await eventually(async () => (await notify.getJobs(['waiting'])).filter((j) => j.data.kind === 'change').length === 3);
    for (const job of await notify.getJobs(['waiting'])) if (job.data.kind === 'change') await job.remove(); // Redis lost them
    // A firm told of the notice only after the change (in its first summary) hears of no change.
    await registerFirm(c, 'd@firma.example', [{}], { confirm: false });
    await confirmAll(smtp, PUBLIC, app.url, ['d@firma.example']); // and forgets the e-mails so far
    await notify.resume();

    const changed = (m: TestSmtp['messages'][number]) => m.parsed.subject?.startsWith('Ändrad upphandling');
    await eventually(async () => smtp.messages.filter(changed).length >= 3 && smtp.messages.some((m) => m.to.includes('d@firma.example')), 30_000);
    await new Promise((r) => setTimeout(r, 2000)); // more reconciliation runs: nothing more is sent
    const told = smtp.messages.filter(changed).map((m) => m.to.join(',')).sort();
    expect(told).to.deep.equal(['a@firma.example', 'b@firma.example', 'c@firma.example']);
    const ledger = await app.db.selectFrom('deliveries').select('status').where('kind', '=', 'change').where('ref', '=', `${notice}-2`).execute();
    expect(ledger.map((d) => d.status)).to.deep.equal(['sent', 'sent', 'sent']);
  });

  it('runs a new subscription\'s backfill whose job was lost: the open notices it matches in one summary', async () => {
    const c: Ctx = { t: { app, dir, stop: async () => undefined } as TestApp, smtp };
    await settle(c);
    // Open, and nobody's yet: a-c follow cleaning.
    const roads = (await publish(c, 'roads', { title: 'Beläggning av gator', cpv: { main: '45233222' } })).notice.id;
    await settle(c);
    const firm = await app.db.selectFrom('companies').select('id').where('email', '=', 'a@firma.example').executeTakeFirstOrThrow();
    const backfill = app.producer.queue('backfill');
    await backfill.pause();
    const added = await api(app, 'POST', `/api/companies/${firm.id}/subscriptions`, { name: 'Vägar', cpv: ['45233000'] });
    expect(added.status, JSON.stringify(added.body)).to.equal(201);
    await eventually(async () => (await backfill.getJobCounts('waiting')).waiting === 1);
    await backfill.drain(); // Redis lost it
    await backfill.resume();
    smtp.messages.length = 0;

    const summary = await smtp.waitFor(1, 30_000);
    await new Promise((r) => setTimeout(r, 2000)); // more reconciliation runs: nothing more is sent
    expect(smtp.messages).to.have.length(1);
    expect(summary[0].to).to.deep.equal(['a@firma.example']);
    expect(summary[0].parsed.subject).to.equal('1 öppen upphandling matchar er nya bevakning');
    expect(summary[0].parsed.text).to.contain('Beläggning av gator');
    const match = await app.db.selectFrom('matches').select('id').where('company_id', '=', firm.id).where('notice_id', '=', roads).executeTakeFirst();
    expect(match, 'the match is recorded').to.not.equal(undefined);
  });
});
